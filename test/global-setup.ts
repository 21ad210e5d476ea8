import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../src/db/db.ts";
import { createEmptyPgDatabase, dropRunDatabases, newRunId, withServer } from "./helpers/postgres.ts";

// Migrate once into a template, the way every start does; each test file then copies it to its
// own throwaway database (a file, or a PostgreSQL database created from the template), which is
// far faster than migrating per file and still the real schema.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), "nhacviec-test-"));
  project.provide("testTmpDir", dir);
  const runId = newRunId();
  project.provide("testRunId", runId);
  if (process.env.NHACVIEC_TEST_DB !== "postgresql") {
    const templatePath = join(dir, "template.db");
    await migrateDatabase(`file:${templatePath}`);
    project.provide("templateDbPath", templatePath);
    project.provide("templateDbUrl", "");
    return async () => rmSync(dir, { recursive: true, force: true });
  }
  const serverUrl = await reachablePgServer(process.env.TEST_PG_URL);
  const templateUrl = await createEmptyPgDatabase(serverUrl, runId, "template");
  await migrateDatabase(templateUrl);
  project.provide("templateDbPath", "");
  project.provide("templateDbUrl", templateUrl);
  return async () => {
    await dropRunDatabases(serverUrl, runId);
    rmSync(dir, { recursive: true, force: true });
  };
}

const NEEDS =
  "npm run test:pg needs a PostgreSQL server (15 or later) and TEST_PG_URL pointing at it, with a user that may create databases, e.g. TEST_PG_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run test:pg";

async function reachablePgServer(url: string | undefined): Promise<string> {
  if (!url) throw new Error(`TEST_PG_URL is not set. ${NEEDS}`);
  try {
    await withServer(url, (c) => c.query("SELECT 1"));
  } catch (error) {
    throw new Error(`PostgreSQL at ${url} did not answer (${(error as Error).message}). ${NEEDS}`, { cause: error });
  }
  return url;
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDbPath: string;
    templateDbUrl: string;
    testRunId: string;
    testTmpDir: string;
  }
}
