import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.ts";
import type { Notification, Notifier, OutgoingMessage } from "../core/types.ts";
import type { Db } from "../db.ts";
import { DeliveryError, type Deliverer } from "./types.ts";
import type { Identity, OutboxMessage, Person } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { isQuietTime } from "../schedule/schedule.ts";
import type { ReminderPolicy } from "../schedule/policy.ts";

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
const CLAIM_CHUNK = 50;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

function toRow(item: OutboxItem, now: Date) {
  return {
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
  };
}

/**
 * Writes items that are not there yet. The unique key is what makes planning twice, a second
 * process or a restart harmless: the second insert of the same key is simply refused.
 */
export async function enqueue(db: Db, now: Date, items: readonly OutboxItem[]): Promise<Set<string>> {
  const rows = items.map((item) => toRow(item, now));
  if (rows.length === 0) return new Set();
  try {
    // One statement for the common case: thousands of reminders at 08:00 in a single commit.
    await db.outboxMessage.createMany({ data: rows });
    return new Set(rows.map((r) => r.key));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  // Someone else wrote some of these keys first: insert row by row and keep only ours.
  const created = new Set<string>();
  for (const data of rows) {
    try {
      await db.outboxMessage.create({ data });
      created.add(data.key);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return created;
}

/** Records a point that will never be sent (expired), so it is not reconsidered on every tick. */
export async function recordSkipped(db: Db, now: Date, item: OutboxItem, reason: string): Promise<boolean> {
  try {
    await db.outboxMessage.create({ data: { ...toRow(item, now), status: "skipped", skipReason: reason } });
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

interface Target {
  person: Person;
  /** Reachable accounts, most recently used first. */
  identities: Identity[];
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
  let claimSequence = 0;

  /** People and their reachable accounts, most recently used first, for a batch of rows at once. */
  async function loadTargets(personIds: number[]): Promise<Map<number, Target>> {
    const people = await db.person.findMany({ where: { id: { in: personIds } }, include: { identities: true } });
    return new Map(
      people.map((person) => [
        person.id,
        {
          person,
          identities: person.active
            ? person.identities
                .filter((i) => i.unreachableAt === null)
                .sort(
                  (a, b) =>
                    (b.lastSeenAt?.getTime() ?? b.createdAt.getTime()) -
                    (a.lastSeenAt?.getTime() ?? a.createdAt.getTime()),
                )
            : [],
        },
      ]),
    );
  }

  async function sendOne(
    row: OutboxMessage,
    target: Target | undefined,
    now: Date,
    result: SendResult,
    maxAttempts: number,
  ): Promise<void> {
    const person = target?.person;
    const identities = target?.identities ?? [];
    const message = JSON.parse(row.payload) as OutgoingMessage;
    if (!person?.active) {
      // Left the post (or was removed): not a delivery failure to report as "blocked the bot".
      await db.outboxMessage.update({
        where: { id: row.id },
        data: { status: "skipped", skipReason: "deactivated", claimedAt: null, claimToken: null },
      });
      return;
    }
    let lastError = "no reachable account";
    let unreachable = identities.length === 0;
    for (const identity of identities) {
      try {
        const { messageId } = await deliverer.deliver(
          {
            personId: row.personId,
            displayName: person.displayName,
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
        // For a final failure this is the moment it failed, which is what digests select on.
        nextAttemptAt: final === "pending" ? new Date(now.getTime() + BACKOFF_BASE_MS * 2 ** (attempts - 1)) : now,
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
        select: { id: true },
      });
      // Claimed a chunk at a time, so a claim never outlives CLAIM_TIMEOUT_MS while its rows wait.
      for (let i = 0; i < due.length; i += CLAIM_CHUNK) {
        const token = `${processToken}:${now.getTime()}:${++claimSequence}`;
        await db.outboxMessage.updateMany({
          where: {
            id: { in: due.slice(i, i + CLAIM_CHUNK).map((r) => r.id) },
            status: "pending",
            // Still due: another process may have tried a row meanwhile and released it with a
            // later nextAttemptAt; retaking it would skip the backoff.
            nextAttemptAt: { lte: now },
            OR: [{ claimedAt: null }, { claimedAt: { lt: new Date(now.getTime() - CLAIM_TIMEOUT_MS) } }],
          },
          data: { claimedAt: now, claimToken: token },
        });
        // Re-read after claiming, so attempts are counted from the row as it is now.
        const claimed = await db.outboxMessage.findMany({ where: { claimToken: token }, orderBy: { id: "asc" } });
        const targets = await loadTargets([...new Set(claimed.map((r) => r.personId))]);
        for (const row of claimed) await sendOne(row, targets.get(row.personId), now, result, policy.maxAttempts);
      }
      return result;
    },
  };
}
