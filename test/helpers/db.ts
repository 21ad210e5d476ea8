import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { providerOf, createDb, loadDatabaseDriver, migrateDatabase, type Db } from "../../src/db/db.ts";
import { createPgDatabaseFrom } from "./postgres.ts";

export interface TestDb {
  db: Db;
  url: string;
  /** The SQLite file (empty on PostgreSQL, where tests about the file itself do not run). */
  path: string;
}

/** A migrated SQLite file whichever database the run uses (the copy test's source). */
export async function createSqliteTestDb(): Promise<TestDb> {
  const path = join(inject("testTmpDir"), `${randomUUID()}.db`);
  const url = `file:${path}`;
  await migrateDatabase(url);
  return { db: createDb(url), url, path };
}

/** Which database this run of the suite uses: `npm test` SQLite, `npm run test:pg` PostgreSQL. */
export const testDatabaseKind: "sqlite" | "postgresql" =
  process.env.NHACVIEC_TEST_DB === "postgresql" ? "postgresql" : "sqlite";
export const onPostgres = testDatabaseKind === "postgresql";

/**
 * A fresh, fully migrated database for one test file (or one test): a copy of the SQLite template
 * file, or a PostgreSQL database created from the template database of this run.
 */
export async function createTestDb(): Promise<TestDb> {
  if (onPostgres) {
    const url = await createPgDatabaseFrom(inject("templateDbUrl"), inject("testRunId"));
    await loadDatabaseDriver(url);
    return { db: createDb(url), url, path: "" };
  }
  const path = join(inject("testTmpDir"), `${randomUUID()}.db`);
  copyFileSync(inject("templateDbPath"), path);
  const url = `file:${path}`;
  return { db: createDb(url), url, path };
}

export function seedFile(name: string): string {
  return readFileSync(new URL(`../../prisma/seed/${name}`, import.meta.url), "utf8");
}

/** The application's tables, without Prisma's and the database's own. */
async function tableNames(db: Db): Promise<string[]> {
  const rows =
    providerOf(db) === "postgresql"
      ? await db.$queryRawUnsafe<{ name: string }[]>(
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_%' ORDER BY table_name",
        )
      : await db.$queryRawUnsafe<{ name: string }[]>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        );
  return rows.map((r) => r.name);
}

/**
 * The order rows were written in: SQLite's rowid; on PostgreSQL the primary key, since a row's
 * physical place moves with every update there.
 */
async function rowOrder(db: Db, table: string): Promise<string> {
  if (providerOf(db) !== "postgresql") return "rowid";
  const columns = await db.$queryRawUnsafe<{ column: string }[]>(
    `SELECT a.attname AS column FROM pg_index i
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    `"${table}"`,
  );
  return columns.map((c) => `"${c.column}"`).join(", ") || "1";
}

/** Row counts of every table: "nothing was stored" is asserted by comparing two snapshots. */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await tableNames(db)) {
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
  const snapshot: Record<string, string> = {};
  for (const name of await tableNames(db)) {
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT * FROM "${name}" ORDER BY ${await rowOrder(db, name)}`,
    );
    const skip = VOLATILE[name] ?? [];
    snapshot[name] = JSON.stringify(
      rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !skip.includes(column)))),
      (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
    );
  }
  return snapshot;
}
