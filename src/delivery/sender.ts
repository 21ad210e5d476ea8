import type { Db } from "../db.ts";
import type { Identity, OutboxMessage, Person } from "../generated/prisma/client.ts";
import { messagesFor } from "../i18n/index.ts";
import type { Logger } from "../logger.ts";
import type { ReminderPolicy } from "../schedule/policy.ts";
import { isQuietTime } from "../schedule/schedule.ts";
import { messageOf } from "./outbox.ts";
import { HEARTBEAT_EVERY_MS, type Presence } from "./presence.ts";
import { createSendQueue, realTimers, type SendJob, type SendQueue, type Timers } from "./send-queue.ts";
import { splitMessage } from "./split-message.ts";
import { DeliveryError, type DeliveryChannel, type DeliveryTarget, type OutgoingMessage } from "./types.ts";

/** Runs database work in the process's turn (one SQLite connection must not mix transactions). */
export type Serialize = <T>(work: () => Promise<T>) => Promise<T>;

export interface SendResult {
  sent: OutboxMessage[];
  failed: OutboxMessage[];
  retrying: OutboxMessage[];
  unreachable: OutboxMessage[];
}

export interface OutboxSender {
  /** Sends every row due at `now` that this process may send, and resolves when they are done. */
  sendDue(now: Date): Promise<SendResult>;
  /** Stops claiming, lets sends in flight finish (at most `graceMs`), and frees the rest. */
  stop(graceMs?: number): Promise<void>;
}

const BACKOFF_BASE_MS = 60 * 1000;
/** A row none of whose platforms runs anywhere is looked at again this much later. */
const HOLD_RECHECK_MS = 60 * 1000;
/** Results are committed in batches of at most this many statements. */
const WRITE_BATCH = 50;
/**
 * Rows claimed per round. A round waits for its sends before the next claim, so fewer rounds
 * leave fewer gaps in a fan-out; but a claim names its rows one bound value each, and Prisma's
 * SQLite adapter refuses a statement with more than 999 of them (P2029).
 */
const CLAIM_CHUNK = 900;

interface Route {
  person: Person;
  /** Reachable accounts, most recently used first. */
  identities: Identity[];
}

type Write =
  | { table: "outbox"; id: number; data: Record<string, unknown> }
  | { table: "identity"; id: number; data: Record<string, unknown> };

/**
 * Batches result writes: many chats' results share one transaction, and each caller's promise
 * resolves only once its own write has committed.
 */
function createResultWriter(db: Db, serialize: Serialize) {
  let queued: { write: Write; done: () => void; fail: (e: unknown) => void }[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    while (queued.length > 0) {
      const batch = queued.slice(0, WRITE_BATCH);
      queued = queued.slice(WRITE_BATCH);
      try {
        await serialize(() =>
          db.$transaction(
            batch.map(({ write }) =>
              write.table === "outbox"
                ? db.outboxMessage.update({ where: { id: write.id }, data: write.data })
                : db.identity.update({ where: { id: write.id }, data: write.data }),
            ),
          ),
        );
        batch.forEach((b) => b.done());
      } catch (error) {
        batch.forEach((b) => b.fail(error));
      }
    }
  }

  return {
    record(...writes: Write[]): Promise<void> {
      const promises = writes.map((write) => new Promise<void>((done, fail) => queued.push({ write, done, fail })));
      if (!scheduled) {
        scheduled = true;
        // Let the other sends finishing in this turn of the loop join the batch.
        setImmediate(() => void flush());
      }
      return Promise.all(promises).then(() => undefined);
    },
  };
}

function byRecentUse(a: Identity, b: Identity): number {
  return (b.lastSeenAt?.getTime() ?? b.createdAt.getTime()) - (a.lastSeenAt?.getTime() ?? a.createdAt.getTime());
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

  async function loadRoutes(personIds: number[]): Promise<Map<number, Route>> {
    const people = await db.person.findMany({ where: { id: { in: personIds } }, include: { identities: true } });
    return new Map(
      people.map((person) => [
        person.id,
        { person, identities: person.identities.filter((i) => i.unreachableAt === null).sort(byRecentUse) },
      ]),
    );
  }

  /** Decides each due row's fate and claims those this process sends now. */
  async function claim(
    now: Date,
    result: SendResult,
  ): Promise<{ row: OutboxMessage; route: Route; identity: Identity }[]> {
    const { ids: live, platforms: running } = await presence.live(now);
    const leased = new Set<string>();
    for (const name of channels.keys()) if (await presence.acquireLease(name, now)) leased.add(name);

    const due = await db.outboxMessage.findMany({
      where: {
        status: "pending",
        nextAttemptAt: { lte: now },
        OR: [{ claimedBy: null }, { claimedBy: { notIn: live } }],
      },
      orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
      select: { id: true, personId: true },
      take: CLAIM_CHUNK,
    });
    if (due.length === 0) return [];
    const routes = await loadRoutes([...new Set(due.map((r) => r.personId))]);
    const mine: { id: number; identity: Identity }[] = [];
    const held: number[] = [];
    for (const row of due) {
      const route = routes.get(row.personId);
      if (!route?.person.active) {
        // Left the post (or was removed): not a delivery failure to report as "blocked the bot".
        await db.outboxMessage.update({
          where: { id: row.id },
          data: { status: "skipped", skipReason: "deactivated", claimedAt: null, claimedBy: null },
        });
        continue;
      }
      if (route.identities.length === 0) {
        const updated = await db.outboxMessage.update({
          where: { id: row.id },
          data: {
            status: "unreachable",
            attempts: { increment: 1 },
            lastError: "no reachable account",
            nextAttemptAt: now,
            claimedBy: null,
          },
        });
        result.unreachable.push(updated);
        continue;
      }
      const identity = route.identities.find((i) => running.has(i.platform));
      if (!identity) held.push(row.id);
      else if (leased.has(identity.platform)) mine.push({ id: row.id, identity });
      // Otherwise another live process runs that platform and sends it.
    }
    if (held.length > 0) {
      // Waits, without counting an attempt, until one of the person's platforms runs somewhere.
      await db.outboxMessage.updateMany({
        where: { id: { in: held } },
        data: { heldReason: "no_platform", nextAttemptAt: new Date(now.getTime() + HOLD_RECHECK_MS) },
      });
    }
    if (mine.length === 0) return [];
    await db.outboxMessage.updateMany({
      where: {
        id: { in: mine.map((m) => m.id) },
        status: "pending",
        OR: [{ claimedBy: null }, { claimedBy: { notIn: live } }],
      },
      data: { claimedBy: presence.processId, claimedAt: now },
    });
    const claimed = await db.outboxMessage.findMany({
      where: { id: { in: mine.map((m) => m.id) }, claimedBy: presence.processId, status: "pending" },
      orderBy: { id: "asc" },
    });
    const identityOf = new Map(mine.map((m) => [m.id, m.identity]));
    return claimed.map((row) => ({ row, route: routes.get(row.personId)!, identity: identityOf.get(row.id)! }));
  }

  /** The parts this platform receives: a file it cannot upload becomes a line saying how to get it. */
  function partsFor(channel: DeliveryChannel, message: OutgoingMessage, locale: string): OutgoingMessage[] {
    let shaped = message;
    if (message.file && !channel.limits.files) {
      const { file, ...rest } = message;
      shaped = { ...rest, text: `${rest.text}\n\n${messagesFor(locale).delivery.fileUnavailable(file.name)}` };
    }
    if (!channel.limits.buttons && shaped.choices) {
      // A platform without buttons shows them as numbered lines through its adapter; nothing to drop here.
    }
    return splitMessage(shaped, channel.limits.maxMessageLength);
  }

  function jobFor(
    claimed: { row: OutboxMessage; route: Route; identity: Identity },
    now: Date,
    maxAttempts: number,
    result: SendResult,
  ): SendJob {
    const { row, route, identity } = claimed;
    const channel = channels.get(identity.platform)!;
    const queue = queues.get(identity.platform)!;
    const parts = partsFor(channel, messageOf(row), route.person.locale);
    const target: DeliveryTarget = {
      personId: row.personId,
      displayName: route.person.displayName,
      platform: identity.platform,
      userId: identity.userId,
      chatId: identity.chatId,
    };
    const chatKey = identity.chatId;
    // Parts already delivered on this platform are never sent again; another platform starts over.
    const first = row.platform === identity.platform ? Math.min(row.partsSent, parts.length - 1) : 0;
    let attempts = row.attempts;

    const release = (data: Record<string, unknown>) =>
      writer.record({ table: "outbox", id: row.id, data: { claimedAt: null, claimedBy: null, ...data } });

    const partJob = (index: number): SendJob => ({
      chatKey,
      run: async () => {
        if (stopping) return null;
        try {
          const { messageId } = await channel.deliver(target, parts[index]!);
          const last = index === parts.length - 1;
          const data = {
            partsSent: index + 1,
            platform: identity.platform,
            platformMessageId: messageId,
            heldReason: null,
            ...(last && {
              status: "sent",
              sentAt: now,
              attempts: attempts + 1,
              lastError: null,
              claimedAt: null,
              claimedBy: null,
            }),
          };
          await writer.record({ table: "outbox", id: row.id, data });
          if (last) {
            result.sent.push({ ...row, ...data, status: "sent" } as OutboxMessage);
            return null;
          }
          return partJob(index + 1);
        } catch (error) {
          await recordFailure(error, index);
          return null;
        }
      },
    });

    async function recordFailure(error: unknown, index: number): Promise<void> {
      const message = error instanceof Error ? error.message : String(error);
      const base = { partsSent: index, platform: identity.platform };
      if (error instanceof DeliveryError && error.code === "delivery.rate_limited") {
        const waitMs = error.retryAfterMs ?? 1000;
        queue.delayChat(chatKey, waitMs);
        // Not a failed attempt: the platform only asked to slow down.
        await release({ ...base, lastError: message, nextAttemptAt: new Date(now.getTime() + waitMs) });
        result.retrying.push(row);
        return;
      }
      if (error instanceof DeliveryError && error.code === "delivery.unreachable") {
        const gone = {
          table: "identity" as const,
          id: identity.id,
          data: { unreachableAt: now, unreachableReason: message },
        };
        if (route.identities.some((i) => i.id !== identity.id)) {
          // The row is routed again at once, to the person's next account.
          await writer.record(gone);
          await release({ ...base, lastError: message });
          return;
        }
        const data = { ...base, status: "unreachable", attempts: attempts + 1, lastError: message, nextAttemptAt: now };
        await writer.record(gone);
        await release(data);
        result.unreachable.push({ ...row, ...data } as OutboxMessage);
        return;
      }
      logger.warn({ err: error, outboxId: row.id, platform: identity.platform }, "delivery failed");
      attempts += 1;
      const final = attempts >= maxAttempts ? "failed" : "pending";
      const data = {
        ...base,
        status: final,
        attempts,
        lastError: message,
        // For a final failure this is the moment it failed, which is what digests select on.
        nextAttemptAt: final === "pending" ? new Date(now.getTime() + BACKOFF_BASE_MS * 2 ** (attempts - 1)) : now,
      };
      await release(data);
      (final === "pending" ? result.retrying : result.failed).push({ ...row, ...data } as OutboxMessage);
    }

    return partJob(first);
  }

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
    // A long fan-out outlives a lease; the beat renews it while the sends go on.
    const beating = setInterval(() => {
      void serialize(() => presence.beat(new Date(now.getTime() + (timers.now() - started)))).catch((error: unknown) =>
        logger.warn({ err: error }, "heartbeat failed"),
      );
    }, HEARTBEAT_EVERY_MS);
    beating.unref();
    const started = timers.now();
    try {
      // Rows routed again in this pass (an unreachable account, the next part) are picked up by
      // the following rounds; a round that claims nothing ends the pass.
      for (let round = 0; round < 10 && !stopping; round++) {
        const claimed = await serialize(() => claim(now, result));
        if (claimed.length === 0) break;
        for (const c of claimed) queues.get(c.identity.platform)!.push(jobFor(c, now, policy.maxAttempts, result));
        await Promise.all([...queues.values()].map((q) => q.drain()));
      }
    } finally {
      clearInterval(beating);
      await releaseUnfinished();
      await serialize(() => presence.releaseLeases());
    }
    return result;
  }

  // One pass at a time: a pass asked for while one runs starts right after it, with the latest instant.
  let current: Promise<SendResult> | null = null;
  let next: { at: Date; promise: Promise<SendResult> } | null = null;

  function sendDue(now: Date): Promise<SendResult> {
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
    const queued: { at: Date; promise: Promise<SendResult> } = {
      at: now,
      promise: current
        .catch(() => undefined)
        .then(() => {
          next = null;
          return sendDue(queued.at);
        }),
    };
    next = queued;
    return queued.promise;
  }

  return {
    sendDue,
    async stop(graceMs = 10_000) {
      stopping = true;
      // Sends in flight get the grace period; the pauses are cancelled once they are not needed.
      const done = new AbortController();
      const aborted = Promise.all([...queues.values()].map((q) => q.abort()));
      await Promise.race([aborted, timers.sleep(graceMs, done.signal)]);
      if (current) await Promise.race([current.catch(() => undefined), timers.sleep(1000, done.signal)]);
      done.abort();
      await releaseUnfinished();
      await serialize(() => presence.leave());
    },
  };
}
