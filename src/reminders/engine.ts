import type { Clock } from "../lib/clock.ts";
import type { Db } from "../db/db.ts";
import type { OutboxSender, SendResult, Serialize } from "../delivery/sender.ts";
import type { DigestChannel } from "../delivery/types.ts";
import type { OutboxMessage } from "../generated/prisma/client.ts";
import { messagesFor } from "../i18n/index.ts";
import { agencyLabel } from "../i18n/views.ts";
import type { Logger } from "../lib/logger.ts";
import { toIsoLocal } from "../lib/time.ts";
import { copyDigests, decideDigests, writeDigests } from "./plan-digests.ts";
import { decidePlanReminders, loadPassFacts, writeReminders } from "./plan-reminders.ts";
import { mergeAcrossPlans, mergedAlready, writeMerged, type PlanDecision } from "./merge-reminders.ts";
import { planningKey } from "./planning-key.ts";
import { readPlannings, type Planned, type Planning, type ReminderEntry, type TickResult } from "./planning.ts";

export type { ReminderEntry, TickResult } from "./planning.ts";

export interface ReminderEngine {
  /** What is due at `now`; unless dryRun, writes it to the outbox (idempotently). */
  plan(now: Date, options?: { dryRun?: boolean }): Promise<Planned>;
  /** Sends due outbox rows: reminders, digests, nudges and the core's notifications alike. */
  send(now: Date): Promise<SendResult>;
  /** One cron tick: plan, then send. */
  tick(now?: Date): Promise<TickResult>;
}

/**
 * For each active plan, reminders, then the coordinators' digests, from one reading of that plan.
 * A person's reminders of several plans due at the same minute go out as one push.
 */
export async function planDue(db: Db, now: Date, options: { dryRun?: boolean } = {}): Promise<Planned> {
  const planned: Planned = { due: [], skipped: [] };
  const add = (p: Planned) => {
    planned.due.push(...p.due);
    planned.skipped.push(...p.skipped);
  };
  const decided: (PlanDecision & { planning: Planning })[] = [];
  const digests: (PlanDecision & { planning: Planning })[] = [];
  const plannings: Planning[] = [];
  for await (const planning of readPlannings(db, now, options.dryRun === true)) plannings.push(planning);
  const pass = await loadPassFacts(db, plannings);
  for (const planning of plannings) {
    decided.push({ planning, plan: planning.plan, decision: await decidePlanReminders(db, planning, pass) });
    digests.push({ planning, plan: planning.plan, decision: await decideDigests(db, planning) });
  }
  const merged = mergeAcrossPlans(decided, await mergedAlready(db, decided));
  const mergedDigests = mergeAcrossPlans(digests, await mergedAlready(db, digests));
  for (const [i, { planning, decision }] of decided.entries()) {
    add(await writeReminders(db, planning, decision));
    add(await writeDigests(db, planning, digests[i]!.decision));
  }
  add(await writeMerged(db, now, options.dryRun === true, merged));
  add(await writeMerged(db, now, options.dryRun === true, mergedDigests));
  return planned;
}

/** The sent outbox rows as entries, with the names a person reads. */
export async function describeSent(db: Db, rows: readonly OutboxMessage[]): Promise<ReminderEntry[]> {
  const people = new Map(
    (await db.person.findMany({ where: { id: { in: rows.map((r) => r.personId) } } })).map((p) => [p.id, p]),
  );
  const agencies = new Map(
    (await db.agency.findMany({ where: { id: { in: rows.flatMap((r) => (r.agencyId ? [r.agencyId] : [])) } } })).map(
      (a) => [a.id, a],
    ),
  );
  const plans = new Map(
    (await db.plan.findMany({ where: { id: { in: rows.flatMap((r) => (r.planId ? [r.planId] : [])) } } })).map((p) => [
      p.id,
      p.code,
    ]),
  );
  return rows.map((r) => {
    const agency = r.agencyId ? agencies.get(r.agencyId) : undefined;
    return {
      kind: r.kind,
      plan: r.planId ? (plans.get(r.planId) ?? null) : null,
      agency: agency?.code ?? null,
      agencyName: agency ? agencyLabel(messagesFor("vi"), agency) : null,
      contact: r.personId,
      contactName: people.get(r.personId)?.displayName ?? null,
      point: r.point ?? r.kind,
      dueAt: toIsoLocal(r.dueAt),
      duties: r.duties ? (JSON.parse(r.duties) as string[]) : [],
    };
  });
}

export function createReminderEngine(deps: {
  db: Db;
  clock: Clock;
  sender: OutboxSender;
  logger: Logger;
  /** The process's turn for database work; planning takes it, sending takes it only to record. */
  serialize?: Serialize;
  /** Channels that also get the coordinators' digest, once per date (see DigestChannel). */
  digestChannels?: readonly DigestChannel[];
  /** True for the first caller of a key across every process (the adapters' store's claimOnce). */
  claimOnce?: (key: string) => Promise<boolean>;
}): ReminderEngine {
  const { db, sender, logger, claimOnce } = deps;
  const serialize: Serialize = deps.serialize ?? ((work) => work());
  const digestChannels = deps.digestChannels ?? [];
  // The last pass, under the key of what it decided from, as a pass repeated with that key reports
  // it: what it wrote is planned then, so nothing is due, and nothing is recorded again.
  let last: { key: string; repeated: Planned } | null = null;
  async function planTick(now: Date): Promise<Planned> {
    // Read before the pass: a change made while it runs shows in the next tick's key.
    const key = await planningKey(db, now);
    if (last?.key === key) return last.repeated;
    const planned = await planDue(db, now);
    const repeated = {
      due: [],
      skipped: planned.skipped.filter((s) => s.reason !== "expired" && s.reason !== "merged"),
    };
    last = { key, repeated };
    return planned;
  }
  return {
    plan: (now, options) => planDue(db, now, options),
    send: (now) => sender.sendDue(now),
    async tick(at) {
      const now = at ?? deps.clock.now();
      const planned = await serialize(() => planTick(now));
      const result = await sender.sendDue(now);
      if (digestChannels.length > 0 && claimOnce) {
        await copyDigests({ db, logger, serialize, digestChannels, claimOnce }, now);
      }
      return { ...planned, sent: await serialize(() => describeSent(db, result.sent)) };
    },
  };
}
