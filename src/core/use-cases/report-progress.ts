import { checkReport, readPercent, type ReportDraft, type ReportLine } from "../../domain/report-line.ts";
import type { Db, Tx } from "../../db/db.ts";
import { shortTitle } from "../../domain/short-title.ts";
import type { DutyStatus } from "../../domain/status.ts";
import type { Duty } from "../../generated/prisma/client.ts";
import type { Messages } from "../../i18n/index.ts";
import { agencyLabel, at, reportErrorText, reportExample } from "../../i18n/views.ts";
import type { ReportProgressInput, UseCaseField } from "../../model/bot-core.ts";
import type { ReportLineError } from "../../model/report-line-error.ts";
import { recordReport } from "../../services/progress-service.ts";
import { memberOf, type Ctx } from "../context.ts";
import type { FlowState } from "../conversation.ts";
import { contactAgency, contactDuties } from "../features/shared.ts";
import { done, type Outcome, type Refusal } from "./outcome.ts";

// Reporting progress on a duty: a one-line report in the chat and the report form both end here.

export type ReportField = UseCaseField<"reportProgress">;

/** A blocked duty reported without its difficulty: the chat asks for it and waits with this. */
export interface NoteWanted {
  duty: string;
  status: DutyStatus;
  percent: number | null;
}

export type ReportOutcome = Outcome<null, ReportField> | (Refusal<"note"> & { wanted: NoteWanted });

const FIELD_OF: Record<ReportLineError["error"], ReportField> = {
  "report.not_a_report": "duty",
  "report.two_reports": "duty",
  "report.malformed": "percent",
  "report.percent_range": "percent",
  "report.conflict": "percent",
  "report.note_too_long": "note",
  "duty.unknown": "duty",
  "duty.ambiguous": "duty",
  "duty.other_agency": "duty",
};

/** Why a report was refused, with an example built from the agency's own duties. */
export function reportRefusal(
  t: Messages,
  duties: readonly Pick<Duty, "code">[],
  error: ReportLineError,
): Refusal<ReportField> {
  const example = reportExample(
    t,
    duties.map((d) => ({ code: d.code, status: "not_started" as const })),
  );
  // A line that is no report at all never reaches here from the chat; from a form it is malformed.
  const told = error.error === "report.not_a_report" ? ({ error: "report.malformed" } as const) : error;
  return { ok: false, field: FIELD_OF[error.error], text: reportErrorText(t, example, told), outcome: error.error };
}

/** A form's fields as the parts of a report; a percent that is no number is refused as the chat would. */
export function draftOf(input: ReportProgressInput): ReportDraft | "malformed" {
  const typed = typeof input.percent === "string" ? input.percent.trim() : input.percent;
  const percent = typeof typed === "string" ? (typed ? readPercent(typed) : null) : typed;
  if (typeof typed === "string" && typed && percent === null) return "malformed";
  return { ref: input.duty, status: input.status, percent, note: input.note || null };
}

export async function reportProgress(ctx: Ctx, draft: ReportDraft): Promise<ReportOutcome> {
  const { t } = ctx;
  const { duties, target, allDutyCodes } = await contactDuties(ctx);
  const parsed = checkReport(draft, target, allDutyCodes);
  if (!parsed.ok) return reportRefusal(t, duties, parsed);
  const { dutyCode, status, percent, percentGiven, note } = parsed.value;
  if (status === "blocked" && !note) {
    const wanted = { duty: dutyCode, status, percent: percentGiven ? percent : null };
    return { ok: false, field: "note", text: t.bot.report.askDifficulty, outcome: "report.note_required", wanted };
  }
  const duty = duties.find((d) => d.code === dutyCode)!;
  await saveReport(ctx, duty, status, storedPercent(parsed.value), note);
  return done(null);
}

/** The percent to store: none when the line gave none for work in progress, so the last one known stays. */
export function storedPercent({ status, percent, percentGiven }: ReportLine): number | null {
  return percentGiven || status === "done" || status === "not_started" ? percent : null;
}

/**
 * Records a report, echoes it in full, and escalates a blocked one to every coordinator at once.
 * A guided report's `flow` ends in the same transaction, so a report that fails to save leaves the
 * question open to answer again.
 */
export async function saveReport(
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
  const record = (db: Db | Tx) =>
    recordReport({ db, clock: ctx.deps.clock }, { person, agency, duty, status, percent, note });
  // A one-line report with its percent is a single row, nothing to consume or announce: that
  // statement is a transaction of its own, and an interactive one around it cost a report 1 ms.
  const alone = !flow && status !== "blocked" && percent !== null;
  const saved = alone
    ? await record(ctx.deps.db)
    : await ctx.transaction(async (within) => {
        if (flow && !(await ctx.consumeFlow(flow, within))) return null;
        const recorded = await record(within.tx);
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
