// SQLite plans a query without statistics as if every table were large, and read a report's 29
// duties by way of the plan's 3,330 agencies (0.5 ms a report). The app gathers them as it opens
// the database, and refreshes them hourly once the tables have grown (optimizeDb both times).
import { afterAll, describe, expect, it } from "vitest";
import { optimizeDb } from "../../src/db/db.ts";
import { holdWriteLock } from "../helpers/sqlite-lock.ts";
import { createTestDb, onPostgres, type TestDb } from "../helpers/db.ts";

/** The query agencyDuties makes: a plan's duties, each with its agency. */
const DUTIES_OF_PLAN = `SELECT d."id" FROM "Duty" d JOIN "Agency" a ON a."id" = d."agencyId" WHERE a."planId" = 1`;

describe.skipIf(onPostgres)("SQLite's planner statistics", () => {
  let t: TestDb | undefined;
  afterAll(() => t?.db.$disconnect());

  async function firstStep(): Promise<string> {
    const rows = await t!.db.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${DUTIES_OF_PLAN}`);
    return rows[0]!.detail;
  }

  it("lead a plan's few duties to be read before its thousands of agencies, once the tables are known", async () => {
    t = await createTestDb();
    const { db } = t;
    // As a bot opens a new database: statistics of empty tables, then a plan's communes added.
    expect(await optimizeDb(db, { everyTable: true })).toBe(true);
    const plan = await db.plan.create({
      data: { code: "T26", title: "T", province: "P", year: 2026, reportDeadline: "2026-12-15", active: true },
    });
    await db.directoryAgency.createMany({
      data: Array.from({ length: 3000 }, (_, i) => ({ code: `X${i}`, name: `X${i}` })),
    });
    const directory = await db.directoryAgency.findMany({ select: { id: true } });
    await db.agency.createMany({
      data: directory.map((d, i) => ({ planId: plan.id, directoryId: d.id, code: `IV.9-${i}`, name: `X${i}` })),
    });
    const owner = await db.agency.findFirstOrThrow();
    await db.duty.createMany({ data: ["a", "b", "c"].map((code) => ({ agencyId: owner.id, code, text: code })) });

    expect(await firstStep()).toMatch(/Agency/);
    await db.$queryRawUnsafe(DUTIES_OF_PLAN);
    expect(await optimizeDb(db)).toBe(true);
    expect(await firstStep()).toMatch(/^SCAN d\b/);
    expect(await db.$queryRawUnsafe<unknown[]>(`SELECT * FROM sqlite_stat1 WHERE tbl = 'Agency'`)).not.toEqual([]);
  });

  it("wait for another turn while another process holds the write lock, instead of failing the start", async () => {
    const lock = await holdWriteLock(t!.path);
    try {
      expect(await optimizeDb(t!.db, { everyTable: true })).toBe(false);
    } finally {
      await lock.release();
    }
    expect(await optimizeDb(t!.db, { everyTable: true })).toBe(true);
  });
});
