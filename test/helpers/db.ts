import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { createDb, type Db } from "../../src/db.ts";

export interface TestDb {
  db: Db;
  url: string;
  path: string;
}

/** A fresh, fully migrated SQLite file for one test file (or one test). */
export function createTestDb(): TestDb {
  const path = join(inject("testTmpDir"), `${randomUUID()}.db`);
  copyFileSync(inject("templateDbPath"), path);
  const url = `file:${path}`;
  return { db: createDb(url), url, path };
}

export function seedFile(name: string): string {
  return readFileSync(new URL(`../../prisma/seed/${name}`, import.meta.url), "utf8");
}

export function fixtureFile(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
}

/** Row counts of every table: "nothing was stored" is asserted by comparing two snapshots. */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db.$queryRawUnsafe<{ name: string }[]>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite_%'",
  );
  const counts: Record<string, number> = {};
  for (const { name } of rows) {
    const [row] = await db.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS n FROM "${name}"`);
    counts[name] = Number(row?.n ?? 0);
  }
  return counts;
}

/** Columns every incoming message refreshes (where the person writes from, when); not stored input. */
const VOLATILE: Record<string, readonly string[]> = {
  Identity: ["lastSeenAt", "chatId", "displayName", "unreachableAt", "unreachableReason"],
};

/**
 * The content of every table. "Nothing was stored" compares two of these, so an unwanted update
 * in place (a pause date, a language, a deactivation) fails the test as surely as a new row.
 */
export async function tableSnapshot(db: Db): Promise<Record<string, string>> {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite_%'",
  );
  const snapshot: Record<string, string> = {};
  for (const { name } of tables) {
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${name}" ORDER BY rowid`);
    const skip = VOLATILE[name] ?? [];
    snapshot[name] = JSON.stringify(
      rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !skip.includes(column)))),
      (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
    );
  }
  return snapshot;
}
