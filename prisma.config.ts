import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// The schema reads env("DATABASE_URL"): when it is unset the CLI cannot read the datasource and
// falls back to downloading engines, which fails offline. Keep this default identical to src/config.ts.
process.env.DATABASE_URL ??= "file:./data/nhacviec.db";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => new PrismaBetterSQLite3({ url: process.env.DATABASE_URL! }),
});
