// Which database failures waiting resolves and which need an operator, read from the codes
// Prisma, its driver adapters, SQLite, PostgreSQL and the system put on an error. The words for
// them are i18n's (databaseFaultText in i18n/error-text.ts).

/** How a database failure looks to people: waiting helps (busy), or an operator must act. */
export type DatabaseFault = "db.busy" | "db.corrupt" | "db.unreachable";

const BUSY = new Set(["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY"]);
const CORRUPT = new Set(["SQLITE_CORRUPT", "SQLITE_NOTADB"]);
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
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

/** PostgreSQL's conditions (SQLSTATE) and the PostgreSQL adapter's kinds that waiting resolves. */
const PG_BUSY = new Set(["40001", "40P01", "55P03", "TransactionWriteConflict"]);
/** The server is down, restarting, refusing connections, or the database or its user is missing. */
const PG_UNREACHABLE = new Set([
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "3D000",
  "28000",
  "28P01",
  "DatabaseNotReachable",
  "DatabaseDoesNotExist",
  "DatabaseAccessDenied",
  "AuthenticationFailed",
  "TooManyConnections",
  "ConnectionClosed",
  "SocketTimeout",
  "TlsConnectionError",
]);
/** Prisma's own codes: can't reach, timed out, no such database, connection closed. */
const PRISMA_UNREACHABLE = new Set(["P1001", "P1002", "P1003", "P1017"]);
/** node-postgres reports a dropped connection or a full pool only in words. */
const PG_CONNECTION_LOST =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed/i;

/**
 * Every code found on an error and its causes, however Prisma and its driver adapter wrapped it:
 * SQLite's or the system's codes, PostgreSQL's SQLSTATE, the adapter's kind, Prisma's P-code.
 */
function codesOf(error: unknown): { codes: string[]; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    const e = current as {
      code?: unknown;
      originalCode?: unknown;
      kind?: unknown;
      message?: unknown;
      meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown; code?: unknown } } };
      cause?: unknown;
    };
    const adapterCause = e.meta?.driverAdapterError?.cause;
    for (const value of [
      adapterCause?.originalCode,
      adapterCause?.code,
      adapterCause?.kind,
      e.originalCode,
      e.code,
      e.kind,
    ]) {
      if (typeof value === "string") codes.push(value);
    }
    if (typeof e.message === "string") messages.push(e.message);
    current = e.cause;
  }
  return { codes, messages };
}

export function databaseFault(error: unknown): DatabaseFault | null {
  const { codes, messages } = codesOf(error);
  for (const code of codes) {
    if (BUSY.has(code) || code.startsWith("SQLITE_BUSY") || PG_BUSY.has(code)) return "db.busy";
    if (CORRUPT.has(code)) return "db.corrupt";
    if (UNREACHABLE.has(code) || code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_CANTOPEN")) {
      return "db.unreachable";
    }
    if (PG_UNREACHABLE.has(code) || PRISMA_UNREACHABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code)) {
      return "db.unreachable";
    }
    // Prisma's "Operation has timed out" (a held write lock) and "write conflict or deadlock".
    if (code === "P1008" || code === "P2034") return "db.busy";
  }
  if (messages.some((m) => PG_CONNECTION_LOST.test(m))) return "db.unreachable";
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
