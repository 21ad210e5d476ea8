import { PrismaPg } from "@prisma/adapter-pg";

// `prisma migrate diff` between two schema files computes the SQL from the files alone, but it
// still opens the configured adapter and asks the server for its version. This adapter answers
// that one question and refuses everything else, so a new PostgreSQL migration can be written on
// a machine without a PostgreSQL server (scripts/new-migration.ts). Never used by the bot.

const BOOLEAN = 5;
const TEXT = 7;
const INT32 = 0;
/** The oldest server the committed migrations are written for. */
const SERVER_VERSION = { text: "PostgreSQL 15.0", number: 150000 };

function refuse(): never {
  throw new Error("this adapter only serves `prisma migrate diff` between two schema files");
}

export function createDiffOnlyPgAdapter() {
  const pg = new PrismaPg({ host: "127.0.0.1", database: "unused" });
  const connection = {
    provider: pg.provider,
    adapterName: pg.adapterName,
    async queryRaw(query: { sql: string }) {
      if (!/version\(\)/.test(query.sql)) refuse();
      return {
        columnNames: ["exists", "version", "numeric_version"],
        columnTypes: [BOOLEAN, TEXT, INT32],
        rows: [[true, SERVER_VERSION.text, SERVER_VERSION.number]],
      };
    },
    executeRaw: refuse,
    executeScript: refuse,
    startTransaction: refuse,
    getConnectionInfo: () => ({ schemaName: "public", supportsRelationJoins: true }),
    async dispose() {},
  };
  return {
    provider: pg.provider,
    adapterName: pg.adapterName,
    connect: async () => connection,
    connectToShadowDb: refuse,
  };
}
