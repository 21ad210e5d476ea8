import { vi as m } from "../i18n/vi.ts";
import { importPlan, type ImportSummary } from "../plan/import-plan.ts";
import { parsePlan, PlanParseError, type ParsedPlan } from "../plan/parse-plan.ts";
import { closePlan, missingCalendarYears, planSummaries } from "../services/plan-service.ts";
import { formatDateVi, toIsoLocal } from "../lib/time.ts";
import { CliError, print, type CliCommand } from "./command.ts";
import { readInputFile } from "./files.ts";

function parsePlanFile(path: string | undefined): ParsedPlan {
  const text = readInputFile(path, m.cli.planFileArgument);
  try {
    return parsePlan(text);
  } catch (error) {
    if (error instanceof PlanParseError) {
      throw new CliError(m.planErrors[error.code] + (error.line ? m.atLine(error.line) : ""));
    }
    throw error;
  }
}

function warningLines(plan: ParsedPlan): string {
  if (plan.warnings.length === 0) return "";
  return `\n${m.cli.warnings(plan.warnings.length)}\n${plan.warnings
    .map((w) => `  ${w.line}: ${w.text}\n      → ${m.warningReasons[w.reason]}`)
    .join("\n")}`;
}

/** What a revised document changed, one line per kind or per row, each with the changes it counts. */
function changeLines({ changes: c, activated, created }: ImportSummary): { count: number; line: string }[] {
  if (created) return [];
  const t = m.cli.planChanges;
  const lines: { count: number; line: string }[] = [];
  const one = (line: string) => lines.push({ count: 1, line });
  const codes = (list: string[], line: (codes: string) => string) => {
    if (list.length > 0) lines.push({ count: list.length, line: line(list.join(", ")) });
  };
  if (c.deadline) one(t.deadline(c.deadline.from, c.deadline.to));
  if (c.documentNumber) one(t.documentNumber(c.documentNumber.from, c.documentNumber.to));
  if (activated) one(t.activated);
  c.agencies.added.forEach((a) => one(t.agencyAdded(a.code, a.name)));
  c.agencies.renamed.forEach((a) => one(t.agencyRenamed(a.code, a.from, a.to)));
  c.agencies.requested.forEach((a) => one(t.agencyRequested(a.code, a.name, a.requested)));
  c.agencies.withdrawn.forEach((a) => one(t.agencyWithdrawn(a.code, a.name)));
  codes(c.agencies.reordered, t.agenciesReordered);
  codes(c.duties.added, t.dutiesAdded);
  codes(c.duties.reworded, t.dutiesReworded);
  codes(c.duties.withdrawn, t.dutiesWithdrawn);
  codes(c.duties.reordered, t.dutiesReordered);
  c.indicators.added.forEach((i) => one(t.indicatorAdded(i.code, i.name)));
  for (const { code, name, fields: f } of c.indicators.changed) {
    const parts = [
      f.name && t.indicatorName(f.name.from, f.name.to),
      f.targetRatePercent && t.indicatorRate(f.targetRatePercent.from, f.targetRatePercent.to),
      f.targetParticipants && t.indicatorParticipants(f.targetParticipants.from, f.targetParticipants.to),
      f.eligiblePopulation && t.indicatorEligible(f.eligiblePopulation.from, f.eligiblePopulation.to),
    ].filter((part): part is string => Boolean(part));
    lines.push({ count: parts.length, line: t.indicatorChanged(code, f.name?.from ?? name, parts.join("; ")) });
  }
  c.indicators.withdrawn.forEach((i) => one(t.indicatorWithdrawn(i.code, i.name)));
  codes(c.indicators.reordered, t.indicatorsReordered);
  return lines;
}

function importedText(summary: ImportSummary, missingYears: number[]): string {
  const lines = changeLines(summary);
  const count = lines.reduce((n, l) => n + l.count, 0);
  // A new plan lists how each of its agencies was matched; a revision only the ones it brings.
  const listed = summary.created ? summary.directory : summary.directory.filter((d) => !d.matched);
  return [
    m.cli.planImported(summary.created, count),
    ...(summary.created ? [m.cli.planCode(summary.code)] : []),
    ...lines.map((l) => l.line),
    ...(listed.length ? [m.cli.directoryHeader] : []),
    ...listed.map((d) => m.cli.directoryLine(d.section, d.name, d.directoryCode, d.matched)),
    ...(missingYears.length ? [m.cli.calendarMissing(missingYears.join(", "))] : []),
  ].join("\n");
}

export const planCommands: readonly CliCommand[] = [
  {
    name: "plan parse",
    forms: ["FILE [--json]"],
    summary: "planParse",
    async run(ctx, [file]) {
      const plan = parsePlanFile(file);
      const duties = plan.agencies.reduce((n, a) => n + a.duties.length, 0);
      print(
        ctx,
        {
          title: plan.title,
          province: plan.province,
          year: plan.year,
          documentNumber: plan.documentNumber,
          reportDeadline: plan.reportDeadline,
          indicators: plan.indicators,
          agencies: plan.agencies,
          warnings: plan.warnings,
        },
        m.cli.planParsed(plan.title, plan.agencies.length, duties, plan.indicators.length, plan.reportDeadline) +
          warningLines(plan),
      );
    },
  },
  {
    name: "plan import",
    forms: ["FILE [--code CODE] [--create-agencies] [--json]"],
    summary: "planImport",
    async run(ctx, [file], options) {
      const plan = parsePlanFile(file);
      const { db } = await ctx.app();
      const summary = await importPlan(db, plan, {
        ...(typeof options.code === "string" && { code: options.code }),
        createAgencies: options["create-agencies"] === true,
      });
      const stored = await db.plan.findUniqueOrThrow({ where: { id: summary.planId } });
      const missingYears = await missingCalendarYears(db, stored);
      print(
        ctx,
        { ...summary, calendarMissing: missingYears, warnings: plan.warnings },
        importedText(summary, missingYears) + warningLines(plan),
      );
    },
  },
  {
    name: "plan list",
    forms: ["[--json]"],
    async run(ctx) {
      const { db } = await ctx.app();
      const rows = await planSummaries(db);
      print(
        ctx,
        rows.map(({ plan, agencies, duties, submitted }) => ({
          code: plan.code,
          title: plan.title,
          province: plan.province,
          year: plan.year,
          reportDeadline: plan.reportDeadline,
          status: plan.active ? "active" : "closed",
          closedAt: plan.closedAt ? toIsoLocal(plan.closedAt) : null,
          agencies,
          duties,
          submitted,
        })),
        rows
          .map(({ plan, agencies, duties, submitted }) =>
            m.cli.planLine(
              plan.code,
              plan.title,
              formatDateVi(plan.reportDeadline),
              plan.active,
              submitted,
              agencies,
              duties,
            ),
          )
          .join("\n") || m.cli.noPlans,
      );
    },
  },
  {
    name: "plan close",
    forms: ["CODE [--json]"],
    async run(ctx, [code]) {
      if (!code) throw new CliError(m.cli.missingArgument("CODE"));
      const { db } = await ctx.app();
      const { plan, already } = await closePlan(db, code, ctx.clock.now());
      print(ctx, { code: plan.code, status: "closed", already }, m.cli.planClosed(plan.code, already));
    },
  },
];
