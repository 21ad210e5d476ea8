import type { Db } from "../db/db.ts";
import type { Identity, OutboxMessage, Person } from "../generated/prisma/client.ts";
import { messagesFor } from "../i18n/index.ts";
import type { Logger } from "../lib/logger.ts";
import { messageOf, type IdentityUpdate, type OutboxUpdate } from "./outbox.ts";
import type { SendJob, SendQueue } from "./send-queue.ts";
import { splitMessage } from "./split-message.ts";
import { DeliveryError, type DeliveryChannel, type DeliveryTarget } from "./types.ts";
import type { OutgoingMessage } from "../model/messages.ts";

// One claimed outbox row as jobs of its platform's send queue: its parts in order, each result
// committed before the chat's next send, and what a failure means for the row.

/** Runs database work in the process's turn (one SQLite connection must not mix transactions). */
export type Serialize = <T>(work: () => Promise<T>) => Promise<T>;

export interface SendResult {
  sent: OutboxMessage[];
  failed: OutboxMessage[];
  retrying: OutboxMessage[];
  unreachable: OutboxMessage[];
}

export interface Route {
  person: Person;
  /** Reachable accounts, most recently used first. */
  identities: Identity[];
}

export interface Claimed {
  row: OutboxMessage;
  route: Route;
  identity: Identity;
}

const BACKOFF_BASE_MS = 60 * 1000;
/** Results are committed in batches of at most this many statements. */
const WRITE_BATCH = 50;

type Write =
  { table: "outbox"; id: number; data: OutboxUpdate } | { table: "identity"; id: number; data: IdentityUpdate };

export interface ResultWriter {
  record(...writes: Write[]): Promise<void>;
}

/**
 * Batches result writes: many chats' results share one transaction, and each caller's promise
 * resolves only once its own write has committed.
 */
export function createResultWriter(db: Db, serialize: Serialize): ResultWriter {
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
    record(...writes) {
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

/** The parts this platform receives: a file it cannot upload becomes a line saying how to get it. */
function partsFor(channel: DeliveryChannel, message: OutgoingMessage, locale: string): OutgoingMessage[] {
  let shaped = message;
  if (message.file && !channel.limits.files) {
    const { file, ...rest } = message;
    shaped = { ...rest, text: `${rest.text}\n\n${messagesFor(locale).delivery.fileUnavailable(file.name)}` };
  }
  // A platform without buttons shows them as numbered lines through its adapter; nothing to drop here.
  return splitMessage(shaped, channel.limits.maxMessageLength, channel.limits.lastPartRoom?.(shaped));
}

export interface JobContext {
  channels: ReadonlyMap<string, DeliveryChannel>;
  queues: ReadonlyMap<string, SendQueue>;
  writer: ResultWriter;
  logger: Logger;
  stopping(): boolean;
}

/** What one row's sending shares between its parts and its failure. */
interface RowSend {
  ctx: JobContext;
  claimed: Claimed;
  now: Date;
  maxAttempts: number;
  result: SendResult;
  attempts: number;
  release: (data: OutboxUpdate) => Promise<void>;
}

export function createSendJob(
  ctx: JobContext,
  claimed: Claimed,
  now: Date,
  maxAttempts: number,
  result: SendResult,
): SendJob {
  const { row, route, identity } = claimed;
  const channel = ctx.channels.get(identity.platform)!;
  const parts = partsFor(channel, messageOf(row), route.person.locale);
  const target: DeliveryTarget = {
    personId: row.personId,
    displayName: route.person.displayName,
    platform: identity.platform,
    userId: identity.userId,
    chatId: identity.chatId,
  };
  const send: RowSend = {
    ctx,
    claimed,
    now,
    maxAttempts,
    result,
    attempts: row.attempts,
    release: (data) =>
      ctx.writer.record({ table: "outbox", id: row.id, data: { claimedAt: null, claimedBy: null, ...data } }),
  };

  const partJob = (index: number): SendJob => ({
    chatKey: identity.chatId,
    run: async (answered) => {
      if (ctx.stopping()) return null;
      try {
        const { messageId } = await channel.deliver(target, parts[index]!);
        // Told before the result is committed: the queue paces by the platform's answer, not the database.
        answered({ rateLimited: false });
        const last = index === parts.length - 1;
        const data = {
          partsSent: index + 1,
          platform: identity.platform,
          platformMessageId: messageId,
          heldReason: null,
          ...(last && {
            status: "sent",
            sentAt: now,
            attempts: send.attempts + 1,
            lastError: null,
            claimedAt: null,
            claimedBy: null,
          }),
        };
        await ctx.writer.record({ table: "outbox", id: row.id, data });
        if (!last) return partJob(index + 1);
        result.sent.push({ ...row, ...data, status: "sent" });
        return null;
      } catch (error) {
        // Only the first answer counts: a failure to commit after a delivery is not the platform's.
        answered({ rateLimited: error instanceof DeliveryError && error.code === "delivery.rate_limited" });
        await recordFailure(send, error, index);
        return null;
      }
    },
  });

  // Parts already delivered on this platform are never sent again; another platform starts over.
  return partJob(row.platform === identity.platform ? Math.min(row.partsSent, parts.length - 1) : 0);
}

async function recordFailure(send: RowSend, error: unknown, index: number): Promise<void> {
  const { ctx, claimed, now, result, release } = send;
  const { row, route, identity } = claimed;
  const message = error instanceof Error ? error.message : String(error);
  // The platform's words go to lastError (operators); the reason is what coordinators are told.
  const reason = error instanceof DeliveryError ? error.reason : "unknown";
  const base = { partsSent: index, platform: identity.platform };
  if (error instanceof DeliveryError && error.code === "delivery.rate_limited") {
    const waitMs = error.retryAfterMs ?? 1000;
    ctx.queues.get(identity.platform)!.delayChat(identity.chatId, waitMs);
    // Not a failed attempt: the platform only asked to slow down.
    await release({ ...base, lastError: message, nextAttemptAt: new Date(now.getTime() + waitMs) });
    result.retrying.push(row);
    return;
  }
  if (error instanceof DeliveryError && error.code === "delivery.unreachable") {
    await ctx.writer.record({
      table: "identity",
      id: identity.id,
      data: { unreachableAt: now, unreachableReason: reason },
    });
    if (route.identities.some((i) => i.id !== identity.id)) {
      // The row is routed again at once, to the person's next account.
      await release({ ...base, lastError: message, failureReason: reason });
      return;
    }
    const data = {
      ...base,
      status: "unreachable",
      attempts: send.attempts + 1,
      lastError: message,
      failureReason: reason,
      nextAttemptAt: now,
    };
    await release(data);
    result.unreachable.push({ ...row, ...data });
    return;
  }
  ctx.logger.warn({ err: error, outboxId: row.id, platform: identity.platform }, "delivery failed");
  send.attempts += 1;
  const final = send.attempts >= send.maxAttempts ? "failed" : "pending";
  const data = {
    ...base,
    status: final,
    attempts: send.attempts,
    lastError: message,
    failureReason: reason,
    // For a final failure this is the moment it failed, which is what digests select on.
    nextAttemptAt: final === "pending" ? new Date(now.getTime() + BACKOFF_BASE_MS * 2 ** (send.attempts - 1)) : now,
  };
  await release(data);
  (final === "pending" ? result.retrying : result.failed).push({ ...row, ...data });
}
