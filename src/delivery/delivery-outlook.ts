import type { Db, Tx } from "../db/db.ts";
import { canReach, runningPlatforms } from "./presence.ts";
import { isDeliveryFailureReason, type DeliveryFailureReason } from "../model/messages.ts";
import type { DirectoryAgency, Identity, Person } from "../generated/prisma/client.ts";
import type { ReminderPolicy } from "../schedule/policy.ts";
import { deferPastQuietHours, isQuietTime } from "../schedule/schedule.ts";

// What will become of a push queued now, for each recipient, judged from what is stored: the
// accounts the platforms refused (Identity.unreachableAt and its reason), the platforms some live
// process runs (heartbeats), and the quiet hours of the plan's policy. The sender decides the same
// way, so a command's reply can say "sent", "at 07:00" or "cannot be reached" and be right.

export type DeliveryOutcome =
  /** Goes out within moments. */
  | { kind: "now" }
  /** Waits out the night: the sender sends nothing between quietStart and quietEnd. */
  | { kind: "quiet"; until: Date }
  /** None of the person's reachable accounts is on a platform that runs anywhere: waits for one. */
  | { kind: "held"; platforms: string[] }
  /** Every account of the person was refused: the push will be marked unreachable, not sent. */
  | { kind: "unreachable"; reason: DeliveryFailureReason; platforms: string[] };

export interface RecipientOutlook {
  person: Person & { directoryAgency: DirectoryAgency | null };
  outcome: DeliveryOutcome;
}

export interface OutlookOptions {
  now: Date;
  policy: ReminderPolicy;
  /** The platforms this process sends for; null when unknown, and then nobody is judged "held". */
  platforms: readonly string[] | null;
}

function lastRefusal(identities: readonly Identity[]): DeliveryFailureReason {
  const latest = identities
    .filter((i) => i.unreachableAt !== null)
    .sort((a, b) => b.unreachableAt!.getTime() - a.unreachableAt!.getTime())[0];
  return isDeliveryFailureReason(latest?.unreachableReason) ? latest.unreachableReason : "unknown";
}

function outcomeOf(
  identities: readonly Identity[],
  running: Set<string> | null,
  options: OutlookOptions,
): DeliveryOutcome {
  const reachable = identities.filter((i) => i.unreachableAt === null);
  if (reachable.length === 0) {
    const platforms = [...new Set(identities.map((i) => i.platform))];
    return { kind: "unreachable", reason: lastRefusal(identities), platforms };
  }
  if (running && !reachable.some((i) => canReach(running, i))) {
    return { kind: "held", platforms: [...new Set(reachable.map((i) => i.platform))] };
  }
  if (isQuietTime(options.now, options.policy)) {
    return { kind: "quiet", until: deferPastQuietHours(options.now, options.policy) };
  }
  return { kind: "now" };
}

/** The outlook of a push to each of these people queued at `options.now`, in their order. */
export async function deliveryOutlook(
  db: Db | Tx,
  personIds: readonly number[],
  options: OutlookOptions,
): Promise<RecipientOutlook[]> {
  if (personIds.length === 0) return [];
  const people = await db.person.findMany({
    where: { id: { in: [...personIds] } },
    include: { directoryAgency: true, identities: true },
  });
  const running = options.platforms ? await runningPlatforms(db, options.now, options.platforms) : null;
  const byId = new Map(people.map((p) => [p.id, p]));
  return personIds.flatMap((id) => {
    const found = byId.get(id);
    if (!found) return [];
    const { identities, ...person } = found;
    return [{ person, outcome: outcomeOf(identities, running, options) }];
  });
}

/** Counts by outcome, for the replies' summaries. */
export function outlookCounts(outlook: readonly RecipientOutlook[]) {
  const of = (kind: DeliveryOutcome["kind"]) => outlook.filter((o) => o.outcome.kind === kind);
  return { now: of("now"), quiet: of("quiet"), held: of("held"), unreachable: of("unreachable") };
}
