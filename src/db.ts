import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client.ts";

export type { PrismaClient };
export type Db = PrismaClient;

const projectRoot = fileURLToPath(new URL("..", import.meta.url));

export function createDb(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl }) });
}

/** SQLite cannot create the file's folder, and Prisma reports that only as "External error id#0". */
export function ensureDatabaseDir(databaseUrl: string): void {
  mkdirSync(dirname(databaseUrl.slice("file:".length)), { recursive: true });
}

export class MigrationError extends Error {
  readonly code = "db.migration_failed";
}

/** Applies committed migrations with Prisma's own CLI, the same path as `npm run db:deploy`. */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  ensureDatabaseDir(databaseUrl);
  const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");
  await new Promise<void>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [prismaCli, "migrate", "deploy"], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolvePromise() : reject(new MigrationError(`prisma migrate deploy failed (${code}):\n${output}`)),
    );
  });
}
