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
