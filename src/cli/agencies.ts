import { vi as m } from "../i18n/vi.ts";
import { addMembers, parseMembersCsv } from "../plan/members.ts";
import { getActivePlan } from "../services/plan-service.ts";
import { CliError, print, type CliCommand } from "./command.ts";
import { readInputFile } from "./files.ts";

export const agencyCommands: readonly CliCommand[] = [
  {
    name: "agencies add-members",
    forms: ["--group CODE FILE.csv [--json]"],
    async run(ctx, [file], options) {
      const group = options.group;
      if (typeof group !== "string" || !group.trim()) throw new CliError(m.cli.missingArgument("--group CODE"));
      const rows = parseMembersCsv(readInputFile(file, m.cli.csvFileArgument));
      const { db } = await ctx.app();
      const plan = await getActivePlan(db);
      const summary = await addMembers(db, plan.id, group.trim(), rows);
      print(ctx, summary, m.cli.membersAdded(summary.group, summary.added, summary.updated, summary.unchanged));
    },
  },
];
