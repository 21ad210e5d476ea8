// Migrations and first starts on PostgreSQL: each migration is one transaction with its
// `_prisma_migrations` row, a start applies only what is pending, concurrent starts agree, and a
// start killed inside a migration leaves nothing of it behind.
import { cpSync, mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { pendingMigrations } from "../../src/db/db.ts";
import { committedMigrations } from "../../src/db/migrations.ts";
import { applyPendingPgMigrations, connectPg, PG_MIGRATIONS_DIR } from "../../src/db/migrations-pg.ts";
import { onPostgres } from "../helpers/db.ts";
import { createEmptyPgDatabase } from "../helpers/postgres.ts";
import { PROCESS_TEST_TIMEOUT } from "../helpers/processes.ts";
import { counts, fullPlan, killedAt, start, startsCleanly } from "../helpers/starts.ts";

const names = committedMigrations(PG_MIGRATIONS_DIR).map((m) => m.name);
let databases = 0;
const emptyDatabase = () => createEmptyPgDatabase(inject("templateDbUrl"), inject("testRunId"), `mig${++databases}`);

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = await connectPg(url);
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const migrationRows = (url: string) =>
  query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
    url,
    'SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at, migration_name',
  );

const tableExists = async (url: string, table: string) =>
  (await query<{ found: boolean }>(url, `SELECT to_regclass('"${table}"') IS NOT NULL AS found`))[0]!.found;

describe.runIf(onPostgres)("migrations on PostgreSQL", { timeout: PROCESS_TEST_TIMEOUT }, () => {
  it("applies every migration once, recorded as Prisma records them, and nothing when none is pending", async () => {
    const url = await emptyDatabase();
    expect(await pendingMigrations(url)).toEqual(names);
    expect(await applyPendingPgMigrations(url)).toEqual(names);
    const rows = await migrationRows(url);
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    expect(rows.every((r) => r.finished_at !== null && r.rolled_back_at === null)).toBe(true);
    expect(await pendingMigrations(url)).toEqual([]);
    expect(await applyPendingPgMigrations(url)).toEqual([]);
    expect(await migrationRows(url)).toHaveLength(names.length);
  });

  it("rolls a failing migration back whole: none of its statements stay, and no row says it ran", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nhacviec-pg-migrations-"));
    cpSync(PG_MIGRATIONS_DIR, dir, { recursive: true });
    const broken = join(dir, "20991231000000_broken");
    mkdirSync(broken);
    // The first statement works, the second fails: a half-applied migration would keep the table.
    writeFileSync(
      join(broken, "migration.sql"),
      'BEGIN;\nCREATE TABLE "Half" ("id" INTEGER);\nALTER TABLE "NoSuchTable" ADD COLUMN "x" TEXT;\nCOMMIT;\n',
    );
    const url = await emptyDatabase();
    await expect(applyPendingPgMigrations(url, dir)).rejects.toThrow(/20991231000000_broken/);
    expect(await tableExists(url, "Half")).toBe(false);
    expect((await migrationRows(url)).map((r) => r.migration_name)).toEqual(names);
  });

  it("three starts at once on an empty database all start, with one plan and each migration once", async () => {
    const url = await emptyDatabase();
    const results = await Promise.all([start(url).exited, start(url).exited, start(url).exited]);
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
      [0, "ready\n", ""],
      [0, "ready\n", ""],
      [0, "ready\n", ""],
    ]);
    expect(await counts(url)).toEqual(fullPlan);
    expect((await migrationRows(url)).map((r) => r.migration_name)).toEqual(names);
  });

  it("a start killed inside a migration leaves it unapplied; the next start applies it", async () => {
    const url = await emptyDatabase();
    const step = `migrate:${names[3]!}`;
    await killedAt(url, step);
    // The killed session's transaction was rolled back by the server: the three before it stay.
    expect((await migrationRows(url)).map((r) => r.migration_name)).toEqual(names.slice(0, 3));
    expect(await tableExists(url, "ProcessHeartbeat")).toBe(false);
    await startsCleanly(url);
    expect(await counts(url)).toEqual(fullPlan);
    expect(await pendingMigrations(url)).toEqual([]);
  });
});
