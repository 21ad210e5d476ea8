import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { noCheckpoint, type Checkpoint } from "../lib/checkpoint.ts";
import { projectRoot } from "../lib/paths.ts";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

// Applies Prisma's committed migrations itself, each in one SQLite transaction together with its
// `_prisma_migrations` row, so a migration is either wholly applied and recorded or not at all.
// Prisma's CLI runs a migration's statements one by one outside any transaction after recording
// it as started: a start killed in the middle left a half-built file that every later start
// refused with P3009. The rows written here are the ones Prisma writes, so `prisma migrate
// status` and `prisma migrate deploy` still see an up-to-date database.

export class MigrationError extends Error {
  readonly code = "db.migration_failed";
}

export interface Migration {
  name: string;
  sql: string;
  /** What Prisma stores in `_prisma_migrations.checksum`: the SHA-256 of migration.sql's bytes, in hex. */
  checksum: string;
}

const MIGRATIONS_DIR = join(projectRoot, "prisma", "migrations");
/** How long SQLite itself waits for another connection's lock before this module retries. */
const BUSY_TIMEOUT_MS = 200;
/** Another process's migration (or a long write) may hold the lock this long before a start gives up. */
const LOCK_WAIT_MS = 10 * 60_000;

/** Prisma's own definition of its table, created the same way when this module migrates first. */
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** The migration folders in the order Prisma applies them (by name). */
export function committedMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

interface Statement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** The part of a better-sqlite3 connection used here. */
export interface Sqlite {
  exec(sql: string): unknown;
  prepare(sql: string): Statement;
  close(): void;
  readonly inTransaction: boolean;
}

type SqliteDriver = new (path: string, options?: { timeout?: number; fileMustExist?: boolean }) => Sqlite;
let driver: SqliteDriver | undefined;

/**
 * A plain connection through better-sqlite3, the driver of Prisma's adapter (loaded from the
 * adapter's own dependencies, so it is the same SQLite build): a migration needs a multi-statement
 * script and BEGIN IMMEDIATE on one connection, which the Prisma client does not offer.
 */
export function openSqlite(path: string, options: { timeout?: number; fileMustExist?: boolean } = {}): Sqlite {
  if (!driver) {
    const adapter = createRequire(import.meta.url).resolve("@prisma/adapter-better-sqlite3");
    driver = createRequire(adapter)("better-sqlite3") as SqliteDriver;
  }
  return new driver(path, { timeout: BUSY_TIMEOUT_MS, ...options });
}

interface MigrationRow {
  id: string;
  migration_name: string;
  finished_at: string | null;
  rolled_back_at: string | null;
}

interface MigrationState {
  pending: Migration[];
  /** Rows Prisma's CLI left started but neither finished nor rolled back (what P3009 complains about). */
  unfinished: MigrationRow[];
}

function migrationState(conn: Sqlite, migrations: readonly Migration[]): MigrationState {
  const table = conn.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
  const rows = table
    ? (conn
        .prepare("SELECT id, migration_name, finished_at, rolled_back_at FROM _prisma_migrations")
        .all() as MigrationRow[])
    : [];
  const applied = new Set(
    rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => r.migration_name),
  );
  const known = new Set(migrations.map((m) => m.name));
  return {
    pending: migrations.filter((m) => !applied.has(m.name)),
    unfinished: rows.filter((r) => r.finished_at === null && r.rolled_back_at === null && known.has(r.migration_name)),
  };
}

/** Prisma's timestamp format in this table: RFC 3339 with milliseconds and an explicit offset. */
function timestamp(): string {
  return new Date().toISOString().replace("Z", "+00:00");
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

/**
 * Runs `work` until no other connection's lock is in the way. Waiting is asynchronous, in short
 * steps, so that a second start waits for the first one's migration instead of failing after
 * SQLite's busy timeout.
 */
async function whenFree<T>(work: () => T, deadline: number, checkpoint = noCheckpoint): Promise<T> {
  let waiting = false;
  for (;;) {
    try {
      return work();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() > deadline) {
        throw new MigrationError(`the database stayed locked by another process for ${LOCK_WAIT_MS / 60_000} min`, {
          cause: error,
        });
      }
      if (!waiting) await checkpoint("migrate:lock-wait");
      waiting = true;
      await sleep(50);
    }
  }
}

/** Names of the committed migrations the file has not recorded as applied (all of them when it is missing). */
export async function pendingMigrationNames(
  path: string,
  migrations: readonly Migration[] = committedMigrations(),
): Promise<string[]> {
  if (!existsSync(path)) return migrations.map((m) => m.name);
  const conn = openSqlite(path, { fileMustExist: true });
  try {
    return (await whenFree(() => migrationState(conn, migrations), Date.now() + LOCK_WAIT_MS)).pending.map(
      (m) => m.name,
    );
  } finally {
    conn.close();
  }
}

/**
 * Applies the pending migrations of an existing SQLite file, one transaction each, and returns
 * their names. Processes starting at once take turns on SQLite's write lock, and each looks again
 * under the lock, so every migration is applied once. A file that a killed or failed
 * `prisma migrate deploy` left with an unfinished migration is repaired first where that is safe
 * (see `recoverInterrupted`).
 */
export async function applyPendingMigrations(
  path: string,
  options: { migrations?: readonly Migration[]; checkpoint?: Checkpoint } = {},
): Promise<string[]> {
  const migrations = options.migrations ?? committedMigrations();
  const checkpoint = options.checkpoint ?? noCheckpoint;
  const deadline = Date.now() + LOCK_WAIT_MS;
  const conn = openSqlite(path, { fileMustExist: true });
  const applied: string[] = [];
  try {
    // Off outside the transaction, where this pragma takes effect (inside one it is ignored, as are
    // the ones in Prisma's scripts). Prisma redefines a table by copying it, dropping the old one
    // and renaming the copy; with foreign keys on, that drop would first delete the old rows and
    // cascade into every table pointing at them. Integrity is checked before each commit instead.
    conn.exec("PRAGMA foreign_keys = OFF");
    for (;;) {
      const state = await whenFree(() => migrationState(conn, migrations), deadline, checkpoint);
      if (state.pending.length === 0 && state.unfinished.length === 0) return applied;
      const name = await applyNext(conn, migrations, deadline, checkpoint);
      if (name === null) return applied;
      applied.push(name);
    }
  } finally {
    conn.close();
  }
}

async function applyNext(
  conn: Sqlite,
  migrations: readonly Migration[],
  deadline: number,
  checkpoint: Checkpoint,
): Promise<string | null> {
  await whenFree(() => conn.exec("BEGIN IMMEDIATE"), deadline, checkpoint);
  try {
    conn.exec(MIGRATIONS_TABLE);
    // Looked at again under the write lock: another process may have migrated in the meantime.
    let state = migrationState(conn, migrations);
    if (state.unfinished.length > 0) {
      recoverInterrupted(conn, migrations, state.unfinished);
      state = migrationState(conn, migrations);
    }
    const next = state.pending[0];
    if (next) {
      const startedAt = timestamp();
      try {
        conn.exec(next.sql);
      } catch (error) {
        throw new MigrationError(`migration ${next.name} failed: ${(error as Error).message}`, { cause: error });
      }
      const broken = conn.prepare("PRAGMA foreign_key_check").all();
      if (broken.length > 0) {
        throw new MigrationError(
          `migration ${next.name} would leave rows pointing at nothing: ${JSON.stringify(broken.slice(0, 5))}`,
        );
      }
      conn
        .prepare(
          `INSERT INTO _prisma_migrations
             (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
        )
        .run(randomUUID(), next.checksum, timestamp(), next.name, startedAt);
      await checkpoint(`migrate:${next.name}`);
    }
    await whenFree(() => conn.exec("COMMIT"), deadline, checkpoint);
    return next?.name ?? null;
  } finally {
    // A failed statement or a kill leaves nothing: SQLite rolls the whole migration back.
    if (conn.inTransaction) conn.exec("ROLLBACK");
  }
}

/** Every table and view except SQLite's own, the row counts of which decide whether anything can be lost. */
function userObjects(conn: Sqlite): { type: string; name: string }[] {
  return conn
    .prepare(
      "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .all() as { type: string; name: string }[];
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function holdsNoRows(conn: Sqlite): boolean {
  return userObjects(conn)
    .filter((o) => o.type === "table" && o.name !== "_prisma_migrations")
    .every((o) => !conn.prepare(`SELECT 1 FROM ${quoteName(o.name)} LIMIT 1`).get());
}

/** The schema as SQLite records it, without Prisma's bookkeeping table and SQLite's own objects. */
function schemaOf(conn: Sqlite): string {
  const rows = conn
    .prepare(
      `SELECT type, name, tbl_name, sql FROM sqlite_master
       WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name <> '_prisma_migrations'
       ORDER BY type, name`,
    )
    .all() as { type: string; name: string; tbl_name: string; sql: string | null }[];
  return rows.map((r) => `${r.type} ${r.name} ${r.tbl_name} ${r.sql ?? ""}`).join("\n");
}

/** The schema that applying `migrations` to an empty database gives, built in memory. */
function schemaAfter(migrations: readonly Migration[]): string {
  const scratch = openSqlite(":memory:");
  try {
    scratch.exec("PRAGMA foreign_keys = OFF");
    for (const m of migrations) scratch.exec(m.sql);
    return schemaOf(scratch);
  } finally {
    scratch.close();
  }
}

/**
 * Rows that a killed or failed run of Prisma's CLI left unfinished. The CLI applies a migration
 * statement by statement outside a transaction, so some of its statements may have stayed; what
 * the file holds decides how to go on, all inside the caller's transaction:
 * - no table holds a row (an interrupted first start): the schema is rebuilt from nothing;
 * - the schema is exactly as before the migration: nothing stayed, it is marked rolled back (as
 *   `prisma migrate resolve --rolled-back` does) and applied again;
 * - exactly as after it: only the record is missing, which is completed;
 * - anything else is half a migration next to real data, which is left to a person.
 */
function recoverInterrupted(conn: Sqlite, migrations: readonly Migration[], rows: readonly MigrationRow[]): void {
  const now = timestamp();
  if (holdsNoRows(conn)) {
    for (const o of userObjects(conn)) conn.exec(`DROP ${o.type === "view" ? "VIEW" : "TABLE"} ${quoteName(o.name)}`);
    if (conn.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get()) {
      conn.exec("DELETE FROM sqlite_sequence");
    }
    conn.exec(MIGRATIONS_TABLE);
    return;
  }
  const markRolledBack = conn.prepare("UPDATE _prisma_migrations SET rolled_back_at = ? WHERE id = ?");
  const markFinished = conn.prepare(
    "UPDATE _prisma_migrations SET finished_at = ?, applied_steps_count = 1, logs = NULL WHERE id = ?",
  );
  const applied = new Set(
    (
      conn
        .prepare(
          "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
        )
        .all() as { migration_name: string }[]
    ).map((r) => r.migration_name),
  );
  for (const row of rows) {
    if (applied.has(row.migration_name)) {
      markRolledBack.run(now, row.id); // a stale failure record next to a later successful one
      continue;
    }
    const index = migrations.findIndex((m) => m.name === row.migration_name);
    const actual = schemaOf(conn);
    if (actual === schemaAfter(migrations.slice(0, index))) markRolledBack.run(now, row.id);
    else if (actual === schemaAfter(migrations.slice(0, index + 1))) markFinished.run(now, row.id);
    else {
      throw new MigrationError(
        `migration ${row.migration_name} was left half-applied by an interrupted \`prisma migrate deploy\` and the ` +
          `database holds data, so it is not repaired automatically. Restore a backup, or complete the migration by ` +
          `hand and run \`npx prisma migrate resolve --applied ${row.migration_name}\`.`,
      );
    }
  }
}
