import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { pgConnectionFields } from "./database-url.ts";
import { committedMigrations, MigrationError, type Migration } from "./migrations.ts";
import { noCheckpoint, type Checkpoint } from "../lib/checkpoint.ts";
import { projectRoot } from "../lib/paths.ts";

// The PostgreSQL twin of migrations.ts. Each committed migration runs in one transaction together
// with its `_prisma_migrations` row, the row Prisma itself writes, so `prisma migrate status` and
// `prisma migrate deploy` agree with what this module did. It exists because `prisma migrate
// deploy` costs 12–14 s on PostgreSQL even with nothing pending: a start first asks, in one cheap
// query, whether anything is pending, and takes the migration lock only then.

export const PG_MIGRATIONS_DIR = join(projectRoot, "prisma", "postgres", "migrations");

/** Prisma's own advisory lock key, so this module and `prisma migrate deploy` exclude each other. */
const PRISMA_MIGRATE_LOCK = 72707369;

/** Prisma's definition of its table on PostgreSQL. */
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** One plain connection: a migration is a multi-statement script, which the Prisma client cannot run. */
export async function connectPg(url: string): Promise<pg.Client> {
  const client = new pg.Client({ ...pgConnectionFields(url), connectionTimeoutMillis: 10_000 });
  await client.connect();
  // A notice per "IF NOT EXISTS" would otherwise reach the log as noise.
  client.on("notice", () => {});
  return client;
}

/**
 * Waits until the server answers: a bot started while PostgreSQL is down (or restarting with it)
 * waits instead of exiting, so a process manager does not restart it in a loop. Errors other than
 * an unreachable server (a wrong password is one too) are waited on the same way and logged.
 */
export async function waitForPg(
  url: string,
  deps: { onWait: (error: unknown, waitMs: number) => void; signal?: AbortSignal },
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const client = await connectPg(url);
      await client.end();
      return;
    } catch (error) {
      if (deps.signal?.aborted) throw error;
      const waitMs = Math.min(1_000 * 2 ** attempt, 30_000);
      deps.onWait(error, waitMs);
      // A stop asked for during the wait ends it at once (it rejects with an AbortError).
      await sleep(waitMs, undefined, deps.signal ? { signal: deps.signal } : {});
    }
  }
}

interface MigrationRow {
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function appliedRows(client: pg.Client): Promise<MigrationRow[] | null> {
  const { rows } = await client.query<{ exists: boolean }>(
    "SELECT to_regclass('\"_prisma_migrations\"') IS NOT NULL AS exists",
  );
  if (!rows[0]?.exists) return null;
  const result = await client.query<MigrationRow>(
    'SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
  );
  return result.rows;
}

function pendingOf(migrations: readonly Migration[], rows: readonly MigrationRow[] | null): Migration[] {
  const done = new Set((rows ?? []).filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name));
  return migrations.filter((m) => !done.has(m.name));
}

export async function pendingPgMigrationNames(url: string, dir = PG_MIGRATIONS_DIR): Promise<string[]> {
  const client = await connectPg(url);
  try {
    return pendingOf(committedMigrations(dir), await appliedRows(client)).map((m) => m.name);
  } finally {
    await client.end();
  }
}

/**
 * The statements of a migration file without its own BEGIN and COMMIT, which exist for Prisma's
 * CLI (it runs the pieces of a file one by one); here the file runs inside a transaction that also
 * records it.
 */
export function migrationBody(sql: string): string {
  const body = sql.replace(/^\s*BEGIN;\s*$/m, "").replace(/^\s*COMMIT;\s*$(?![\s\S]*^\s*COMMIT;)/m, "");
  if (/^\s*(BEGIN|COMMIT);\s*$/m.test(body)) throw new MigrationError("a migration holds more than one transaction");
  return body;
}

/**
 * Applies every pending migration, each in its own transaction with its row. Concurrent starts
 * wait on the migration lock and then find nothing left to do. A row Prisma's CLI left started but
 * not finished marks a file whose transaction rolled back, so it is marked rolled back and applied.
 */
export async function applyPendingPgMigrations(
  url: string,
  dir = PG_MIGRATIONS_DIR,
  checkpoint: Checkpoint = noCheckpoint,
): Promise<string[]> {
  const migrations = committedMigrations(dir);
  const client = await connectPg(url);
  try {
    if (pendingOf(migrations, await appliedRows(client)).length === 0) return [];
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
    try {
      await client.query(MIGRATIONS_TABLE);
      await client.query(
        'UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE finished_at IS NULL AND rolled_back_at IS NULL',
      );
      const applied: string[] = [];
      for (const migration of pendingOf(migrations, await appliedRows(client))) {
        await applyOne(client, migration, checkpoint);
        applied.push(migration.name);
      }
      return applied;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]);
    }
  } finally {
    await client.end();
  }
}

async function applyOne(client: pg.Client, migration: Migration, checkpoint: Checkpoint): Promise<void> {
  const body = migrationBody(migration.sql);
  await client.query("BEGIN");
  try {
    await client.query(body);
    await checkpoint(`migrate:${migration.name}`);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw new MigrationError(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Where a migration would be cut wrongly by Prisma's PostgreSQL adapter, which splits a file on
 * every ";": a ";" inside a string, a quoted name or a dollar-quoted body. Empty when none.
 */
export function semicolonsInLiterals(sql: string): string[] {
  const found: string[] = [];
  let i = 0;
  const closeAt = (start: number, end: string): number => {
    const at = sql.indexOf(end, start);
    return at < 0 ? sql.length : at;
  };
  while (i < sql.length) {
    const two = sql.slice(i, i + 2);
    if (two === "--") {
      i = closeAt(i, "\n") + 1;
    } else if (two === "/*") {
      i = closeAt(i + 2, "*/") + 2;
    } else if (sql[i] === "'" || sql[i] === '"') {
      const quote = sql[i]!;
      let j = i + 1;
      // A doubled quote is the quote itself, inside the literal.
      while (j < sql.length && !(sql[j] === quote && sql[j + 1] !== quote)) j += sql[j] === quote ? 2 : 1;
      const literal = sql.slice(i, j + 1);
      if (literal.includes(";")) found.push(literal);
      i = j + 1;
    } else if (sql[i] === "$" && /^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))![0];
      const end = closeAt(i + tag.length, tag) + tag.length;
      const body = sql.slice(i, end);
      if (body.includes(";")) found.push(body);
      i = end;
    } else {
      i++;
    }
  }
  return found;
}

const TRANSACTION_HEADER =
  "-- One transaction: the adapter runs the statements of a file one by one, and a failure must leave nothing behind.\nBEGIN;\n\n";

/** A PostgreSQL migration file as committed: the statements inside one transaction. */
export function wrapPgMigration(statements: string): string {
  return `${TRANSACTION_HEADER}${statements.trimEnd()}\n\nCOMMIT;\n`;
}
