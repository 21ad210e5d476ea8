import type { Db } from "../db/db.ts";
import type { Logger } from "../lib/logger.ts";
import type { ReminderPolicy } from "../schedule/policy.ts";
import { isQuietTime } from "../schedule/schedule.ts";
import { claimDue, type ClaimContext } from "./claim.ts";
import { queueFailureNotices } from "./failure-notices.ts";
import { HEARTBEAT_EVERY_MS, reachOf, type Presence } from "./presence.ts";
import { createResultWriter, createSendJob, type JobContext, type SendResult, type Serialize } from "./send-job.ts";
import { createSendQueue, realTimers, type SendQueue, type Timers } from "./send-queue.ts";
import type { DeliveryChannel } from "./types.ts";

export type { SendResult, Serialize } from "./send-job.ts";

export interface OutboxSender {
  /** Sends every row due at `now` that this process may send, and resolves when they are done. */
  sendDue(now: Date): Promise<SendResult>;
  /** Stops claiming, lets sends in flight finish (at most `graceMs`), and frees the rest. */
  stop(graceMs?: number): Promise<void>;
}

/** Sessions need no lease: only their own process sends to their one account. */
function claimContext(db: Db, presence: Presence, channels: readonly DeliveryChannel[]): ClaimContext {
  return {
    db,
    presence,
    platforms: channels.filter((c) => !c.session).map((c) => c.name),
    sessions: new Set(channels.filter((c) => c.session).map(reachOf)),
  };
}

/**
 * Pushes held because no process ran their platform are looked at again in a minute; a process
 * that has just started may be the one they wait for (a contact opening their terminal), so its
 * first pass takes them at once.
 */
function retryHeld(db: Db, now: Date) {
  return db.outboxMessage.updateMany({
    where: { status: "pending", heldReason: "no_platform", nextAttemptAt: { gt: now } },
    data: { nextAttemptAt: now },
  });
}

/**
 * Sends the outbox. Claiming rows and recording results take their turn with chat events; the
 * network calls do not, and run concurrently within each platform's pace. A push goes to the
 * person's most recently used account on a platform that runs somewhere; only the process holding
 * a platform's lease sends for it, so the platform's rate holds across processes.
 */
export function createOutboxSender(deps: {
  db: Db;
  channels: readonly DeliveryChannel[];
  presence: Presence;
  logger: Logger;
  policy: () => Promise<ReminderPolicy>;
  serialize?: Serialize;
  timers?: Timers;
}): OutboxSender {
  const { db, presence, logger } = deps;
  const serialize: Serialize = deps.serialize ?? ((work) => work());
  const timers = deps.timers ?? realTimers;
  const channels = new Map(deps.channels.map((c) => [c.name, c]));
  const queues = new Map<string, SendQueue>(
    deps.channels.map((c) => [c.name, createSendQueue({ pace: c.pace, timers })]),
  );
  const writer = createResultWriter(db, serialize);
  let stopping = false;
  let heldRetried = false;
  const jobs = { channels, queues, writer, logger, stopping: () => stopping };
  const claims = claimContext(db, presence, deps.channels);

  /** Frees this process's claims on rows it did not finish, so any process can send them. */
  async function releaseUnfinished(): Promise<void> {
    await serialize(() =>
      db.outboxMessage.updateMany({
        where: { claimedBy: presence.processId, status: "pending" },
        data: { claimedBy: null, claimedAt: null },
      }),
    );
  }

  async function pass(now: Date): Promise<SendResult> {
    const result: SendResult = { sent: [], failed: [], retrying: [], unreachable: [] };
    const policy = await serialize(() => deps.policy());
    // Night is for sleeping: what falls due between quietStart and quietEnd waits for the morning.
    if (isQuietTime(now, policy) || stopping) return result;
    await serialize(() => presence.beat(now));
    heldRetried ||= await serialize(() => retryHeld(db, now)).then(() => true);
    const started = timers.now();
    // Leases need the time as the pass runs: renewed at the pass's first instant, a lease lapsed for
    // the others half way through a long fan-out, and a second process sent beside this one.
    const current = () => new Date(now.getTime() + (timers.now() - started));
    const beating = keepBeating({ presence, serialize, timers, logger }, current);
    try {
      await sendRounds({ db, claims, jobs, serialize }, { now, current, maxAttempts: policy.maxAttempts, result });
    } finally {
      beating.stop();
      await releaseUnfinished();
      // The lease is kept between passes (the heartbeat renews it): a process that gave it up
      // after each pass let the next holder start a full second of sends while the platform still
      // counted its own last second, and the platform answered 429 at every hand-over.
    }
    return result;
  }

  const passes = oneAtATime(pass);
  return {
    sendDue: passes.run,
    async stop(graceMs = 10_000) {
      stopping = true;
      // Sends in flight get the grace period; the pauses are cancelled once they are not needed.
      const done = new AbortController();
      const aborted = Promise.all([...queues.values()].map((q) => q.abort()));
      await Promise.race([aborted, timers.sleep(graceMs, done.signal)]);
      const current = passes.current();
      if (current) await Promise.race([current.catch(() => undefined), timers.sleep(1000, done.signal)]);
      // The lease goes to another process at once: it waits until this one's sends no longer count
      // in the platform's second, so the two never share one (within the grace).
      const settled = Math.max(...[...queues.values()].map((q) => q.settledAt()));
      const quiet = Math.min(settled - timers.now(), graceMs);
      if (quiet > 0) await timers.sleep(quiet);
      done.abort();
      await releaseUnfinished();
      await serialize(() => presence.leave());
    },
  };
}

/**
 * Rows routed again in a pass (an unreachable account, the next part) are picked up by the
 * following rounds, and so are the notices of pushes that failed for good in a round (or in a pass
 * whose process died before telling); a round that claims nothing and leaves no notice ends the pass.
 */
async function sendRounds(
  deps: { db: Db; claims: ClaimContext; jobs: JobContext; serialize: Serialize },
  pass: { now: Date; current: () => Date; maxAttempts: number; result: SendResult },
): Promise<void> {
  const { db, claims, jobs, serialize } = deps;
  const { now, result } = pass;
  for (let round = 0; round < 10 && !jobs.stopping(); round++) {
    const claimed = await serialize(() => claimDue(claims, now, result, pass.current()));
    for (const c of claimed) {
      jobs.queues.get(c.identity.platform)!.push(createSendJob(jobs, c, now, pass.maxAttempts, result));
    }
    await Promise.all([...jobs.queues.values()].map((q) => q.drain()));
    const noticed = await serialize(() => queueFailureNotices(db, now));
    if (claimed.length === 0 && noticed === 0) break;
  }
}

/** A long fan-out outlives a lease: the beat renews it (and the heartbeat) while the sends go on. */
function keepBeating(
  deps: { presence: Presence; serialize: Serialize; timers: Timers; logger: Logger },
  current: () => Date,
): { stop(): void } {
  const beating = setInterval(() => {
    void deps
      .serialize(() => deps.presence.beat(current()))
      .catch((error: unknown) => deps.logger.warn({ err: error }, "heartbeat failed"));
  }, HEARTBEAT_EVERY_MS);
  beating.unref();
  return { stop: () => clearInterval(beating) };
}

/** One pass at a time: a pass asked for while one runs starts right after it, with the latest instant. */
function oneAtATime<T>(pass: (now: Date) => Promise<T>) {
  let current: Promise<T> | null = null;
  let next: { at: Date; promise: Promise<T> } | null = null;

  function run(now: Date): Promise<T> {
    if (!current) {
      current = pass(now).finally(() => {
        current = null;
      });
      return current;
    }
    if (next) {
      next.at = now;
      return next.promise;
    }
    const queued: { at: Date; promise: Promise<T> } = {
      at: now,
      promise: current
        .catch(() => undefined)
        .then(() => {
          next = null;
          return run(queued.at);
        }),
    };
    next = queued;
    return queued.promise;
  }
  return { run, current: () => current };
}
