import type { Messages } from "./i18n/index.ts";

/** How a database failure looks to people: waiting helps (busy), or an operator must act. */
export type DatabaseFault = "db.busy" | "db.corrupt" | "db.unreachable";

const BUSY = new Set(["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY"]);
const CORRUPT = new Set(["SQLITE_CORRUPT", "SQLITE_NOTADB"]);
const UNREACHABLE = new Set([
  "SQLITE_CANTOPEN",
  "SQLITE_READONLY",
  "SQLITE_IOERR",
  "SQLITE_FULL",
  "ENOENT",
  "ENOTDIR",
  "EISDIR",
  "EACCES",
  "EROFS",
  "ENOSPC",
]);

/** The SQLite (or system) code behind an error, however Prisma and its driver adapter wrapped it. */
function originalCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    const e = current as {
      code?: unknown;
      originalCode?: unknown;
      meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } };
      cause?: unknown;
    };
    const fromMeta = e.meta?.driverAdapterError?.cause?.originalCode;
    if (typeof fromMeta === "string") return fromMeta;
    if (typeof e.originalCode === "string") return e.originalCode;
    if (typeof e.code === "string" && /^(SQLITE_|E[A-Z]+$)/.test(e.code)) return e.code;
    current = e.cause;
  }
  return null;
}

export function databaseFault(error: unknown): DatabaseFault | null {
  const code = originalCode(error);
  if (code !== null) {
    if (BUSY.has(code) || code.startsWith("SQLITE_BUSY")) return "db.busy";
    if (CORRUPT.has(code)) return "db.corrupt";
    if (UNREACHABLE.has(code) || code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_CANTOPEN")) {
      return "db.unreachable";
    }
  }
  // Prisma's own code for "Operation has timed out", which is how a held write lock surfaces.
  if (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P1008") return "db.busy";
  return null;
}

export function isDatabaseBusy(error: unknown): boolean {
  return databaseFault(error) === "db.busy";
}

/**
 * Waits between tries while another process holds the write lock: about 6 s in all. SQLite's
 * own busy timeout is kept short because better-sqlite3 waits synchronously, which would freeze
 * every chat, webhook and /healthz of the process; these waits are asynchronous.
 */
export const BUSY_BACKOFF_MS = [50, 100, 200, 400, 800, 1600, 3000] as const;

/** SQLite's busy timeout for each statement (better-sqlite3 blocks the event loop for up to this long). */
export const SQLITE_BUSY_TIMEOUT_MS = 100;

export async function retryWhileBusy<T>(
  work: () => Promise<T>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isDatabaseBusy(error) || attempt >= BUSY_BACKOFF_MS.length) throw error;
      await sleep(BUSY_BACKOFF_MS[attempt]!);
    }
  }
}

/** One line for the operator: what is wrong with the database and what to do about it. */
export function databaseFaultText(t: Messages, fault: DatabaseFault, databaseUrl: string): string {
  const path = databaseUrl.replace(/^file:/, "");
  const text = t.cli.databaseFault[fault];
  return typeof text === "string" ? text : text(path);
}
