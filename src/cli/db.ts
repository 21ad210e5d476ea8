import { existsSync, statSync } from "node:fs";
import { vi as m } from "../i18n/vi.ts";
import { CliError, print, type CliCommand } from "./command.ts";
import { checkOutputPath } from "./files.ts";

export const dbCommands: readonly CliCommand[] = [
  {
    name: "db backup",
    forms: ["FILE.db [--json]"],
    // VACUUM INTO reads one consistent snapshot, so it is safe while the bot runs and writes (WAL):
    // copying the .db file by hand could miss what is still in the -wal file.
    async run(ctx, [file]) {
      if (!file) throw new CliError(m.cli.missingArgument(m.cli.backupFileArgument));
      const target = checkOutputPath(file);
      if (existsSync(target)) throw new CliError(m.cli.backupExists(file));
      const { db } = await ctx.app();
      await db.$executeRawUnsafe("VACUUM INTO ?", target);
      const bytes = statSync(target).size;
      print(ctx, { file: target, bytes }, m.cli.backupDone(target, bytes));
    },
  },
];
