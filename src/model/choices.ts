import { isDutyStatus, type DutyStatus } from "./duty-status.ts";

// The one codec for the values the core puts on buttons. The core encodes what a button means;
// a `choice` event hands the string back and the core decodes it, so no feature cuts prefixes off
// strings of its own. Adapters may decode (to open a form instead of the chat's steps), never
// encode: what they hand the core is the value they were given. The strings are stable: buttons
// sent days ago, and keys stored for long values, must still decode.

/** What a pressed button means. */
export type ChoiceValue =
  /** Under a reminder: start the guided report, or the submission. */
  | { kind: "start"; what: "report" | "submit" }
  /** The guided report's steps: a duty, a status, skipping the note. */
  | { kind: "report_duty"; duty: string }
  | { kind: "report_status"; status: DutyStatus }
  | { kind: "report_skip_note" }
  /** Which plan a report line or a guided command is about, when the agency is in several. */
  | { kind: "plan"; plan: string }
  /** The answers to a confirmation: a submission's preview, "/nhac all", a pause past the deadline, closing a plan. */
  | { kind: "confirm"; flow: ConfirmedFlow; answer: "confirm" | "cancel" }
  /** A page of a plan's /quahan (1 is the first). */
  | { kind: "overdue_page"; plan: string; page: number }
  /** A page of a plan's /tongquan. */
  | { kind: "overview_page"; plan: string; page: number }
  /** A page of a group's members that have not submitted (the communes under IV.9). */
  | { kind: "members"; plan: string; group: string; page: number }
  /** Nudge now every contact of an agency (a group: of its members) that has not submitted. */
  | { kind: "nudge"; plan: string; agency: string }
  /** A page of a view over every plan followed: /quahan, /tongquan or /kehoach without a code. */
  | { kind: "plans_page"; view: PlansView; page: number };

export type PlansView = "quahan" | "tongquan" | "kehoach";
const PLANS_VIEWS: readonly PlansView[] = ["quahan", "tongquan", "kehoach"];

export type ConfirmedFlow = "submit" | "remind_all" | "pause" | "close_plan";

export type ChoiceKind = ChoiceValue["kind"];

const CONFIRMED: readonly ConfirmedFlow[] = ["submit", "remind_all", "pause", "close_plan"];
/** A duty code as the plan writes it: "IV.4.b"; never empty, never spaced, never absurdly long. */
const PLAN_CODE = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)?$/;
const DUTY_CODE = /^\S{1,100}$/;
/** An agency's section number as the plan writes it: "IV.9", "IV.9-25195". */
const AGENCY_CODE = /^[A-Z0-9][\w.-]{0,39}$/;
/** A page number: 1 to 9999, without a leading zero. */
const PAGE = /^[1-9]\d{0,3}$/;

export function encodeChoice(choice: ChoiceValue): string {
  switch (choice.kind) {
    case "start":
      return `start:${choice.what}`;
    case "report_duty":
      return `report:duty:${choice.duty}`;
    case "report_status":
      return `report:status:${choice.status}`;
    case "report_skip_note":
      return "report:note:skip";
    case "plan":
      return `plan:${choice.plan}`;
    case "confirm":
      return `${choice.flow}:${choice.answer}`;
    case "overdue_page":
      return `overdue:${choice.plan}:${choice.page}`;
    case "overview_page":
      return `overview:${choice.plan}:${choice.page}`;
    case "members":
      return `members:${choice.plan}:${choice.group}:${choice.page}`;
    case "nudge":
      return `nudge:${choice.plan}:${choice.agency}`;
    case "plans_page":
      return `plans:${choice.view}:${choice.page}`;
  }
}

/** The meaning of a value the core encoded; null for anything else (a stale or forged value). */
export function decodeChoice(value: string): ChoiceValue | null {
  const [head = "", second = "", ...rest] = value.split(":");
  const third = rest.join(":");
  if (head === "start" && (second === "report" || second === "submit") && rest.length === 0) {
    return { kind: "start", what: second };
  }
  if (head === "report") {
    if (second === "duty" && DUTY_CODE.test(third)) return { kind: "report_duty", duty: third };
    if (second === "status" && isDutyStatus(third)) return { kind: "report_status", status: third };
    if (second === "note" && third === "skip" && rest.length === 1) return { kind: "report_skip_note" };
    return null;
  }
  if (head === "plan" && PLAN_CODE.test(second) && rest.length === 0) return { kind: "plan", plan: second };
  if (head === "overdue" && PLAN_CODE.test(second) && rest.length === 1 && PAGE.test(third))
    return { kind: "overdue_page", plan: second, page: Number(third) };
  if (head === "overview" && PLAN_CODE.test(second) && rest.length === 1 && PAGE.test(third))
    return { kind: "overview_page", plan: second, page: Number(third) };
  if (head === "members" && PLAN_CODE.test(second) && rest.length === 2) {
    const [group = "", page = ""] = rest;
    if (AGENCY_CODE.test(group) && PAGE.test(page)) return { kind: "members", plan: second, group, page: Number(page) };
    return null;
  }
  if (head === "nudge" && PLAN_CODE.test(second) && rest.length === 1 && AGENCY_CODE.test(third))
    return { kind: "nudge", plan: second, agency: third };
  const view = PLANS_VIEWS.find((v) => v === second);
  if (head === "plans" && view && rest.length === 1 && PAGE.test(third))
    return { kind: "plans_page", view, page: Number(third) };
  const flow = CONFIRMED.find((f) => f === head);
  if (flow && (second === "confirm" || second === "cancel") && rest.length === 0) {
    return { kind: "confirm", flow, answer: second };
  }
  return null;
}

/** Whether `value` decodes to `kind`, typed: the pressed button's meaning, or null. */
export function choiceOf<K extends ChoiceKind>(
  value: string | undefined,
  kind: K,
): Extract<ChoiceValue, { kind: K }> | null {
  const decoded = value === undefined ? null : decodeChoice(value);
  return decoded?.kind === kind ? (decoded as Extract<ChoiceValue, { kind: K }>) : null;
}
