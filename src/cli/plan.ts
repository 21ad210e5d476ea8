import { vi as m } from "../i18n/vi.ts";
import { importPlan, type ImportSummary } from "../plan/import-plan.ts";
import { parsePlan, PlanParseError, type ParsedPlan } from "../plan/parse-plan.ts";
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

function countChanges(s: ImportSummary): number {
  return (
    [s.indicators, s.agencies, s.duties].reduce((n, c) => n + c.added + c.updated + c.withdrawn, 0) +
    (s.activated ? 1 : 0)
  );
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
    forms: ["FILE [--json]"],
    summary: "planImport",
    async run(ctx, [file]) {
      const plan = parsePlanFile(file);
      const { db } = await ctx.app();
      const summary = await importPlan(db, plan);
      print(
        ctx,
        { ...summary, warnings: plan.warnings },
        m.cli.planImported(summary.created, countChanges(summary)) + warningLines(plan),
      );
    },
  },
];
