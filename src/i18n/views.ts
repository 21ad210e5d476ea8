import { daysLeft } from "../domain/deadline.ts";
import { shortTitle } from "../domain/short-title.ts";
import type { Agency, Plan } from "../generated/prisma/client.ts";
import type { Messages } from "./index.ts";
import { dutyState, isDutyStatus, type DutyStatus } from "../domain/status.ts";
import type { ReportErrorCode, ReportErrorOf, ReportErrorTexts } from "./shared.ts";
import { formatDateTimeVi } from "../lib/time.ts";
import { encodeChoice } from "../model/choices.ts";
import type { Choice, OutgoingMessage } from "../model/messages.ts";

// The views declare what they read of a duty and an agency, so the words know nothing of the
// services that compute them (services/status-service.ts's DutyState and AgencyState, the forms'
// DutyOverview): whatever carries these fields can be shown.

/** A duty as every surface shows it. */
interface ShownDuty {
  code: string;
  text: string;
  status: DutyStatus;
  percent: number;
  updatedAt: Date | null;
}

/** What a reminder reads of an agency's state. */
interface RemindedAgency {
  agency: Pick<Agency, "name" | "parentId" | "requested">;
  duties: readonly ShownDuty[];
}

/** Members are communes: "UBND Phường Bình Phước". */
export function agencyLabel(t: Messages, agency: Pick<Agency, "name" | "parentId">): string {
  return agency.parentId === null ? agency.name : t.bot.memberName(agency.name);
}

export function daysLeftText(t: Messages, plan: Plan, now: Date): string {
  return t.bot.daysLeft(daysLeft(plan.reportDeadline, now));
}

/** A status as read from a table or a file, where anything may stand: unknown values show as they are. */
export function statusLabel(t: Messages, status: string): string {
  return isDutyStatus(status) ? t.bot.statusLabel[status] : status;
}

/** What is wrong with a report line, with an example the person can copy. */
export function reportErrorText<K extends ReportErrorCode>(
  t: Messages,
  example: string,
  error: ReportErrorOf<K>,
): string {
  const texts: ReportErrorTexts = t.bot.report.errors;
  // The compiler cannot see through ReportErrorOf that `error.error` is K; the map's type ties each text to it.
  const text: ReportErrorTexts[K] = texts[error.error as K];
  return text(example, error);
}

export function at(instant: Date): string {
  return formatDateTimeVi(instant);
}

/** An example one-line report using the agency's own first open duty, so it can be copied as is. */
export function reportExample(t: Messages, duties: readonly Pick<ShownDuty, "code" | "status">[]): string {
  const duty = duties.find((d) => d.status !== "done") ?? duties[0];
  return t.bot.report.example(duty?.code ?? "IV.1.a");
}

/** One duty as every surface shows it: icon, code, short title, status, percent, last update. */
export function dutyLine(t: Messages, d: ShownDuty): string {
  const state = dutyState(d);
  return t.bot.duties.line(
    t.bot.statusIcon[state],
    d.code,
    shortTitle(d.text),
    t.bot.statusLabel[state],
    d.percent,
    d.updatedAt ? at(d.updatedAt) : null,
  );
}

export function dutyList(t: Messages, duties: readonly ShownDuty[]): string {
  return duties.map((d) => dutyLine(t, d)).join("\n");
}

/** What a contact receives when reminded, whether by the schedule or by a coordinator's /nhac. */
/** `recentReport`: the agency reported progress lately, which the text thanks it for. */
export function reminderMessage(
  t: Messages,
  plan: Plan,
  state: RemindedAgency,
  now: Date,
  recentReport = false,
): OutgoingMessage {
  const open = state.duties.filter((d) => d.status !== "done");
  const lines = open
    .map((d) => t.bot.reminder.line(d.code, shortTitle(d.text), t.bot.statusLabel[dutyState(d)]))
    .join("\n");
  return {
    text: t.bot.reminder.text(
      agencyLabel(t, state.agency),
      state.agency.requested,
      plan.reportDeadline,
      daysLeftText(t, plan, now),
      lines,
      reportExample(t, state.duties),
      recentReport,
    ),
    choices: reminderChoices(t),
  };
}

/** A reminder's buttons: the guided report and the submission, which ask the plan when there are several. */
export function reminderChoices(t: Messages): Choice[][] {
  return [
    [
      { label: t.bot.reminder.reportNow, value: encodeChoice({ kind: "start", what: "report" }) },
      { label: t.bot.reminder.submitNow, value: encodeChoice({ kind: "start", what: "submit" }) },
    ],
  ];
}
