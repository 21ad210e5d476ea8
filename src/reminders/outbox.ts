import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.ts";
import type { Notification, Notifier, OutgoingMessage } from "../core/types.ts";
import type { Db } from "../db.ts";
import { DeliveryError, type Deliverer } from "../delivery/types.ts";
import type { OutboxMessage } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { isQuietTime } from "./schedule.ts";
import type { ReminderPolicy } from "./policy.ts";

export type OutboxKind = "reminder" | "digest" | "nudge" | "notification";

export interface OutboxItem {
  key: string;
  kind: OutboxKind;
  personId: number;
  planId?: number | null;
  agencyId?: number | null;
  point?: string | null;
  message: OutgoingMessage;
  duties?: string[];
  dueAt: Date;
}

/** A sending claim older than this is presumed dead (process killed mid-send) and may be retaken. */
const CLAIM_TIMEOUT_MS = 5 * 60 * 1000;
const BACKOFF_BASE_MS = 60 * 1000;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/**
 * Writes items that are not there yet. The unique key is what makes planning twice, a second
 * process or a restart harmless: the second insert of the same key is simply refused.
 */
export async function enqueue(db: Db, now: Date, items: readonly OutboxItem[]): Promise<OutboxMessage[]> {
  const created: OutboxMessage[] = [];
  for (const item of items) {
    try {
      created.push(
        await db.outboxMessage.create({
          data: {
            key: item.key,
            kind: item.kind,
            personId: item.personId,
            planId: item.planId ?? null,
            agencyId: item.agencyId ?? null,
            point: item.point ?? null,
            payload: JSON.stringify(item.message),
            duties: item.duties ? JSON.stringify(item.duties) : null,
            dueAt: item.dueAt,
            nextAttemptAt: item.dueAt,
            createdAt: now,
          },
        }),
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return created;
}

/** Records a point that will never be sent (expired), so it is not reconsidered on every tick. */
export async function recordSkipped(db: Db, now: Date, item: OutboxItem, reason: string): Promise<boolean> {
  try {
    await db.outboxMessage.create({
      data: {
        key: item.key,
        kind: item.kind,
        personId: item.personId,
        planId: item.planId ?? null,
        agencyId: item.agencyId ?? null,
        point: item.point ?? null,
        payload: JSON.stringify(item.message),
        duties: item.duties ? JSON.stringify(item.duties) : null,
        dueAt: item.dueAt,
        nextAttemptAt: item.dueAt,
        status: "skipped",
        skipReason: reason,
        createdAt: now,
      },
    });
    return true;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return false;
  }
}

/** The core's pushes go through the outbox too, so they survive a restart and are never doubled. */
export function createOutboxNotifier(deps: { db: Db; clock: Clock; onQueued?: () => void }): Notifier {
  return {
    async notify(notifications: Notification[]) {
      const now = deps.clock.now();
      await enqueue(
        deps.db,
        now,
        notifications.map((n) => ({
          key: n.key ?? `${n.kind}:${randomUUID()}`,
          kind: n.kind,
          personId: n.personId,
          message: n.message,
          dueAt: now,
        })),
      );
      deps.onQueued?.();
    },
  };
}

export interface SendResult {
  sent: OutboxMessage[];
  failed: OutboxMessage[];
  retrying: OutboxMessage[];
  unreachable: OutboxMessage[];
}

export interface OutboxSender {
  sendDue(now: Date): Promise<SendResult>;
}

/**
 * Sends every due row once. A row is claimed with a guarded update before it is sent, so two
 * processes ticking at the same instant cannot both send it; failures back off exponentially and
 * end as `failed` after `maxAttempts`, or at once as `unreachable` when the platform says so.
 */
export function createOutboxSender(deps: {
  db: Db;
  deliverer: Deliverer;
  logger: Logger;
  policy: () => Promise<ReminderPolicy>;
}): OutboxSender {
  const { db, deliverer, logger } = deps;
  const processToken = randomUUID();

  async function targetsFor(personId: number) {
    const person = await db.person.findUnique({ where: { id: personId }, include: { identities: true } });
    if (!person?.active) return { person, identities: [] };
    const identities = person.identities
      .filter((i) => i.unreachableAt === null)
      .sort(
        (a, b) =>
          (b.lastSeenAt?.getTime() ?? b.createdAt.getTime()) - (a.lastSeenAt?.getTime() ?? a.createdAt.getTime()),
      );
    return { person, identities };
  }

  async function sendOne(row: OutboxMessage, now: Date, result: SendResult, maxAttempts: number): Promise<void> {
    const { person, identities } = await targetsFor(row.personId);
    const message = JSON.parse(row.payload) as OutgoingMessage;
    let lastError = person?.active === false ? "person deactivated" : "no reachable account";
    let unreachable = identities.length === 0;
    for (const identity of identities) {
      try {
        const { messageId } = await deliverer.deliver(
          {
            personId: row.personId,
            displayName: person!.displayName,
            platform: identity.platform,
            userId: identity.userId,
            chatId: identity.chatId,
          },
          message,
        );
        const sent = await db.outboxMessage.update({
          where: { id: row.id },
          data: {
            status: "sent",
            sentAt: now,
            attempts: row.attempts + 1,
            platform: identity.platform,
            platformMessageId: messageId,
            claimedAt: null,
            claimToken: null,
            lastError: null,
          },
        });
        result.sent.push(sent);
        return;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        if (error instanceof DeliveryError && error.code === "delivery.unreachable") {
          await db.identity.update({
            where: { id: identity.id },
            data: { unreachableAt: now, unreachableReason: lastError },
          });
          unreachable = true;
          continue;
        }
        unreachable = false;
        logger.warn({ err: error, outboxId: row.id, platform: identity.platform }, "delivery failed");
        break;
      }
    }
    const attempts = row.attempts + 1;
    const final = unreachable ? "unreachable" : attempts >= maxAttempts ? "failed" : "pending";
    const updated = await db.outboxMessage.update({
      where: { id: row.id },
      data: {
        status: final,
        attempts,
        lastError,
        nextAttemptAt: new Date(now.getTime() + BACKOFF_BASE_MS * 2 ** (attempts - 1)),
        claimedAt: null,
        claimToken: null,
      },
    });
    (final === "pending" ? result.retrying : final === "failed" ? result.failed : result.unreachable).push(updated);
  }

  return {
    async sendDue(now) {
      const policy = await deps.policy();
      const result: SendResult = { sent: [], failed: [], retrying: [], unreachable: [] };
      // Night is for sleeping: what falls due between quietStart and quietEnd waits for the morning.
      if (isQuietTime(now, policy)) return result;
      const due = await db.outboxMessage.findMany({
        where: { status: "pending", nextAttemptAt: { lte: now } },
        orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
      });
      for (const row of due) {
        const token = `${processToken}:${row.id}:${now.getTime()}`;
        const claimed = await db.outboxMessage.updateMany({
          where: {
            id: row.id,
            status: "pending",
            OR: [{ claimedAt: null }, { claimedAt: { lt: new Date(now.getTime() - CLAIM_TIMEOUT_MS) } }],
          },
          data: { claimedAt: now, claimToken: token },
        });
        if (claimed.count === 0) continue;
        await sendOne(row, now, result, policy.maxAttempts);
      }
      return result;
    },
  };
}
