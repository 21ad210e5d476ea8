import type pg from "pg";
import { isPostgresUrl } from "./database-url.ts";
import { migrateDatabase } from "./db.ts";
import { AppError } from "../model/errors.ts";
import { openSqlite, type Sqlite } from "./migrations.ts";
import { applyPendingPgMigrations, connectPg } from "./migrations-pg.ts";

// `db copy --to postgresql://…`: moves a province from its SQLite file to PostgreSQL. The target
// is migrated first and must hold no rows; everything is copied in one PostgreSQL transaction, so
// a failed copy leaves the target as empty as it was. Ids are kept (every reference stays right),
// and each sequence is then moved past the copied ids, or the next insert would collide.

export interface CopyResult {
  /** Rows per table, the same on both sides (the copy checks it before committing). */
  tables: Record<string, number>;
}

interface Column {
  name: string;
  type: string;
}

/** Parameters per INSERT: PostgreSQL's protocol allows 65,535. */
const MAX_PARAMS = 60_000;

export async function copySqliteToPostgres(sourceUrl: string, targetUrl: string): Promise<CopyResult> {
  if (!isPostgresUrl(targetUrl)) throw new AppError("db.copy_target_not_postgres");
  // The source gets its pending migrations first, as any start would: both sides then have one schema.
  await migrateDatabase(sourceUrl);
  await applyPendingPgMigrations(targetUrl);
  const source = openSqlite(sourceUrl.slice("file:".length), { fileMustExist: true });
  const target = await connectPg(targetUrl);
  try {
    const tables = await tablesInInsertOrder(target);
    const filled = await nonEmptyTables(target, tables);
    if (filled.length > 0) throw new AppError("db.copy_target_not_empty", { tables: filled.join(", ") });
    await target.query("BEGIN");
    try {
      const counts: Record<string, number> = {};
      for (const table of tables) counts[table] = await copyTable(source, target, table);
      await moveSequences(target, tables);
      for (const table of tables) {
        const copied = Number((await target.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${table}"`)).rows[0]!.n);
        const expected = (source.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
        if (copied !== expected || copied !== counts[table]) {
          throw new AppError("db.copy_count_mismatch", { table, expected, copied });
        }
      }
      await target.query("COMMIT");
      return { tables: counts };
    } catch (error) {
      await target.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  } finally {
    source.close();
    await target.end();
  }
}

/** The application's tables, each after the tables it references (Prisma's foreign keys are not deferrable). */
async function tablesInInsertOrder(client: pg.Client): Promise<string[]> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
     ORDER BY table_name`,
  );
  const { rows: edges } = await client.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const unquote = (name: string) => name.replace(/^"(.*)"$/, "$1");
  const parents = new Map<string, Set<string>>(tables.map((t) => [t.name, new Set<string>()]));
  for (const { child, parent } of edges) {
    if (unquote(child) !== unquote(parent)) parents.get(unquote(child))?.add(unquote(parent));
  }
  const ordered: string[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (ordered.includes(name) || path.has(name)) return;
    path.add(name);
    for (const parent of parents.get(name) ?? []) visit(parent, path);
    ordered.push(name);
  };
  for (const { name } of tables) visit(name, new Set());
  return ordered;
}

async function nonEmptyTables(client: pg.Client, tables: readonly string[]): Promise<string[]> {
  const filled: string[] = [];
  for (const table of tables) {
    const { rowCount } = await client.query(`SELECT 1 FROM "${table}" LIMIT 1`);
    if (rowCount) filled.push(table);
  }
  return filled;
}

async function columnsOf(client: pg.Client, table: string): Promise<Column[]> {
  const { rows } = await client.query<Column>(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows;
}

/**
 * SQLite's values as PostgreSQL's columns want them: Prisma keeps a DateTime there as text with
 * its offset (or, from older writers, milliseconds), a Boolean as 0 or 1.
 */
function convert(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type.startsWith("timestamp")) {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- SQLite hands a DateTime over as text or a number
    return new Date(typeof value === "number" ? value : String(value)).toISOString();
  }
  if (type === "boolean") return value === 1 || value === 1n || value === true || value === "1";
  if (type === "bigint" && typeof value === "bigint") return value.toString();
  return value;
}

async function copyTable(source: Sqlite, target: pg.Client, table: string): Promise<number> {
  const columns = await columnsOf(target, table);
  const names = columns.map((c) => `"${c.name}"`).join(", ");
  // Rows in the order they were written, so a row referring to an earlier one of its own table
  // (an agency's parent) comes after it.
  const rows = source.prepare(`SELECT ${names} FROM "${table}" ORDER BY rowid`).all() as Record<string, unknown>[];
  const perInsert = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  for (let start = 0; start < rows.length; start += perInsert) {
    const chunk = rows.slice(start, start + perInsert);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const placeholders = columns.map((c) => {
        params.push(convert(row[c.name], c.type));
        return `$${params.length}`;
      });
      return `(${placeholders.join(", ")})`;
    });
    await target.query(`INSERT INTO "${table}" (${names}) VALUES ${tuples.join(", ")}`, params);
  }
  return rows.length;
}

/** Each serial id's sequence continues after the largest copied id. */
async function moveSequences(client: pg.Client, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    const { rows } = await client.query<{ column: string; sequence: string }>(
      `SELECT a.attname AS column, pg_get_serial_sequence($1, a.attname) AS sequence
       FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
      [`"${table}"`],
    );
    for (const { column, sequence } of rows) {
      if (!sequence) continue;
      await client.query(`SELECT setval($1, COALESCE((SELECT MAX("${column}") FROM "${table}"), 0) + 1, false)`, [
        sequence,
      ]);
    }
  }
}
