import { foldName } from "../domain/text.ts";
import { vi as m } from "../i18n/vi.ts";
import { addMembers, parseMembersCsv } from "../plan/members.ts";
import { addAlias, listDirectory } from "../services/directory-service.ts";
import { choosePlan } from "../services/plan-service.ts";
import { CliError, planOption, print, type CliCommand } from "./command.ts";
import { readInputFile } from "./files.ts";

export const agencyCommands: readonly CliCommand[] = [
  {
    name: "agencies list",
    forms: ["[--json]"],
    async run(ctx) {
      const { db } = await ctx.app();
      const rows = await listDirectory(db);
      print(
        ctx,
        rows,
        rows
          .map((r) =>
            m.cli.agencyLine(r.code, r.name, r.plans.map((p) => `${p.plan} ${p.section}`).join(", "), r.contacts),
          )
          .join("\n") || m.cli.noAgencies,
      );
    },
  },
  {
    name: "agencies alias",
    forms: ['CODE "TÊN KHÁC" [--json]'],
    async run(ctx, [code, ...name]) {
      const alias = name.join(" ").trim();
      if (!code) throw new CliError(m.cli.missingArgument("CODE"));
      // A name of punctuation alone matches nothing: it is no name.
      if (!foldName(alias)) throw new CliError(m.cli.missingArgument('"TÊN KHÁC"'));
      const { db } = await ctx.app();
      const agency = await addAlias(db, code, alias);
      print(ctx, { code: agency.code, alias }, m.cli.aliasAdded(agency.code, alias));
    },
  },
  {
    name: "agencies add-members",
    forms: ["--group CODE [--plan CODE] FILE.csv [--json]"],
    async run(ctx, [file], options) {
      const group = options.group;
      if (typeof group !== "string" || !group.trim()) throw new CliError(m.cli.missingArgument("--group CODE"));
      const rows = parseMembersCsv(readInputFile(file, m.cli.csvFileArgument));
      const { db } = await ctx.app();
      const plan = await choosePlan(db, planOption(options));
      const summary = await addMembers(db, plan.id, group.trim(), rows);
      print(ctx, summary, m.cli.membersAdded(summary.group, summary.added, summary.updated, summary.unchanged));
    },
  },
];
