import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { createDiffOnlyPgAdapter } from "./scripts/diff-only-adapter.ts";
import { isPostgresUrl, pgConnectionFields } from "./src/db/database-url.ts";

// The schema reads env("DATABASE_URL"): when it is unset the CLI cannot read the datasource and
// falls back to downloading engines, which fails offline. Keep this default identical to src/config.ts.
const url = (process.env.DATABASE_URL ??= "file:./data/nhacviec.db");
const postgres = isPostgresUrl(url);

// One schema is edited (prisma/schema.prisma); PostgreSQL uses the generated copy and its own
// migrations folder with the same migration names. The URL's scheme picks both, and the adapter:
// `prisma generate --schema` with the other adapter configured would try to download engines.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: postgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgres/migrations" : "prisma/migrations" },
  // max 1: the migration engine splits a file on ";" and runs the pieces one by one, and only one
  // connection keeps each file's BEGIN … COMMIT together.
  adapter: async () => {
    if (!postgres) return new PrismaBetterSQLite3({ url });
    // Only `npm run db:migration` sets this, for `migrate diff` between two schema files.
    if (process.env.NHACVIEC_DIFF_ONLY === "1") return createDiffOnlyPgAdapter() as unknown as PrismaPg;
    return new PrismaPg({ ...pgConnectionFields(url), max: 1 });
  },
});
