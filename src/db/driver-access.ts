// The driver adapter under a Prisma client, for the few bulk statements whose cost is Prisma's and
// not the database's. A raw query still passes through Prisma's query compiler (WebAssembly), which
// copies every parameter in and every returned row out: for a national reminder point, 7 MB of
// JSON in and 6,642 keys out, that was 0.8 s of a 1.2 s write that SQLite itself does in 0.3 s.
// The adapter's own interface (Prisma's SqlDriverAdapter, which Prisma itself calls) skips that.

/** A value bound to a statement: the adapters pass numbers, text, blobs and null as they are. */
export type DriverArg = string | number | Buffer | null;

/** One statement as a driver adapter takes it: Prisma's SqlQuery. */
interface DriverQuery {
  sql: string;
  args: DriverArg[];
  argTypes: { scalarType: "string" | "int" | "bytes"; arity: "scalar" }[];
}

interface DriverTransaction {
  queryRaw(query: DriverQuery): Promise<{ rows: unknown[][] }>;
  executeRaw(query: DriverQuery): Promise<number>;
  /** Lets go of the connection (and, on SQLite, of the adapter's lock); COMMIT is sent before it. */
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** The part of Prisma's SqlDriverAdapter used here. */
export interface DriverAdapter {
  startTransaction(): Promise<DriverTransaction>;
  /** One statement outside a transaction, as Prisma sends its own reads (SQLite: the one connection). */
  queryRaw(query: DriverQuery): Promise<{ rows: unknown[][] }>;
}

/** Prisma's adapter factories, which Prisma asks for the adapter once, when it first connects. */
export interface AdapterFactory {
  connect(): Promise<unknown>;
}

const connected = new WeakMap<object, () => DriverAdapter | null>();

/**
 * The factory as Prisma gets it, and the adapter it made once Prisma has connected. The factory's
 * own `connect` is wrapped on the instance, so Prisma sees the factory it would have seen.
 */
export function capturingAdapter<F extends AdapterFactory>(
  factory: F,
): { factory: F; adapter: () => DriverAdapter | null } {
  let adapter: DriverAdapter | null = null;
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const made = await connect();
    adapter = made as DriverAdapter;
    return made;
  };
  return { factory, adapter: () => adapter };
}

/** Records which adapter a client talks through (see createDb). */
export function registerDriver(client: object, adapter: () => DriverAdapter | null): void {
  connected.set(client, adapter);
}

function statement(sql: string, args: readonly DriverArg[]): DriverQuery {
  return {
    sql,
    args: [...args],
    argTypes: args.map((arg) => ({
      scalarType: typeof arg === "number" ? "int" : Buffer.isBuffer(arg) ? "bytes" : "string",
      arity: "scalar",
    })),
  };
}

/**
 * Runs `work` in a transaction of the client's own connection (SQLite: the connection Prisma uses,
 * behind the adapter's lock, so it never interleaves with a Prisma transaction; PostgreSQL: a
 * connection of the pool). Null when the client has no adapter yet or is a transaction's client:
 * the caller then takes Prisma's way.
 */
export async function inDriverTransaction<T>(
  client: object,
  work: (query: (sql: string, args: readonly DriverArg[]) => Promise<unknown[][]>) => Promise<T>,
): Promise<{ value: T } | null> {
  const adapter = connected.get(client)?.();
  if (!adapter) return null;
  const tx = await adapter.startTransaction();
  try {
    const value = await work(async (sql, args) => (await tx.queryRaw(statement(sql, args))).rows);
    await tx.executeRaw(statement("COMMIT", []));
    await tx.commit();
    return { value };
  } catch (error) {
    // A failed ROLLBACK (the connection gone) must not hide why the work failed.
    await tx.executeRaw(statement("ROLLBACK", [])).catch(() => undefined);
    await tx.rollback();
    throw error;
  }
}

/**
 * The rows of one read, each an array in the order of its columns, as the driver gives them
 * (SQLite's integers as text, PostgreSQL's as numbers): through the driver when the client has one,
 * else through Prisma's raw query. For reads of tens of thousands of rows, where Prisma's mapping
 * of each row cost more than the database's reading it.
 */
export async function readRows(client: RawClient, sql: string, args: readonly DriverArg[]): Promise<unknown[][]> {
  const direct = await inDriverTransaction(client, (query) => query(sql, args));
  return direct ? direct.value : throughPrisma(client, sql, args);
}

/** A client, or a transaction's client, that takes a raw query. */
interface RawClient {
  $queryRawUnsafe<T>(sql: string, ...args: unknown[]): Promise<T>;
}

/** Where no adapter is at hand (a transaction's client, or one not yet connected): Prisma's raw query. */
async function throughPrisma(client: RawClient, sql: string, args: readonly DriverArg[]): Promise<unknown[][]> {
  const rows = await client.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...args);
  return rows.map((row) => Object.values(row));
}

/**
 * The rows of one statement, as `readRows` gives them, sent on its own: no BEGIN and COMMIT around
 * it, so one round trip. For the reads every chat message makes, where each Prisma query cost its
 * compiling and each round trip a wake-up of both processes (half of a report's time on PostgreSQL).
 */
export async function queryRows(client: RawClient, sql: string, args: readonly DriverArg[]): Promise<unknown[][]> {
  const query = driverOf(client);
  return query ? query(sql, args) : throughPrisma(client, sql, args);
}

/**
 * One statement at a time on the client's driver, as `queryRows` sends it; null where the client
 * has none (a transaction's client, or one not yet connected), for writes whose other way is
 * Prisma's own (a value bound by hand is not typed as Prisma's raw query would need it).
 */
export function driverOf(client: object): ((sql: string, args: readonly DriverArg[]) => Promise<unknown[][]>) | null {
  const adapter = connected.get(client)?.();
  return adapter ? async (sql, args) => (await adapter.queryRaw(statement(sql, args))).rows : null;
}
