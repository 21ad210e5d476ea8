import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client.ts";
import { applyPendingMigrations, pendingMigrationNames } from "./migrations.ts";

export { MigrationError } from "./migrations.ts";
export type { PrismaClient };
export type Db = PrismaClient;

export function createDb(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl }) });
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

function databasePath(databaseUrl: string): string {
  return databaseUrl.slice("file:".length);
}

/** SQLite cannot create the file's folder, and Prisma reports that only as "External error id#0". */
export function ensureDatabaseDir(databaseUrl: string): void {
  mkdirSync(dirname(databasePath(databaseUrl)), { recursive: true });
}

/** Migration folders not yet recorded as applied; every one of them when the database is new. */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  return pendingMigrationNames(databasePath(databaseUrl));
}

/**
 * Applies the pending migrations, each in one transaction with its `_prisma_migrations` row (see
 * migrations.ts). Prisma's CLI is not involved, so this also works while a running bot holds the
 * WAL database open, and costs nothing when nothing is pending.
 */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  ensureDatabaseDir(databaseUrl);
  const path = databasePath(databaseUrl);
  if (!existsSync(path)) writeFileSync(path, "", { flag: "a" }); // an empty file is an empty database
  await applyPendingMigrations(path);
}
