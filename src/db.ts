import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { SQLITE_BUSY_TIMEOUT_MS } from "./db-errors.ts";
import { PrismaClient, type Prisma } from "./generated/prisma/client.ts";

export type { PrismaClient };
export type Db = PrismaClient;
/** The client inside an interactive transaction: the same models, but no transaction of its own. */
export type Tx = Prisma.TransactionClient;

/**
 * Runs `work` in a transaction: a new one on the full client, or the caller's, so that a service
 * whose writes must go together can also be one step of a larger transaction.
 */
export function inTransaction<T>(db: Db | Tx, work: (tx: Tx) => Promise<T>): Promise<T> {
  return "$transaction" in db ? db.$transaction(work) : work(db);
}

const projectRoot = fileURLToPath(new URL("..", import.meta.url));

export function createDb(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl, timeout: SQLITE_BUSY_TIMEOUT_MS }) });
}

/**
 * WAL lets the bot read while the reminder tick writes, and with synchronous=NORMAL a commit no
 * longer waits for a disk flush of its own (a crash can lose at most the last commits, never
 * corrupt the file): per-row outbox updates go from milliseconds to microseconds.
 */
export async function tuneDb(db: PrismaClient): Promise<void> {
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
}

/** SQLite cannot create the file's folder, and Prisma reports that only as "External error id#0". */
export function ensureDatabaseDir(databaseUrl: string): void {
  mkdirSync(dirname(databaseUrl.slice("file:".length)), { recursive: true });
}

export class MigrationError extends Error {
  readonly code = "db.migration_failed";
}

/** Migration folders not yet recorded as applied; every one of them when the database is new. */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const committed = readdirSync(join(projectRoot, "prisma", "migrations"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  if (!existsSync(databaseUrl.slice("file:".length))) return committed;
  const db = createDb(databaseUrl);
  try {
    const table = await db.$queryRawUnsafe<unknown[]>(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'",
    );
    if (table.length === 0) return committed;
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    return committed.filter((name) => !applied.has(name));
  } finally {
    await db.$disconnect();
  }
}

/**
 * Applies committed migrations with Prisma's own CLI, the same path as `npm run db:deploy`. The CLI
 * is only started when something is pending: its WebAssembly engine cannot open a WAL database that
 * a running bot holds open, and an up-to-date database is the normal case for admin commands.
 */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  ensureDatabaseDir(databaseUrl);
  if ((await pendingMigrations(databaseUrl)).length === 0) return;
  const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");
  await new Promise<void>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [prismaCli, "migrate", "deploy"], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolvePromise() : reject(new MigrationError(`prisma migrate deploy failed (${code}):\n${output}`)),
    );
  });
}
