import { daysLeft } from "../../domain/deadline.ts";
import { resolveDutyRef } from "../../domain/duty-ref.ts";
import {
  checkReport,
  MAX_NOTE_LENGTH,
  parseReportLine,
  readReportLine,
  type ReportDraft,
  type ReportLine,
} from "../../domain/report-line.ts";
import { shortDutyCode } from "../../domain/duty-ref.ts";
import { shortTitle } from "../../domain/short-title.ts";
import { parseStatusWords, type DutyStatus } from "../../domain/status.ts";
import { decodeChoice, encodeChoice } from "../../model/choices.ts";
import { planOf, type Ctx } from "../context.ts";
import type { FlowState } from "../conversation.ts";
import { agencyLabel, dutyList, reportErrorText, reportExample } from "../../i18n/views.ts";
import { recordFigure } from "../use-cases/record-figure.ts";
import { reportProgress, reportRefusal, saveReport, storedPercent } from "../use-cases/report-progress.ts";
import { splitFirst } from "../../domain/text.ts";
import { agencyState, contactDuties } from "./shared.ts";

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

/** `IV.4.b 60% đang thực hiện: ghi chú`. Returns false when the text is not a report at all. */
export async function oneLineReport(ctx: Ctx, text: string): Promise<boolean> {
  const draft = readReportLine(text);
  if (!draft.ok && draft.error === "report.not_a_report") return false;
  if (!draft.ok && draft.error === "report.two_reports" && draft.drafts && (await severalReports(ctx, draft.drafts))) {
    return true;
  }
  const outcome = draft.ok
    ? await reportProgress(ctx, draft.value)
    : reportRefusal(ctx.t, (await contactDuties(ctx)).duties, draft);
  if (outcome.ok) return true;
  ctx.reply(outcome.text, undefined, outcome.outcome);
  // The chat asks for the difficulty and takes the next message as the answer.
  if ("wanted" in outcome) await ctx.setFlow({ flow: "report", step: "note", data: outcome.wanted });
  return true;
}

/**
 * "4a xong, 4b 50% đang làm": each report is stored only when every one passes on its own, for
 * different duties, none of them a difficulty still to describe; otherwise nothing is stored and the
 * person is asked for a line each.
 */
async function severalReports(ctx: Ctx, drafts: readonly ReportDraft[]): Promise<boolean> {
  const { duties, target, allDutyCodes } = await contactDuties(ctx);
  const lines: ReportLine[] = [];
  for (const draft of drafts) {
    const checked = checkReport(draft, target, allDutyCodes);
    if (!checked.ok || (checked.value.status === "blocked" && !checked.value.note)) return false;
    lines.push(checked.value);
  }
  if (new Set(lines.map((l) => l.dutyCode)).size < lines.length) return false;
  for (const line of lines) {
    await saveReport(
      ctx,
      duties.find((d) => d.code === line.dutyCode)!,
      line.status,
      storedPercent(line),
      line.note,
    );
  }
  return true;
}

function statusChoices(ctx: Ctx) {
  const label = ctx.t.bot.statusLabel;
  const order: DutyStatus[] = ["done", "in_progress", "blocked", "not_started"];
  return order.map((status) => [
    {
      label: `${ctx.t.bot.statusIcon[status]} ${label[status]}`,
      value: encodeChoice({ kind: "report_status", status }),
    },
  ]);
}

const SKIP_NOTE = encodeChoice({ kind: "report_skip_note" });

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
        value: encodeChoice({ kind: "report_duty", duty: d.code }),
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
  else ctx.reply(t.bot.report.askNote, [[{ label: t.bot.report.skipNote, value: SKIP_NOTE }]]);
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
  const choice = input.choice === undefined ? undefined : decodeChoice(input.choice);
  const text = input.text?.trim();
  if (input.choice !== undefined && !choice?.kind.startsWith("report_")) {
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
      const code =
        choice?.kind === "report_duty" ? choice.duty : text ? resolveDutyRef(text, target, allDutyCodes) : null;
      const resolved = typeof code === "string" ? code : code?.ok ? code.code : null;
      if (!resolved || !duties.some((d) => d.code === resolved)) {
        ctx.reply(t.bot.report.badDuty(duties[0]?.code ?? ""));
        return;
      }
      await askStatus(ctx, resolved);
      return;
    }
    case "status": {
      const picked = choice?.kind === "report_status" ? choice.status : text ? parseStatusWords(text) : null;
      if (!picked) {
        ctx.reply(t.bot.report.badStatus, statusChoices(ctx));
        return;
      }
      await afterStatus(ctx, state.data.duty, picked);
      return;
    }
    case "percent": {
      const value = text && /^\d{1,2}\s*%?$/.test(text) ? Number.parseInt(text, 10) : NaN;
      if (!(value >= 1 && value <= 99)) {
        ctx.reply(t.bot.report.badPercent);
        return;
      }
      await ctx.setFlow({ flow: "report", step: "note", data: { ...state.data, percent: value } });
      ctx.reply(t.bot.report.askNote, [[{ label: t.bot.report.skipNote, value: SKIP_NOTE }]]);
      return;
    }
    case "note": {
      const blocked = state.data.status === "blocked";
      if (choice?.kind === "report_skip_note" && !blocked) {
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

/** `/chitieu CODE SỐ_NGƯỜI`. */
export async function figures(ctx: Ctx, args: string): Promise<void> {
  const [indicator, participants] = splitFirst(args);
  const outcome = await recordFigure(ctx, { indicator, participants });
  if (!outcome.ok) ctx.reply(outcome.text, undefined, outcome.outcome);
}
