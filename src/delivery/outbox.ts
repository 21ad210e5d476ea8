import { randomUUID } from "node:crypto";
import type { Clock } from "../lib/clock.ts";
import type { Notification, OutgoingMessage } from "../model/messages.ts";
import { providerOf, type Db, type Tx } from "../db/db.ts";
import { inDriverTransaction, type DriverArg } from "../db/driver-access.ts";
import { instantArg } from "../db/row-map.ts";
import type { Identity, OutboxMessage } from "../generated/prisma/client.ts";

/** An interactive transaction the core has open around a record and what announces it. */
export interface Transaction {
  /** Written with this, a row stands or falls with the record. */
  tx: Tx;
  /** Runs `action` once the transaction has committed; never when it rolls back. */
  afterCommit(action: () => void): void;
}

/** Port through which the core reaches people other than the sender. */
export interface Notifier {
  /**
   * Queues the notifications. Within a transaction they are written in it, so a notification
   * exists exactly when the record it announces does, and sending waits until it has committed.
   */
  notify(notifications: Notification[], within?: Transaction): Promise<void>;
}

/** What a send's result changes on its outbox row: progress, the outcome, the claim let go. */
export type OutboxUpdate = Partial<
  Pick<
    OutboxMessage,
    | "partsSent"
    | "platform"
    | "platformMessageId"
    | "heldReason"
    | "status"
    | "sentAt"
    | "attempts"
    | "lastError"
    | "failureReason"
    | "nextAttemptAt"
    | "claimedAt"
    | "claimedBy"
  >
>;

/** What a send's result changes on the account it went to: that it cannot be reached, and why. */
export type IdentityUpdate = Pick<Identity, "unreachableAt" | "unreachableReason">;

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
  /** The coordinator whose command queued it, told when it fails for good (see failure-notices.ts). */
  requestedById?: number | null;
  /** Set when there is nothing left to tell that coordinator (the reply already said so). */
  failureNoticeAt?: Date | null;
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
    status: "pending",
    skipReason: null as string | null,
    requestedById: item.requestedById ?? null,
    failureNoticeAt: item.failureNoticeAt ?? null,
  };
}

const EMPTY_PAYLOAD = JSON.stringify({ text: "" });

type OutboxRow = ReturnType<typeof toRow> & { status: string; skipReason: string | null };

/**
 * Writes items that are not there yet. The unique key is what makes planning twice, a second
 * process or a restart harmless: the second insert of the same key is simply refused. Given a
 * transaction's client, the items are written in that transaction.
 */
export async function enqueue(db: Db | Tx, now: Date, items: readonly OutboxItem[]): Promise<Set<string>> {
  return insertRows(
    db,
    items.map((item) => toRow(item, now)),
  );
}

/**
 * Records points that will never be sent (expired), so they are not reconsidered on every tick.
 * One statement for all of them: a bot first started on 1/12 has a whole country's T-30 to record.
 */
export async function recordSkipped(
  db: Db,
  now: Date,
  items: readonly OutboxItem[],
  reason: string,
): Promise<Set<string>> {
  return insertRows(
    db,
    // A skipped row is never sent: its text would only be weight (a merged push's plans' own
    // reminders, 67,000 of them at national scale, each repeating what the merged row holds).
    items.map((item) => ({ ...toRow(item, now), payload: EMPTY_PAYLOAD, status: "skipped", skipReason: reason })),
  );
}

async function insertRows(db: Db | Tx, rows: OutboxRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  if (!("$transaction" in db)) return enqueueWithin(db, rows);
  // Prisma's createMany costs about a millisecond a row here (6,642 reminders: 11 s). The bulk path
  // is a plain INSERT per chunk, sent through the driver's own transaction when there is one (see
  // driver-access.ts): Prisma's query compiler copying each chunk in and its keys out cost twice
  // what the database did. ON CONFLICT DO NOTHING keeps a key another process (or an earlier tick)
  // wrote first, and RETURNING says which rows were ours.
  const created = new Set<string>();
  const chunks = bulkInsertChunks(providerOf(db), rows);
  const direct = await inDriverTransaction(db, async (query) => {
    for (const { sql, args } of chunks()) for (const [key] of await query(sql, args)) created.add(key as string);
  });
  if (!direct)
    await db.$transaction(async (tx) => {
      for (const { sql, args } of chunks())
        for (const { key } of await tx.$queryRawUnsafe<{ key: string }[]>(sql, ...args)) created.add(key);
    });
  return created;
}

const INSERT_COLUMNS = [
  "key",
  "kind",
  "personId",
  "planId",
  "agencyId",
  "point",
  "payload",
  "fileName",
  "fileMimeType",
  "fileContent",
  "duties",
  "dueAt",
  "nextAttemptAt",
  "createdAt",
  "status",
  "skipReason",
  "requestedById",
  "failureNoticeAt",
] as const satisfies readonly (keyof OutboxRow)[];

type InsertColumn = (typeof INSERT_COLUMNS)[number];

/** Each column's PostgreSQL type, to which the JSON text is cast; SQLite takes the text and numbers as they come. */
const PG_TYPES: Record<InsertColumn, string> = {
  key: "text",
  kind: "text",
  personId: "integer",
  planId: "integer",
  agencyId: "integer",
  point: "text",
  payload: "text",
  fileName: "text",
  fileMimeType: "text",
  fileContent: "bytea",
  duties: "text",
  dueAt: "timestamp(3)",
  nextAttemptAt: "timestamp(3)",
  createdAt: "timestamp(3)",
  status: "text",
  skipReason: "text",
  requestedById: "integer",
  failureNoticeAt: "timestamp(3)",
};

/** Rows per PostgreSQL statement: a few megabytes of JSON at most, whatever the size of a row. */
const PG_INSERT_CHUNK = 1000;
/** Rows per SQLite statement: 9,000 bound values, well under SQLite's 32,766. */
const SQLITE_INSERT_CHUNK = 500;

/**
 * The statements that insert `rows`. PostgreSQL takes each chunk as a single JSON parameter: a
 * statement of a few hundred bytes, the same for every chunk. SQLite takes the values bound as
 * they are: its JSON functions parsed each row's text once per column, and the payload's JSON,
 * escaped again inside the chunk's, doubled what was written (at a national 08:00, 7 MB of
 * reminders took 0.45 s that way and 0.3 s bound).
 */
function bulkInsertChunks(provider: string, rows: readonly OutboxRow[]) {
  const names = INSERT_COLUMNS.map((c) => `"${c}"`).join(", ");
  if (provider !== "postgresql") {
    const row = `(${INSERT_COLUMNS.map(() => "?").join(", ")})`;
    const sql = (n: number) =>
      `INSERT INTO "OutboxMessage" (${names}) VALUES ${Array.from({ length: n }, () => row).join(", ")}
       ON CONFLICT ("key") DO NOTHING RETURNING "key"`;
    return function* () {
      for (let i = 0; i < rows.length; i += SQLITE_INSERT_CHUNK) {
        const chunk = rows.slice(i, i + SQLITE_INSERT_CHUNK);
        yield { sql: sql(chunk.length), args: chunk.flatMap((r) => INSERT_COLUMNS.map((c) => sqliteValue(r[c]))) };
      }
    };
  }
  const values = INSERT_COLUMNS.map((column, i) => {
    const text = `(r ->> ${i})`;
    return column === "fileContent" ? `decode(${text}, 'hex')` : `${text}::${PG_TYPES[column]}`;
  }).join(", ");
  const sql = `INSERT INTO "OutboxMessage" (${names}) SELECT ${values} FROM jsonb_array_elements($1::jsonb) AS r
       ON CONFLICT ("key") DO NOTHING RETURNING "key"`;
  return function* () {
    for (let i = 0; i < rows.length; i += PG_INSERT_CHUNK)
      yield {
        sql,
        args: [
          JSON.stringify(rows.slice(i, i + PG_INSERT_CHUNK).map((r) => INSERT_COLUMNS.map((c) => jsonValue(r[c])))),
        ],
      };
  };
}

/** As the driver adapter binds Prisma's values: instants as ISO text with their offset, bytes as a blob. */
function sqliteValue(value: OutboxRow[keyof OutboxRow]): DriverArg {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return instantArg(value);
  if (value instanceof Uint8Array) return Buffer.from(value);
  return value;
}

/** As Prisma writes them (see instantArg), so rows from either path read back the same. Bytes travel as hex. */
function jsonValue(value: OutboxRow[keyof OutboxRow]): string | number | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return instantArg(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  return value;
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
          requestedById: n.requestedById ?? null,
          failureNoticeAt: n.requesterTold ? now : null,
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
