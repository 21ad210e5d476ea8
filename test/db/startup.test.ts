import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { migrateDatabase, MigrationError, pendingMigrations, temporaryBuildPath } from "../../src/db/db.ts";
import { applyPendingMigrations, committedMigrations, openSqlite, type Sqlite } from "../../src/db/migrations.ts";
import { PROCESS_TEST_TIMEOUT, root } from "../helpers/processes.ts";
import { onPostgres } from "../helpers/db.ts";
import { writeLegacyPlan } from "../helpers/legacy-db.ts";
import { counts, fullPlan, killedAt, start, startsCleanly } from "../helpers/starts.ts";

// These are about the SQLite file itself (building it aside, publishing it, its journal); the
// same promises on PostgreSQL are checked in test/db/migrations-pg.test.ts.
const sqliteOnly = describe.skipIf(onPostgres);

// Start-up must survive being killed anywhere, and two starts at once. The processes here run the
// app's real start-up (test/fixtures/start-app.ts) and are stopped at named points with the
// NHACVIEC_TEST_PAUSE_AT hook of test/helpers/pause.ts, so nothing depends on timing.

const migrations = committedMigrations();
// The migration that redefines tables with rows in them (Submission, OutboxMessage): the hardest
// one to interrupt. Later migrations are simply pending after it.
const redefining = migrations.findIndex((m) => m.name.endsWith("_delivery"));
const redefiningMigration = migrations[redefining]!.name;
const afterIt = migrations.slice(redefining).map((m) => m.name);

function rowCount(conn: Sqlite, table: string): number {
  return Number((conn.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n);
}

function migrationRows(path: string) {
  const conn = openSqlite(path, { fileMustExist: true });
  try {
    return conn
      .prepare(
        "SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at",
      )
      .all() as {
      migration_name: string;
      checksum: string;
      finished_at: string | null;
      rolled_back_at: string | null;
    }[];
  } finally {
    conn.close();
  }
}

function freshDir(): string {
  return mkdtempSync(join(inject("testTmpDir"), "startup-"));
}

function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.includes(".tmp"));
}

/** Makes files look as if a start killed long ago had left them. */
function age(dir: string, names: string[]): void {
  const longAgo = new Date(Date.now() - 60 * 60_000);
  for (const name of names) utimesSync(join(dir, name), longAgo, longAgo);
}

/**
 * A database as an earlier version left it: every migration but the last, the bundled plan, and
 * rows in the tables that the last migration redefines (a submission with an item, an outbox row).
 */
async function databaseBeforeRedefiningMigration(): Promise<{ url: string; path: string }> {
  const path = join(freshDir(), "nhacviec.db");
  const url = `file:${path}`;
  writeFileSync(path, "");
  await applyPendingMigrations(path, { migrations: migrations.slice(0, redefining) });
  // Today's client no longer knows that schema: the plan is written as that release stored it.
  await writeLegacyPlan(path);
  const conn = openSqlite(path);
  const { agencyId, dutyId } = conn.prepare("SELECT agencyId, id AS dutyId FROM Duty ORDER BY id LIMIT 1").get() as {
    agencyId: number;
    dutyId: number;
  };
  const now = Date.now();
  conn.exec("PRAGMA journal_mode = WAL");
  const person = conn
    .prepare("INSERT INTO Person (displayName, role, agencyId, createdAt) VALUES ('Minh', 'contact', ?, ?)")
    .run(agencyId, now) as { lastInsertRowid: number };
  const submission = conn
    .prepare("INSERT INTO Submission (agencyId, personId, submittedAt, onTime) VALUES (?, ?, ?, 1)")
    .run(agencyId, person.lastInsertRowid, now) as { lastInsertRowid: number };
  conn
    .prepare("INSERT INTO SubmissionItem (submissionId, dutyId, status, percent) VALUES (?, ?, 'done', 100)")
    .run(submission.lastInsertRowid, dutyId);
  conn
    .prepare(
      `INSERT INTO OutboxMessage (key, kind, personId, payload, dueAt, nextAttemptAt, createdAt)
       VALUES ('k', 'notification', ?, '{}', ?, ?, ?)`,
    )
    .run(person.lastInsertRowid, now, now, now);
  conn.close();
  return { url, path };
}

sqliteOnly("a first start killed part-way", () => {
  const points = [
    "build:created",
    `migrate:${migrations[1]!.name}`,
    "seed:plan-imported",
    "build:ready",
    "build:published",
  ];
  it.concurrent.each(points)(
    "killed at %s, the next start succeeds with the full plan",
    async (step) => {
      const dir = freshDir();
      const path = join(dir, "data", "nhacviec.db");
      const url = `file:${path}`;
      await killedAt(url, step);
      // Until the very end nothing has the database's name, so there is nothing half-built to open.
      expect(existsSync(path)).toBe(step === "build:published");
      const left = leftovers(join(dir, "data"));
      expect(left.length).toBeGreaterThan(0);
      age(join(dir, "data"), left);

      await startsCleanly(url);
      expect(await counts(url)).toEqual(fullPlan);
      expect(await pendingMigrations(url)).toEqual([]);
      expect(leftovers(join(dir, "data"))).toEqual([]); // the killed start's build was cleared away
    },
    PROCESS_TEST_TIMEOUT,
  );
});

sqliteOnly("two starts at once on an empty path", { timeout: PROCESS_TEST_TIMEOUT }, () => {
  it("both build, one publishes, the other uses its file; both start", async () => {
    const dir = freshDir();
    const url = `file:${join(dir, "nhacviec.db")}`;
    const resume = join(dir, "resume");
    const env = { NHACVIEC_TEST_PAUSE_AT: "build:ready", NHACVIEC_TEST_RESUME: resume, NHACVIEC_TEST_TRACE: "1" };
    const [a, b] = [start(url, env), start(url, env)];
    await Promise.all([a.reached("paused:build:ready"), b.reached("paused:build:ready")]);
    writeFileSync(resume, "");
    const results = await Promise.all([a.exited, b.exited]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    const outcomes = results.map((r) => (r.stderr.includes("step:build:published") ? "published" : "discarded"));
    expect(outcomes.sort()).toEqual(["discarded", "published"]);
    expect(results.map((r) => r.stdout)).toEqual(["ready\n", "ready\n"]);
    expect(await counts(url)).toEqual(fullPlan);
    expect(readdirSync(dir).filter((n) => n !== "resume" && !n.endsWith("-wal") && !n.endsWith("-shm"))).toEqual([
      "nhacviec.db",
    ]);
  });

  it("without any pause, both start and the database holds one plan", async () => {
    const url = `file:${join(freshDir(), "nhacviec.db")}`;
    const results = await Promise.all([start(url).exited, start(url).exited]);
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
      [0, "ready\n", ""],
      [0, "ready\n", ""],
    ]);
    expect(await counts(url)).toEqual(fullPlan);
  });
});

sqliteOnly("an existing database with a pending migration", { timeout: PROCESS_TEST_TIMEOUT }, () => {
  it("a start killed inside the migration leaves it unapplied; the next one applies it and keeps the rows", async () => {
    const { url, path } = await databaseBeforeRedefiningMigration();
    expect(await pendingMigrations(url)).toEqual(afterIt);

    await killedAt(url, `migrate:${redefiningMigration}`);
    expect(await pendingMigrations(url)).toEqual(afterIt);
    let conn = openSqlite(path);
    expect(conn.prepare("SELECT 1 FROM sqlite_master WHERE name = 'StoredFile'").get()).toBeUndefined();
    expect(rowCount(conn, "SubmissionItem")).toBe(1);
    conn.close();

    await startsCleanly(url);
    expect(await pendingMigrations(url)).toEqual([]);
    expect(migrationRows(path)).toEqual(
      migrations.map((m) => ({
        migration_name: m.name,
        checksum: m.checksum,
        finished_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/),
        rolled_back_at: null,
      })),
    );
    // The migration redefines Submission and OutboxMessage by dropping the old tables: their rows
    // and the items pointing at them must come through.
    conn = openSqlite(path);
    expect([rowCount(conn, "Submission"), rowCount(conn, "SubmissionItem"), rowCount(conn, "OutboxMessage")]).toEqual([
      1, 1, 1,
    ]);
    conn.close();
    expect(await counts(url)).toEqual(fullPlan);

    // Prisma's own CLI, behind the old `db:deploy`, reads the rows written here as its own.
    const prisma = createRequire(import.meta.url).resolve("prisma/build/index.js");
    const deploy = spawnSync(process.execPath, [prisma, "migrate", "deploy"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });
    expect(deploy.status).toBe(0);
    expect(deploy.stdout).toContain("No pending migrations to apply.");
  });

  it("a second start waits for the first one's migration instead of failing on the lock", async () => {
    const { url, path } = await databaseBeforeRedefiningMigration();
    const resume = `${path}.resume`;
    const first = start(url, {
      NHACVIEC_TEST_PAUSE_AT: `migrate:${redefiningMigration}`,
      NHACVIEC_TEST_RESUME: resume,
    });
    await first.reached(`paused:migrate:${redefiningMigration}`); // holding the write lock, migration not committed
    const second = start(url, { NHACVIEC_TEST_TRACE: "1" });
    await second.reached("step:migrate:lock-wait");
    writeFileSync(resume, "");
    const results = await Promise.all([first.exited, second.exited]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    expect(migrationRows(path).map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    expect(await counts(url)).toEqual(fullPlan);
  });

  it("two starts seeding a migrated but empty database at once both start, with one plan", async () => {
    const path = join(freshDir(), "nhacviec.db");
    copyFileSync(inject("templateDbPath"), path);
    const url = `file:${path}`;
    const results = await Promise.all([start(url).exited, start(url).exited]);
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
      [0, "ready\n", ""],
      [0, "ready\n", ""],
    ]);
    expect(await counts(url)).toEqual(fullPlan);
  });
});

sqliteOnly("a database an interrupted `prisma migrate deploy` left behind (P3009)", () => {
  /**
   * What Prisma's CLI leaves when killed: the migration recorded as started, then its statements
   * run one by one outside a transaction, of which the first `statements` stayed.
   */
  function interruptedPrismaRun(path: string, name: string, statements: number): void {
    const migration = migrations.find((m) => m.name === name)!;
    const conn = openSqlite(path);
    conn
      .prepare(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
         VALUES ('interrupted', ?, ?, '2026-11-20T01:00:00.000+00:00', 0)`,
      )
      .run(migration.checksum, name);
    conn.exec("PRAGMA foreign_keys = OFF");
    const parts = migration.sql.split(/;\s*\n/).filter((s) => s.trim());
    for (const sql of parts.slice(0, statements)) conn.exec(sql);
    conn.close();
  }

  it("an interrupted first start, with no rows anywhere, is rebuilt", async () => {
    const path = join(freshDir(), "nhacviec.db");
    writeFileSync(path, "");
    await applyPendingMigrations(path, { migrations: migrations.slice(0, 1) });
    interruptedPrismaRun(path, migrations[1]!.name, 3);
    await migrateDatabase(`file:${path}`);
    expect(await pendingMigrations(`file:${path}`)).toEqual([]);
    expect(migrationRows(path).map((r) => [r.migration_name, r.rolled_back_at])).toEqual(
      migrations.map((m) => [m.name, null]),
    );
  });

  it("with data: re-applied when nothing of it stayed, completed when all of it did", async () => {
    const before = await databaseBeforeRedefiningMigration();
    interruptedPrismaRun(before.path, redefiningMigration, 0);
    await migrateDatabase(before.url);
    expect(await pendingMigrations(before.url)).toEqual([]);
    let rows = migrationRows(before.path).filter((r) => r.migration_name === redefiningMigration);
    expect(rows.map((r) => [r.finished_at === null, r.rolled_back_at === null])).toEqual([
      [true, false], // Prisma's failed attempt, now marked rolled back
      [false, true], // the attempt that applied it
    ]);

    const after = await databaseBeforeRedefiningMigration();
    interruptedPrismaRun(after.path, redefiningMigration, Infinity);
    await migrateDatabase(after.url);
    expect(await pendingMigrations(after.url)).toEqual([]);
    rows = migrationRows(after.path).filter((r) => r.migration_name === redefiningMigration);
    expect(rows.map((r) => [r.finished_at === null, r.rolled_back_at === null])).toEqual([[false, true]]);
    const conn = openSqlite(after.path);
    expect(rowCount(conn, "SubmissionItem")).toBe(1);
    conn.close();
  });

  it("with data and half a migration applied, it stops with an explanation and changes nothing", async () => {
    const { url, path } = await databaseBeforeRedefiningMigration();
    interruptedPrismaRun(path, redefiningMigration, 2);
    const rowsBefore = migrationRows(path);
    const error = await migrateDatabase(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toContain(`prisma migrate resolve --applied ${redefiningMigration}`);
    expect(migrationRows(path)).toEqual(rowsBefore);
  });
});

sqliteOnly("builds left by killed starts", () => {
  it("removes old ones and keeps a recent one, which may belong to a start still running", async () => {
    const dir = freshDir();
    mkdirSync(join(dir, "data"));
    const path = join(dir, "data", "nhacviec.db");
    const old = ["nhacviec.db.4242-0a1b2c.tmp", "nhacviec.db.4242-0a1b2c.tmp-journal"];
    const recent = "nhacviec.db.4343-3d4e5f.tmp";
    const unrelated = "other.db.4444-aaaaaa.tmp";
    for (const name of [...old, recent, unrelated]) writeFileSync(join(dir, "data", name), "");
    age(join(dir, "data"), [...old, unrelated]);
    await migrateDatabase(`file:${path}`);
    expect(readdirSync(join(dir, "data")).sort()).toEqual(["nhacviec.db", recent, unrelated].sort());
  });
});

sqliteOnly("builds of starts whose process is gone", { timeout: PROCESS_TEST_TIMEOUT }, () => {
  it.concurrent.each(["build:created", "seed:plan-imported", "build:ready"])(
    "killed at %s, the next start removes what it left at once, however recent",
    async (step) => {
      const dir = freshDir();
      const path = join(dir, "data", "nhacviec.db");
      await killedAt(`file:${path}`, step);
      expect(leftovers(join(dir, "data")).length).toBeGreaterThan(0);
      await startsCleanly(`file:${path}`);
      expect(leftovers(join(dir, "data"))).toEqual([]);
    },
  );

  it("keeps a recent build of a process that runs, and one of another machine, whose process ids mean nothing here", async () => {
    const dir = freshDir();
    const path = join(dir, "nhacviec.db");
    const ended = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
      encoding: "utf8",
    });
    const gonePid = Number(ended.stdout);
    const gone = basename(temporaryBuildPath(path, gonePid));
    const running = basename(temporaryBuildPath(path)); // this test's own process
    const elsewhere = `nhacviec.db.${gonePid}-00000000-0a1b2c3d4e5f.tmp`;
    for (const name of [gone, `${gone}-journal`, running, elsewhere]) writeFileSync(join(dir, name), "");
    await migrateDatabase(`file:${path}`);
    expect(readdirSync(dir).sort()).toEqual(["nhacviec.db", running, elsewhere].sort());
  });
});
