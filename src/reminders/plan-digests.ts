import type { Db } from "../db/db.ts";
import { enqueue } from "../delivery/outbox.ts";
import type { Serialize } from "../delivery/sender.ts";
import type { DigestChannel } from "../delivery/types.ts";
import type { Plan } from "../generated/prisma/client.ts";
import { messagesFor } from "../i18n/index.ts";
import type { Logger } from "../lib/logger.ts";
import type { WorkCalendar } from "../schedule/calendar.ts";
import { loadWorkCalendar } from "../schedule/calendar-store.ts";
import { policyOf, type ReminderPolicy } from "../schedule/policy.ts";
import { digestDates, isQuietTime } from "../schedule/schedule.ts";
import { coordinators } from "../services/contact-service.ts";
import { follows } from "../services/directory-service.ts";
import { loadPlanStatus, type PlanStatus } from "../services/status-service.ts";
import { localDate, localDateTime, toIsoLocal, type LocalDate } from "../lib/time.ts";
import { buildDigest } from "./digest.ts";
import type { ReminderDecision } from "./plan-reminders.ts";
import { activePlans, HOUR_MS, type Planned, type Planning, type ReminderEntry, type SkipReason } from "./planning.ts";

/**
 * A channel's copy is claimed once per date in the adapters' store, whose claims are kept for a day:
 * later than this the claim could be gone, so the copy is not tried any more.
 */
const DIGEST_COPY_MAX_AGE_HOURS = 20;

/** Digest dates whose time has come and not passed by more than `maxAgeHours`. */
export function liveDigestDates(
  plan: Plan,
  policy: ReminderPolicy,
  calendar: WorkCalendar,
  now: Date,
  maxAgeHours: number,
): { date: LocalDate; dueAt: Date }[] {
  return digestDates(plan.reportDeadline, policy, calendar, localDate(now))
    .map((date) => ({ date, dueAt: localDateTime(date, policy.digestTime) }))
    .filter((d) => d.dueAt <= now && now.getTime() - d.dueAt.getTime() <= maxAgeHours * HOUR_MS);
}

/** After the deadline digests go on only while someone is still missing. */
export function digestNotNeeded(plan: Plan, status: PlanStatus, date: LocalDate): boolean {
  return date >= plan.reportDeadline && status.agencies.filter((a) => a.memberCount === 0).every((a) => a.submitted);
}

/** The coordinators' digest of each live date, one per coordinator, built in their language. */
export async function planDigests(db: Db, planning: Planning): Promise<Planned> {
  const decision = await decideDigests(db, planning);
  return writeDigests(db, planning, decision);
}

/** What `planDigests` would write for one plan, decided and not written yet. */
export async function decideDigests(db: Db, planning: Planning): Promise<ReminderDecision> {
  const { plan, status, policy, calendar, now } = planning;
  const dates = liveDigestDates(plan, policy, calendar, now, policy.expireAfterHours);
  const decision: ReminderDecision = { pending: [], expired: [], skipped: [] };
  if (dates.length === 0) return decision;
  // A coordinator who follows only some plans (/theodoi) gets the digest of those.
  const recipients = (await coordinators(db)).filter((p) => follows(p, plan.id));
  for (const { date, dueAt } of dates) {
    for (const person of recipients) {
      const entry = (reason?: SkipReason): ReminderEntry => ({
        plan: planning.plan.code,
        kind: "digest",
        agency: null,
        agencyName: null,
        contact: person.id,
        contactName: person.displayName,
        point: `digest-${date}`,
        dueAt: toIsoLocal(dueAt),
        duties: [],
        ...(reason && { reason }),
      });
      if (digestNotNeeded(plan, status, date)) {
        decision.skipped.push(entry("all_submitted"));
        continue;
      }
      const key = `digest:${plan.id}:${person.id}:${date}`;
      if (await db.outboxMessage.findUnique({ where: { key }, select: { id: true } })) continue;
      const { digest, ...message } = await buildDigest(db, messagesFor(person.locale), plan, status, dueAt, now);
      decision.pending.push({
        item: { key, kind: "digest", personId: person.id, planId: plan.id, point: `digest-${date}`, message, dueAt },
        entry: entry(),
        locale: person.locale,
        digest,
      });
    }
  }
  return decision;
}

export async function writeDigests(db: Db, { now, dryRun }: Planning, decision: ReminderDecision): Promise<Planned> {
  const created = dryRun
    ? null
    : await enqueue(
        db,
        now,
        decision.pending.map((p) => p.item),
      );
  return {
    due: decision.pending.filter((p) => !created || created.has(p.item.key)).map((p) => p.entry),
    skipped: decision.skipped,
  };
}

export interface DigestCopyDeps {
  db: Db;
  logger: Logger;
  serialize: Serialize;
  digestChannels: readonly DigestChannel[];
  claimOnce: (key: string) => Promise<boolean>;
}

/**
 * Posts the digest of each live date to every digest channel, once across processes. The copy is
 * built like a coordinator's, in the channel's language; it is not an outbox row (a channel is no
 * person), so a post that fails is logged and not retried.
 */
export async function copyDigests(deps: DigestCopyDeps, now: Date): Promise<void> {
  const { db, serialize } = deps;
  const lives = await serialize(async () => {
    const calendar = await loadWorkCalendar(db);
    return (await activePlans(db)).flatMap((active) => {
      const policy = policyOf(active);
      // Like every push, the copy waits out the night.
      if (isQuietTime(now, policy)) return [];
      const maxAge = Math.min(policy.expireAfterHours, DIGEST_COPY_MAX_AGE_HOURS);
      return [{ plan: active, dates: liveDigestDates(active, policy, calendar, now, maxAge) }];
    });
  });
  for (const live of lives) await copyPlanDigests(deps, live, now);
}

async function copyPlanDigests(
  deps: DigestCopyDeps,
  live: { plan: Plan; dates: ReturnType<typeof liveDigestDates> },
  now: Date,
): Promise<void> {
  const { db, serialize } = deps;
  for (const { date, dueAt } of live.dates) {
    for (const channel of deps.digestChannels) {
      if (!(await deps.claimOnce(`digest:${channel.name}:${live.plan.id}:${date}`))) continue;
      const message = await serialize(async () => {
        const status = await loadPlanStatus(db, live.plan);
        if (digestNotNeeded(live.plan, status, date)) return null;
        const built = await buildDigest(db, messagesFor(channel.locale), live.plan, status, dueAt, now);
        // Without its buttons: in a shared channel they would answer whoever pressed, coordinator or not.
        return { text: built.text };
      });
      if (!message) continue;
      try {
        await channel.post(message);
      } catch (error) {
        deps.logger.error({ err: error, channel: channel.name, date }, "digest copy to a channel failed");
      }
    }
  }
}
