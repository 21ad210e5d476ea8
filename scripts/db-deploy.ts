// `npm run db:deploy`: applies the committed migrations the way every start does (src/db/db.ts and
// src/db/migrations.ts), each in one transaction with its `_prisma_migrations` row, and creates the
// data folder if needed. `prisma migrate deploy` would apply a migration statement by statement
// after recording it as started, so a run killed in the middle left a file it refused from then
// on (P3009). A missing database is built aside and published whole, without the bundled plan,
// which the first `npm start` adds.
import { ConfigError, loadConfig } from "../src/config.ts";
import { vi } from "../src/i18n/vi.ts";
import { migrateDatabase, pendingMigrations } from "../src/db/db.ts";

try {
  const { databaseUrl } = loadConfig();
  const pending = await pendingMigrations(databaseUrl);
  await migrateDatabase(databaseUrl);
  process.stdout.write(
    pending.length === 0
      ? `${databaseUrl}: no pending migrations to apply.\n`
      : `${databaseUrl}: applied ${pending.length} migration(s):\n${pending.map((name) => `  ${name}\n`).join("")}`,
  );
} catch (error) {
  process.stderr.write(
    `${error instanceof ConfigError ? vi.cli.configInvalid(error.message) : (error as Error).message}\n`,
  );
  process.exitCode = 1;
}
