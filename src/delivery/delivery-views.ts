import { isDeliveryFailureReason, type DeliveryFailureReason } from "../model/messages.ts";
import type { Agency, Person } from "../generated/prisma/client.ts";
import { outlookCounts, type RecipientOutlook } from "./delivery-outlook.ts";
import type { Messages } from "../i18n/index.ts";
import { agencyLabel, at } from "../i18n/views.ts";

// How deliveries read to a coordinator: what a push was, why it did not go out and what to do,
// in the catalogue's words only. The platforms' own texts never reach these.

/** A stored reason as the catalogues know it; anything else (a row from before reasons) is "unknown". */
export function reasonOf(stored: string | null | undefined): DeliveryFailureReason {
  return isDeliveryFailureReason(stored) ? stored : "unknown";
}

export function platformName(t: Messages, platform: string): string {
  return t.delivery.platforms[platform] ?? platform;
}

export function platformNames(t: Messages, platforms: Iterable<string>): string {
  return [...new Set(platforms)].map((p) => platformName(t, p)).join(", ");
}

/** "T-3" is a reminder three days before the deadline, "overdue-2" the second overdue one. */
export function pushDescription(t: Messages, kind: string, point: string | null): string {
  const k = t.delivery.kind;
  if (kind === "reminder") {
    const before = point && /^T-(\d+)$/.exec(point);
    if (before) return k.beforeDeadline(Number(before[1]));
    const overdue = point && /^overdue-(\d+)$/.exec(point);
    if (overdue) return k.overdue(Number(overdue[1]));
    return k.reminder;
  }
  if (kind === "nudge" || kind === "notification" || kind === "digest") return k[kind];
  return k.other;
}

/** How a push that failed for good ended, for the digest and the coordinator's notice. */
export function failureOutcome(
  t: Messages,
  row: { status: string; failureReason: string | null; attempts: number },
): string {
  const reason = t.delivery.reasons[reasonOf(row.failureReason)];
  return row.status === "unreachable" ? t.delivery.unreachable(reason) : t.delivery.failedFinal(reason, row.attempts);
}

/** "Chị Lan (IV.4 Bảo hiểm xã hội tỉnh)". */
export function recipientLabel(
  t: Messages,
  person: Pick<Person, "displayName">,
  agency: Pick<Agency, "code" | "name" | "parentId"> | null | undefined,
): string {
  return agency ? `${person.displayName} (${agency.code} ${agencyLabel(t, agency)})` : person.displayName;
}

const EXCERPT_LENGTH = 100;

/** The first line of a message, short enough to recognise it by. */
export function excerpt(text: string): string {
  const first = text.split("\n").find((l) => l.trim()) ?? "";
  return first.length > EXCERPT_LENGTH ? `${first.slice(0, EXCERPT_LENGTH - 1).trimEnd()}…` : first;
}

/** By name, those a command's push will not reach now: refused by their platform, or waiting for it. */
export function outlookProblems(t: Messages, outlook: readonly RecipientOutlook[]): string[] {
  const o = t.delivery.outlook;
  const { unreachable, held } = outlookCounts(outlook);
  const who = (r: RecipientOutlook) =>
    r.person.directoryAgency ? `${r.person.displayName}, ${r.person.directoryAgency.code}` : r.person.displayName;
  const lines: string[] = [];
  if (unreachable.length) {
    lines.push(o.unreachableHeader(unreachable.length));
    for (const r of unreachable) {
      if (r.outcome.kind !== "unreachable") continue;
      const { reason, platforms } = r.outcome;
      lines.push(
        o.unreachableLine(who(r), platformNames(t, platforms), t.delivery.reasons[reason], t.delivery.advice[reason]),
      );
    }
  }
  if (held.length) {
    lines.push(o.heldHeader(held.length));
    for (const r of held)
      if (r.outcome.kind === "held") lines.push(o.heldLine(who(r), platformNames(t, r.outcome.platforms)));
  }
  return lines;
}

/** Sent now, at the end of the quiet hours, or not to everyone: the lines a command's reply adds. */
export function outlookLines(
  t: Messages,
  outlook: readonly RecipientOutlook[],
  what: string,
  agency: string,
): string[] {
  const o = t.delivery.outlook;
  if (outlook.length === 0) return [o.nobody(what, agency)];
  const { now, quiet } = outlookCounts(outlook);
  const lines: string[] = [];
  if (now.length) lines.push(o.sent(what, now.length));
  const until = quiet[0]?.outcome.kind === "quiet" ? quiet[0].outcome.until : null;
  if (until) lines.push(o.queued(what, quiet.length, at(until)));
  return [...lines, ...outlookProblems(t, outlook)];
}

/** True when every recipient gets the push within moments: the reply's plain "sent" is all true. */
export function allSentNow(outlook: readonly RecipientOutlook[]): boolean {
  return outlook.length > 0 && outlook.every((r) => r.outcome.kind === "now");
}
