import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { databaseKind, type DatabaseKind } from "./database-url.ts";
import { capturingAdapter, registerDriver } from "./driver-access.ts";
import { isDatabaseBusy, SQLITE_BUSY_TIMEOUT_MS } from "./db-errors.ts";
import { PrismaClient, type Prisma } from "../generated/prisma/client.ts";
import type * as PostgresModule from "./db-postgres.ts";
import { noCheckpoint, type Checkpoint } from "../lib/checkpoint.ts";
import { applyPendingMigrations, openSqlite, pendingMigrationNames } from "./migrations.ts";

export { MigrationError } from "./migrations.ts";
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

// Only the type: the module itself is loaded on demand, so a SQLite process never loads pg.
type PostgresDriver = typeof PostgresModule;
let postgresDriver: PostgresDriver | null = null;

/**
 * Loads what a PostgreSQL URL needs (a no-op for SQLite). Migrating loads it, so it is in place
 * before any client is made; a client made without it is a programming error, said as such.
 */
export async function loadDatabaseDriver(databaseUrl: string): Promise<void> {
  if (databaseKind(databaseUrl) === "postgresql") postgresDriver ??= await import("./db-postgres.ts");
}

/** The PostgreSQL side, loaded by `loadDatabaseDriver` (or `migrateDatabase`) first. */
export function postgres(): PostgresDriver {
  if (!postgresDriver) throw new Error("the PostgreSQL driver is not loaded: await loadDatabaseDriver(url) first");
  return postgresDriver;
}

/**
 * Prisma's errors say what failed, without its default frame of our source lines ("Invalid
 * `tx.invite.updateMany()` invocation in …/invite-service.ts:184:37" and the code around it): that
 * frame reached the terminal in every logged error. LOG_LEVEL=debug logs the stack instead.
 */
const ERROR_FORMAT = "minimal";

/**
 * The client for a database URL. Both generated clients come from one schema (the PostgreSQL one
 * is a copy with another provider, see scripts/pg-schema.ts), so they have the same models and
 * the rest of the code sees one type.
 */
export function createDb(databaseUrl: string, options: { poolSize?: number } = {}): PrismaClient {
  if (databaseKind(databaseUrl) === "postgresql") {
    return postgres().createPgClient(databaseUrl, options.poolSize) as unknown as PrismaClient;
  }
  const { factory, adapter } = capturingAdapter(
    new PrismaBetterSQLite3({ url: databaseUrl, timeout: SQLITE_BUSY_TIMEOUT_MS }),
  );
  const client = new PrismaClient({ adapter: factory, errorFormat: ERROR_FORMAT });
  registerDriver(client, adapter);
  return client;
}

/**
 * Which database a client (or a transaction's client) talks to, for the few statements written
 * by hand. Prisma keeps the schema's provider on the client; a transaction's client forwards it.
 */
export function providerOf(db: Db | Tx): DatabaseKind {
  const provider = (db as unknown as { _activeProvider?: string })._activeProvider;
  return provider === "postgresql" ? "postgresql" : "sqlite";
}

/** The n-th (from 1) parameter of a statement written by hand: PostgreSQL numbers them, SQLite takes them in order. */
export function placeholder(db: Db | Tx, n: number): string {
  return providerOf(db) === "postgresql" ? `$${n}` : "?";
}

/**
 * WAL lets the bot read while the reminder tick writes, and with synchronous=NORMAL a commit no
 * longer waits for a disk flush of its own (a crash can lose at most the last commits, never
 * corrupt the file): per-row outbox updates go from milliseconds to microseconds.
 */
export async function tuneDb(db: PrismaClient): Promise<void> {
  if (providerOf(db) !== "sqlite") return;
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
}

/**
 * Gathers the planner's statistics (SQLite; on PostgreSQL the server's autovacuum does it), as
 * SQLite advises for a connection that lives long: every table when it opens, then now and then
 * only the tables that grew or shrank a lot. Without them the planner read a report's 29 duties by
 * way of the plan's 3,330 agencies, 0.5 ms a report. It writes, so another process's write lock
 * leaves it for a later turn: false then.
 */
export async function optimizeDb(db: PrismaClient, options: { everyTable?: boolean } = {}): Promise<boolean> {
  if (providerOf(db) !== "sqlite") return true;
  try {
    await db.$queryRawUnsafe(options.everyTable ? "PRAGMA optimize = 0x10002" : "PRAGMA optimize");
    return true;
  } catch (error) {
    if (isDatabaseBusy(error)) return false;
    throw error;
  }
}

function databasePath(databaseUrl: string): string {
  return databaseUrl.slice("file:".length);
}

/** SQLite cannot create the file's folder, and Prisma reports that only as "External error id#0". */
export function ensureDatabaseDir(databaseUrl: string): void {
  if (databaseKind(databaseUrl) !== "sqlite") return;
  mkdirSync(dirname(databasePath(databaseUrl)), { recursive: true });
}

/** Migration folders not yet recorded as applied; every one of them when the database is new. */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  if (databaseKind(databaseUrl) === "postgresql") {
    await loadDatabaseDriver(databaseUrl);
    return postgres().pendingPgMigrationNames(databaseUrl);
  }
  return pendingMigrationNames(databasePath(databaseUrl));
}

/** Fills a database that is being built (the bundled plan and calendar, see src/app.ts). */
export type Seed = (db: PrismaClient) => Promise<void>;

/**
 * Brings the database up to date without a moment where a killed process could leave it broken.
 *
 * A missing file is built and seeded under a temporary name next to it, then published with a
 * hard link, which creates the name only if nothing has it yet: a start killed before that leaves
 * no database (the next start builds again), and of two starts racing on an empty path one
 * publishes and the other opens that file. An existing file gets its pending migrations, each
 * in one transaction (see migrations.ts). Prisma's CLI is not involved, so this also works while
 * a running bot holds the WAL database open, and costs nothing when nothing is pending.
 */
export async function migrateDatabase(
  databaseUrl: string,
  seed?: Seed,
  checkpoint: Checkpoint = noCheckpoint,
): Promise<void> {
  if (databaseKind(databaseUrl) === "postgresql") {
    // Every migration is one transaction there, and the bundle is seeded by every start (src/app.ts).
    await loadDatabaseDriver(databaseUrl);
    await postgres().applyPendingPgMigrations(databaseUrl, undefined, checkpoint);
    return;
  }
  ensureDatabaseDir(databaseUrl);
  const path = databasePath(databaseUrl);
  removeAbandonedBuilds(path);
  if (!existsSync(path)) await buildAndPublish(path, seed, checkpoint);
  await applyPendingMigrations(path, { checkpoint });
}

/** A build nobody has written to for this long belongs to a start that was killed. */
const ABANDONED_BUILD_MS = 10 * 60_000;

/**
 * This machine, and this process-id space on it: a folder may be shared with another machine or
 * container, where the same process id is another process. A hash of the host name and (on Linux)
 * the process-id namespace, so two containers with one host name still differ.
 */
const PROCESS_SPACE = (() => {
  let namespace = "";
  try {
    namespace = readlinkSync("/proc/self/ns/pid");
  } catch {
    // Not Linux: the host name alone.
  }
  return createHash("sha256").update(`${hostname()}\0${namespace}`).digest("hex").slice(0, 8);
})();

/** Where a start builds a new database: `<path>.<pid>-<process space>-<random>.tmp`. */
export function temporaryBuildPath(path: string, pid = process.pid): string {
  return `${path}.${pid}-${PROCESS_SPACE}-${randomBytes(6).toString("hex")}.tmp`;
}

/** Matches a build's files; earlier versions named them `<path>.<pid>-<random>.tmp`, without the space. */
function buildPattern(path: string): RegExp {
  const base = basename(path).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${base}\\.(\\d+)-(?:([0-9a-f]{8})-)?[0-9a-f]+\\.tmp(-journal|-wal|-shm)?$`);
}

/** Whether a process of this process space runs (EPERM: it does, as another user). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Temporary files of killed starts. A build of this process space is removed as soon as its process
 * is gone (a start killed during its first run leaves about 250 KB). Any other build only once it is
 * old: a start building right now writes to its file all the time, and one on another machine or in
 * another container sharing the folder has a process id that means nothing here.
 */
function removeAbandonedBuilds(path: string): void {
  const dir = dirname(path);
  const pattern = buildPattern(path);
  for (const name of readdirSync(dir)) {
    const match = pattern.exec(name);
    if (!match) continue;
    const file = join(dir, name);
    try {
      const gone = match[2] === PROCESS_SPACE && !processRuns(Number(match[1]));
      if (gone || Date.now() - statSync(file).mtimeMs > ABANDONED_BUILD_MS) rmSync(file, { force: true });
    } catch {
      // Gone already, or removed by another start at the same moment.
    }
  }
}

async function buildAndPublish(path: string, seed: Seed | undefined, checkpoint: Checkpoint): Promise<void> {
  const build = temporaryBuildPath(path);
  writeFileSync(build, "", { flag: "wx" }); // an empty file is an empty SQLite database
  try {
    await checkpoint("build:created");
    await applyPendingMigrations(build, { checkpoint });
    if (seed) {
      const db = createDb(`file:${build}`);
      try {
        await seed(db);
      } finally {
        await db.$disconnect();
      }
    }
    // Switched to WAL here, where no other process has the file open; closing the last connection
    // checkpoints and removes the -wal file, so the one file holds everything.
    const conn = openSqlite(build, { fileMustExist: true });
    conn.exec("PRAGMA journal_mode = WAL");
    conn.close();
    await checkpoint("build:ready");
    await checkpoint(publish(build, path) ? "build:published" : "build:discarded");
  } finally {
    for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(`${build}${suffix}`, { force: true });
  }
}

/** Where the file system has no hard links; a rename is atomic there, though not exclusive. */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);

/** Gives the built file the database's name; false when another start's file got there first. */
function publish(build: string, path: string): boolean {
  try {
    linkSync(build, path);
  } catch (error) {
    if (existsSync(path)) return false; // EEXIST: another start published first, its file is the database
    if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
    renameSync(build, path);
  }
  // The new name survives a power cut only once the folder itself is on disk.
  try {
    const dir = openSync(dirname(path), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Some systems cannot open or sync a folder; the file's own contents are already synced.
  }
  return true;
}
