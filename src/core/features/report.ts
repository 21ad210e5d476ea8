import { daysLeft } from "../../domain/deadline.ts";
import { resolveDutyRef } from "../../domain/duty-ref.ts";
import { MAX_NOTE_LENGTH, parseReportLine } from "../../domain/report-line.ts";
import { shortDutyCode } from "../../domain/duty-ref.ts";
import { ratePercent } from "../../lib/format.ts";
import { shortTitle } from "../../domain/short-title.ts";
import { DUTY_STATUSES, parseStatusWords, type DutyStatus } from "../../domain/status.ts";
import type { Duty } from "../../generated/prisma/client.ts";
import { mayReportFigures, recordFigure, recordReport } from "../../services/progress-service.ts";
import { memberOf, planOf, type Ctx } from "../context.ts";
import type { FlowState } from "../conversation.ts";
import { agencyLabel, at, dutyList, reportErrorText, reportExample } from "../../i18n/views.ts";
import { agencyState, contactAgency, contactDuties, splitFirst } from "./shared.ts";

export async function showDuties(ctx: Ctx): Promise<void> {
  const { t } = ctx;
  const plan = planOf(ctx);
  const { agency } = await contactDuties(ctx);
  const state = await agencyState(ctx, agency);
  if (state.duties.length === 0) {
    ctx.reply(t.bot.duties.none);
    return;
  }
  ctx.reply(
    [
      t.bot.duties.header(
        agencyLabel(t, agency),
        plan.reportDeadline,
        t.bot.daysLeft(daysLeft(plan.reportDeadline, ctx.now)),
        state.submitted,
      ),
      dutyList(t, state.duties),
      t.bot.duties.footer(reportExample(t, state.duties)),
    ].join("\n\n"),
  );
}

/**
 * Records a report, echoes it in full, and escalates a blocked one to every coordinator at once.
 * A guided report's `flow` ends in the same transaction, so a report that fails to save leaves the
 * question open to answer again.
 */
async function saveReport(
  ctx: Ctx,
  duty: Duty,
  status: DutyStatus,
  percent: number | null,
  note: string | null,
  flow?: FlowState,
): Promise<void> {
  const { t } = ctx;
  const { person } = memberOf(ctx);
  const agency = contactAgency(ctx);
  const saved = await ctx.transaction(async (within) => {
    if (flow && !(await ctx.consumeFlow(flow, within))) return null;
    const recorded = await recordReport(
      { db: within.tx, clock: ctx.deps.clock },
      { person, agency, duty, status, percent, note },
    );
    const { difficulty } = recorded;
    if (difficulty) {
      await ctx.notifyCoordinators(
        (tc) => ({
          text: tc.bot.difficulty.raised(
            difficulty.id,
            `${agency.code} ${agencyLabel(tc, agency)}`,
            duty.code,
            difficulty.text,
            person.displayName,
          ),
        }),
        within,
      );
    }
    return recorded;
  });
  if (!saved) {
    ctx.reply(t.bot.alreadyHandled, undefined, "flow.already_handled");
    return;
  }
  const { report, difficulty } = saved;
  const lines = [
    t.bot.report.saved(
      duty.code,
      shortTitle(duty.text),
      t.bot.statusLabel[status],
      report.percent,
      report.note,
      at(report.createdAt),
    ),
  ];
  if (difficulty) lines.push(t.bot.report.escalated);
  ctx.reply(lines.join("\n"), undefined, "report.saved");
}

/** `IV.4.b 60% đang thực hiện: ghi chú`. Returns false when the text is not a report at all. */
export async function oneLineReport(ctx: Ctx, text: string): Promise<boolean> {
  const { t } = ctx;
  const { duties, target, allDutyCodes } = await contactDuties(ctx);
  const parsed = parseReportLine(text, target, allDutyCodes);
  const example = reportExample(
    t,
    duties.map((d) => ({ code: d.code, status: "not_started" as const })),
  );
  if (!parsed.ok) {
    if (parsed.error === "report.not_a_report") return false;
    ctx.reply(reportErrorText(t, example, parsed), undefined, parsed.error);
    return true;
  }
  const { dutyCode, status, percent, percentGiven, note } = parsed.value;
  if (status === "blocked" && !note) {
    ctx.reply(t.bot.report.askDifficulty, undefined, "report.note_required");
    await ctx.setFlow({
      flow: "report",
      step: "note",
      data: { duty: dutyCode, status, percent: percentGiven ? percent : null },
    });
    return true;
  }
  const duty = duties.find((d) => d.code === dutyCode)!;
  await saveReport(
    ctx,
    duty,
    status,
    percentGiven || status === "done" || status === "not_started" ? percent : null,
    note,
  );
  return true;
}

const REPORT = "report";

function statusChoices(ctx: Ctx) {
  const label = ctx.t.bot.statusLabel;
  const order: DutyStatus[] = ["done", "in_progress", "blocked", "not_started"];
  return order.map((s) => [{ label: `${ctx.t.bot.statusIcon[s]} ${label[s]}`, value: `${REPORT}:status:${s}` }]);
}

export async function startReport(ctx: Ctx): Promise<void> {
  const { t } = ctx;
  const { agency } = await contactDuties(ctx);
  const state = await agencyState(ctx, agency);
  if (state.duties.length === 1) {
    await askStatus(ctx, state.duties[0]!.code);
    return;
  }
  await ctx.setFlow({ flow: "report", step: "duty", data: {} });
  // The example is one of the agency's own duties, so it can be typed as shown.
  const firstOpen = state.duties.find((d) => d.status !== "done") ?? state.duties[0];
  ctx.reply(
    t.bot.report.pickDuty(shortDutyCode(firstOpen?.code ?? "")),
    state.duties.map((d) => [
      {
        label: t.bot.report.dutyChoice(d.code, shortTitle(d.text, 40), t.bot.statusIcon[d.status]),
        value: `${REPORT}:duty:${d.code}`,
      },
    ]),
  );
}

async function askStatus(ctx: Ctx, code: string): Promise<void> {
  const { duties } = await contactDuties(ctx);
  const duty = duties.find((d) => d.code === code)!;
  await ctx.setFlow({ flow: "report", step: "status", data: { duty: code } });
  ctx.reply(ctx.t.bot.report.pickStatus(duty.code, shortTitle(duty.text)), statusChoices(ctx));
}

async function afterStatus(ctx: Ctx, code: string, status: DutyStatus): Promise<void> {
  const { t } = ctx;
  if (status === "in_progress") {
    await ctx.setFlow({ flow: "report", step: "percent", data: { duty: code, status } });
    ctx.reply(t.bot.report.askPercent);
    return;
  }
  const percent = status === "done" ? 100 : status === "not_started" ? 0 : null;
  await ctx.setFlow({ flow: "report", step: "note", data: { duty: code, status, percent } });
  if (status === "blocked") ctx.reply(t.bot.report.askDifficulty);
  else ctx.reply(t.bot.report.askNote, [[{ label: t.bot.report.skipNote, value: `${REPORT}:note:skip` }]]);
}

type ReportFlow = FlowState<"report">;

async function finish(ctx: Ctx, state: Extract<ReportFlow, { step: "note" }>, note: string | null): Promise<void> {
  const { duties } = await contactDuties(ctx);
  const duty = duties.find((d) => d.code === state.data.duty);
  if (!duty) {
    ctx.reply((await ctx.consumeFlow(state)) ? ctx.t.bot.staleChoice : ctx.t.bot.alreadyHandled);
    return;
  }
  await saveReport(ctx, duty, state.data.status, state.data.percent, note, state);
}

/** One step of the guided report, from a button or typed text. */
export async function continueReport(
  ctx: Ctx,
  state: ReportFlow,
  input: { choice?: string; text?: string },
): Promise<void> {
  const { t } = ctx;
  const choice = input.choice?.startsWith(`${REPORT}:`) ? input.choice.slice(REPORT.length + 1) : undefined;
  const text = input.text?.trim();
  if (input.choice !== undefined && choice === undefined) {
    ctx.reply(t.bot.staleChoice);
    return;
  }
  // A whole one-line report ("4b xong") typed at the duty or note step means a new report, not an
  // answer to the question asked.
  if (
    (state.step === "duty" || state.step === "note") &&
    text &&
    parseReportLine(text, (await contactDuties(ctx)).target).ok
  ) {
    await ctx.endFlow();
    await oneLineReport(ctx, text);
    return;
  }
  switch (state.step) {
    case "duty": {
      const { duties, target, allDutyCodes } = await contactDuties(ctx);
      const code = choice?.startsWith("duty:")
        ? choice.slice(5)
        : text
          ? resolveDutyRef(text, target, allDutyCodes)
          : null;
      const resolved = typeof code === "string" ? code : code?.ok ? code.code : null;
      if (!resolved || !duties.some((d) => d.code === resolved)) {
        ctx.reply(t.bot.report.badDuty(duties[0]?.code ?? ""));
        return;
      }
      await askStatus(ctx, resolved);
      return;
    }
    case "status": {
      const picked = choice?.startsWith("status:") ? choice.slice(7) : text ? parseStatusWords(text) : null;
      if (!picked || !(DUTY_STATUSES as readonly string[]).includes(picked)) {
        ctx.reply(t.bot.report.badStatus, statusChoices(ctx));
        return;
      }
      await afterStatus(ctx, state.data.duty, picked as DutyStatus);
      return;
    }
    case "percent": {
      const value = text && /^\d{1,2}\s*%?$/.test(text) ? Number.parseInt(text, 10) : NaN;
      if (!(value >= 1 && value <= 99)) {
        ctx.reply(t.bot.report.badPercent);
        return;
      }
      await ctx.setFlow({ flow: "report", step: "note", data: { ...state.data, percent: value } });
      ctx.reply(t.bot.report.askNote, [[{ label: t.bot.report.skipNote, value: `${REPORT}:note:skip` }]]);
      return;
    }
    case "note": {
      const blocked = state.data.status === "blocked";
      if (choice === "note:skip" && !blocked) {
        await finish(ctx, state, null);
        return;
      }
      if (!text) {
        ctx.reply(blocked ? t.bot.report.askDifficulty : t.bot.report.askNote);
        return;
      }
      if (text.length > MAX_NOTE_LENGTH) {
        ctx.reply(reportErrorText(t, "", { error: "report.note_too_long", length: text.length, max: MAX_NOTE_LENGTH }));
        return;
      }
      await finish(ctx, state, text);
      return;
    }
    default:
      await ctx.endFlow();
      ctx.reply(t.bot.staleChoice);
  }
}

export async function figures(ctx: Ctx, args: string): Promise<void> {
  const { t } = ctx;
  const plan = planOf(ctx);
  const { person, agency } = memberOf(ctx);
  const [code, value] = splitFirst(args);
  const indicators = await ctx.deps.db.indicator.findMany({
    where: { planId: plan.id, withdrawn: false },
    orderBy: { sortOrder: "asc" },
  });
  const codes = indicators.map((i) => i.code).join(", ");
  if (!mayReportFigures(plan, person, agency)) {
    ctx.reply(t.errors["indicator.not_allowed"](), undefined, "indicator.not_allowed");
    return;
  }
  if (!code || !value) {
    ctx.reply(t.bot.figures.usage(codes), undefined, "figure.usage");
    return;
  }
  const { figure, indicator } = await recordFigure(ctx.deps, {
    plan,
    person,
    agency,
    indicatorCode: code,
    participants: value,
  });
  ctx.reply(
    t.bot.figures.saved(
      indicator.code,
      indicator.name,
      figure.participants,
      ratePercent(figure.participants, indicator.eligiblePopulation),
      indicator.targetParticipants,
      indicator.targetRatePercent,
      at(figure.createdAt),
    ),
    undefined,
    "figure.saved",
  );
}
