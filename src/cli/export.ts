import { writeFileSync } from "node:fs";
import { vi as m } from "../i18n/vi.ts";
import { loadExportData } from "../reports/export-data.ts";
import { buildExportFile, EXPORT_FORMATS, isExportFormat, parseSince } from "../reports/export-file.ts";
import { getActivePlan } from "../services/plan-service.ts";
import { CliError, print, type CliCommand } from "./command.ts";
import { checkOutputPath, writeFileAtomically } from "./files.ts";

export const exportCommands: readonly CliCommand[] = [
  {
    name: "export",
    forms: ["--format xlsx|csv|docx|png --out FILE [--agency CODE] [--since dd/mm/yyyy] [--json]"],
    async run(ctx, _args, options) {
      const format = typeof options.format === "string" ? options.format.trim().toLowerCase() : "";
      if (!isExportFormat(format)) throw new CliError(m.reports.cliBadFormat(EXPORT_FORMATS.join("|")));
      if (typeof options.out !== "string") throw new CliError(m.cli.missingArgument("--out FILE"));
      const since = typeof options.since === "string" ? parseSince(options.since) : undefined;
      if (since === null) throw new CliError(m.reports.cliBadSince(String(options.since)));
      // Before reading anything: an unwritable path fails fast and leaves nothing behind.
      const target = checkOutputPath(options.out, "export");
      const { db } = await ctx.app();
      const plan = await getActivePlan(db);
      const data = await loadExportData(
        db,
        plan,
        { ...(typeof options.agency === "string" && { agency: options.agency.trim() }), ...(since && { since }) },
        ctx.clock.now(),
      );
      const file = await buildExportFile(m, format, data);
      await writeFileAtomically(target, "export", async (tmp) => writeFileSync(tmp, file.content));
      print(
        ctx,
        {
          file: target,
          format,
          bytes: file.content.byteLength,
          rows: data.duties.length,
          history: data.history.length,
        },
        m.reports.cliDone(target, file.content.byteLength),
      );
    },
  },
];
