import { randomBytes } from "node:crypto";
import pg from "pg";
import { pgConnectionFields } from "../../src/db/database-url.ts";

// Databases of one PostgreSQL test run share the prefix `nvt_<run>_`: the run's template, and one
// database per test file created from it. The run id is random, so two runs on one server (two
// checkouts, CI beside a developer) never touch each other's databases.

export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

function urlFor(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs `work` on a connection to the server's maintenance database. */
export async function withServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...pgConnectionFields(serverUrl), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** C.UTF-8 orders strings by code point, as SQLite does (README, "PostgreSQL"). */
const CREATE_OPTIONS = "ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'";

export async function createEmptyPgDatabase(serverUrl: string, runId: string, label: string): Promise<string> {
  const name = `nvt_${runId}_${label}`;
  await withServer(serverUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE template0 ${CREATE_OPTIONS}`));
  return urlFor(serverUrl, name);
}

/** A copy of the run's migrated template: far faster than migrating, and still the real schema. */
export async function createPgDatabaseFrom(templateUrl: string, runId: string): Promise<string> {
  const template = decodeURIComponent(new URL(templateUrl).pathname.slice(1));
  const name = `nvt_${runId}_${randomBytes(5).toString("hex")}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await withServer(templateUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      return urlFor(templateUrl, name);
    } catch (error) {
      // Two files copying the template at the same instant: PostgreSQL refuses the second while the
      // first is connected to the template to copy it.
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** Drops every database of the run, the template last; connections still open are ended. */
export async function dropRunDatabases(serverUrl: string, runId: string): Promise<number> {
  return withServer(serverUrl, async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname LIKE '%\\_template' , datname",
      [`nvt\\_${runId}\\_%`],
    );
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    return rows.length;
  });
}
