import { existsSync, rmSync, statSync } from "node:fs";
import { isPostgresUrl, redactDatabaseUrl } from "../db/database-url.ts";
import { copySqliteToPostgres } from "../db/db-copy.ts";
import { databaseFault } from "../db/db-errors.ts";
import type { Db } from "../db/db.ts";
import { AppError } from "../model/errors.ts";
import { vi as m } from "../i18n/vi.ts";
import { CliError, print, type CliCommand } from "./command.ts";
import { checkOutputPath } from "./files.ts";

/**
 * The database is open (ctx.app() opened it), so a file SQLite cannot open, fill or write here is
 * the backup's: say so, not that the database cannot be opened, and leave no partial copy.
 */
async function backUp(db: Db, target: string): Promise<void> {
  try {
    await db.$executeRawUnsafe("VACUUM INTO ?", target);
  } catch (error) {
    if (databaseFault(error) !== "db.unreachable") throw error;
    rmSync(target, { force: true });
    throw new CliError(m.cli.outputFailed(target, m.cli.notDone.backup));
  }
}

export const dbCommands: readonly CliCommand[] = [
  {
    name: "db backup",
    forms: ["FILE.db [--json]"],
    // VACUUM INTO reads one consistent snapshot, so it is safe while the bot runs and writes (WAL):
    // copying the .db file by hand could miss what is still in the -wal file.
    async run(ctx, [file]) {
      if (!file) throw new CliError(m.cli.missingArgument(m.cli.backupFileArgument));
      const target = checkOutputPath(file, "backup");
      if (existsSync(target)) throw new CliError(m.cli.backupExists(file));
      if (isPostgresUrl(ctx.config.databaseUrl)) throw new CliError(m.cli.backupPostgres);
      const { db } = await ctx.app();
      await backUp(db, target);
      const bytes = statSync(target).size;
      print(ctx, { file: target, bytes }, m.cli.backupDone(target, bytes));
    },
  },
  {
    name: "db copy",
    forms: ["--to postgresql://… [--json]"],
    // Moves a province from its SQLite file to PostgreSQL (README, "PostgreSQL"); db-copy.ts says how.
    async run(ctx, _args, options) {
      const to = typeof options.to === "string" ? options.to.trim() : "";
      if (!to) throw new CliError(m.cli.missingArgument(m.cli.copy.targetArgument));
      if (isPostgresUrl(ctx.config.databaseUrl)) throw new AppError("db.copy_source_not_sqlite");
      if (!isPostgresUrl(to) || !URL.canParse(to)) throw new AppError("db.copy_target_not_postgres");
      const { tables } = await copySqliteToPostgres(ctx.config.databaseUrl, to);
      const rows = Object.values(tables).reduce((sum, n) => sum + n, 0);
      const target = redactDatabaseUrl(to);
      const lines = Object.entries(tables).map(([table, n]) => m.cli.copy.tableLine(table, n));
      print(
        ctx,
        { from: ctx.config.databaseUrl, to: target, tables },
        [m.cli.copy.done(target, Object.keys(tables).length, rows), ...lines].join("\n"),
      );
    },
  },
];
