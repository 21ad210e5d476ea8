import { PrismaPg } from "@prisma/adapter-pg";
import { pgConnectionFields } from "./database-url.ts";
import { capturingAdapter, registerDriver } from "./driver-access.ts";
import { PrismaClient as PgPrismaClient } from "../generated/prisma-pg/client.ts";

// Everything PostgreSQL needs in a running process, loaded by db.ts only when the URL asks for
// it: a bot on the SQLite file does not carry the second client, the adapter and node-postgres.

export { applyPendingPgMigrations, connectPg, pendingPgMigrationNames, waitForPg } from "./migrations-pg.ts";

/** Connections per process: chat events, ticks and sends each take one while they run. */
export const PG_POOL_SIZE = 10;
/** A server that does not answer within this is reported unreachable rather than waited on. */
const PG_CONNECT_TIMEOUT_MS = 5_000;

export function createPgClient(url: string, poolSize = PG_POOL_SIZE): PgPrismaClient {
  const { factory, adapter } = capturingAdapter(
    new PrismaPg({ ...pgConnectionFields(url), max: poolSize, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS }),
  );
  // Without Prisma's frame of our source lines in every error message, as createDb in db.ts.
  const client = new PgPrismaClient({ adapter: factory, errorFormat: "minimal" });
  registerDriver(client, adapter);
  return client;
}
