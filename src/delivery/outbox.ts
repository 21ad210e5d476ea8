import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.ts";
import type { Notification, Notifier, OutgoingMessage, Transaction } from "../core/types.ts";
import type { Db, Tx } from "../db.ts";
import type { OutboxMessage } from "../generated/prisma/client.ts";

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
    // Text and buttons as JSON; a file's bytes in columns of their own, never base64 inside JSON.
    payload: JSON.stringify({
      text: item.message.text,
      ...(item.message.choices && { choices: item.message.choices }),
    }),
    fileName: item.message.file?.name ?? null,
    fileMimeType: item.message.file?.mimeType ?? null,
    fileContent: item.message.file ? new Uint8Array(item.message.file.content) : null,
    duties: item.duties ? JSON.stringify(item.duties) : null,
    dueAt: item.dueAt,
    nextAttemptAt: item.dueAt,
    createdAt: now,
  };
}

type OutboxRow = ReturnType<typeof toRow>;

/**
 * Writes items that are not there yet. The unique key is what makes planning twice, a second
 * process or a restart harmless: the second insert of the same key is simply refused. Given a
 * transaction's client, the items are written in that transaction.
 */
export async function enqueue(db: Db | Tx, now: Date, items: readonly OutboxItem[]): Promise<Set<string>> {
  const rows = items.map((item) => toRow(item, now));
  if (rows.length === 0) return new Set();
  if (!("$transaction" in db)) return enqueueWithin(db, rows);
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

/** Keys per lookup, well under the bound variables a statement may carry. */
const KEY_CHUNK = 500;

/**
 * Inside a transaction a refused insert is not harmless: on PostgreSQL it aborts the whole
 * transaction, and the record the items announce with it. So the keys already there are looked up
 * first and only the others written; only a key another transaction writes in between can still be
 * refused, which the core's random keys never are.
 */
async function enqueueWithin(tx: Tx, rows: readonly OutboxRow[]): Promise<Set<string>> {
  const taken = new Set<string>();
  const keys = [...new Set(rows.map((r) => r.key))];
  for (let i = 0; i < keys.length; i += KEY_CHUNK) {
    const found = await tx.outboxMessage.findMany({
      where: { key: { in: keys.slice(i, i + KEY_CHUNK) } },
      select: { key: true },
    });
    for (const { key } of found) taken.add(key);
  }
  // The first of two items with one key wins, as it does outside a transaction.
  const fresh: OutboxRow[] = [];
  for (const row of rows) {
    if (taken.has(row.key)) continue;
    taken.add(row.key);
    fresh.push(row);
  }
  if (fresh.length) await tx.outboxMessage.createMany({ data: fresh });
  return new Set(fresh.map((r) => r.key));
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

/**
 * The core's pushes go through the outbox too, so they survive a restart and are never doubled.
 * `onQueued` starts the sender; within a transaction only once it has committed, since a sender
 * started earlier could miss the rows, or send what a rollback then takes back.
 */
export function createOutboxNotifier(deps: { db: Db; clock: Clock; onQueued?: () => void }): Notifier {
  return {
    async notify(notifications: Notification[], within?: Transaction) {
      const now = deps.clock.now();
      await enqueue(
        within?.tx ?? deps.db,
        now,
        notifications.map((n) => ({
          key: n.key ?? `${n.kind}:${randomUUID()}`,
          kind: n.kind,
          personId: n.personId,
          message: n.message,
          dueAt: now,
        })),
      );
      if (!deps.onQueued) return;
      if (within) within.afterCommit(deps.onQueued);
      else deps.onQueued();
    },
  };
}

/** The message a row holds, as it was queued. */
export function messageOf(
  row: Pick<OutboxMessage, "payload" | "fileName" | "fileMimeType" | "fileContent">,
): OutgoingMessage {
  const stored = JSON.parse(row.payload) as OutgoingMessage;
  const message: OutgoingMessage = { text: stored.text, ...(stored.choices && { choices: stored.choices }) };
  if (row.fileContent && row.fileName) {
    message.file = {
      name: row.fileName,
      mimeType: row.fileMimeType ?? "application/octet-stream",
      content: row.fileContent,
    };
  }
  return message;
}
