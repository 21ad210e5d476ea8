import { writeFileSync } from "node:fs";
import { ReportSettingsSchema } from "../config.ts";
import { vi as m } from "../i18n/vi.ts";
import { loadExportData } from "../reports/export-data.ts";
import { buildExportFile, EXPORT_FORMATS, isExportFormat, parseSince } from "../reports/export-file.ts";
import type { ReportSettings } from "../reports/report-issuer.ts";
import { choosePlan, plansFor } from "../services/plan-service.ts";
import { buildPlansXlsx } from "../reports/export-xlsx.ts";
import { CliError, planOption, print, type CliCommand, type Options } from "./command.ts";
import { checkOutputPath, writeFileAtomically } from "./files.ts";

/** The draft report's options, each overriding its REPORT_* variable. */
const REPORT_OPTIONS = {
  issuer: "issuer",
  "issuer-parent": "parent",
  symbol: "symbol",
  place: "place",
  signer: "signer",
} as const satisfies Record<string, keyof ReportSettings>;

/** The settings from the environment with the options given on top; a bad option fails before anything is read. */
function reportSettings(fromEnv: ReportSettings, options: Options): ReportSettings {
  const settings: ReportSettings = { ...fromEnv };
  for (const [option, key] of Object.entries(REPORT_OPTIONS)) {
    const value = options[option];
    if (typeof value !== "string") continue;
    const parsed = ReportSettingsSchema.shape[key].safeParse(value);
    if (!parsed.success || parsed.data === undefined)
      throw new CliError(m.reports.cliBadReportOption(`--${option}`, value));
    settings[key] = parsed.data;
  }
  return settings;
}

export const exportCommands: readonly CliCommand[] = [
  {
    name: "export",
    forms: [
      "--format xlsx|csv|docx|png --out FILE [--plan CODE] [--agency CODE] [--since dd/mm/yyyy] [--json]",
      "--format docx --out FILE [--issuer NAME] [--issuer-parent NAME] [--symbol SNV] [--place NAME] [--signer 'KT. GIÁM ĐỐC/PHÓ GIÁM ĐỐC']",
    ],
    async run(ctx, _args, options) {
      const format = typeof options.format === "string" ? options.format.trim().toLowerCase() : "";
      if (!isExportFormat(format)) throw new CliError(m.reports.cliBadFormat(EXPORT_FORMATS.join("|")));
      if (typeof options.out !== "string") throw new CliError(m.cli.missingArgument("--out FILE"));
      const since = typeof options.since === "string" ? parseSince(options.since) : undefined;
      if (since === null) throw new CliError(m.reports.cliBadSince(String(options.since)));
      const report = reportSettings(ctx.config.report, options);
      // Before reading anything: an unwritable path fails fast and leaves nothing behind.
      const target = checkOutputPath(options.out, "export");
      const { db } = await ctx.app();
      const filters = {
        ...(typeof options.agency === "string" && { agency: options.agency.trim() }),
        ...(since && { since }),
      };
      // Without --plan and with several plans active, a workbook covers them all; the other formats
      // are about one plan and ask which.
      const plans =
        format === "xlsx" && planOption(options) === undefined
          ? await plansFor(db, undefined)
          : [await choosePlan(db, planOption(options), { closedToo: true })];
      const datas = [];
      for (const plan of plans) datas.push(await loadExportData(db, plan, filters, ctx.clock.now()));
      const data = datas[0]!;
      const content =
        datas.length > 1 ? await buildPlansXlsx(m, datas) : (await buildExportFile(m, format, data, report)).content;
      await writeFileAtomically(target, "export", async (tmp) => writeFileSync(tmp, content));
      const file = { content };
      print(
        ctx,
        {
          file: target,
          format,
          bytes: file.content.byteLength,
          plans: datas.map((d) => d.plan.code),
          rows: datas.reduce((n, d) => n + d.duties.length, 0),
          history: datas.reduce((n, d) => n + d.history.length, 0),
        },
        m.reports.cliDone(target, file.content.byteLength),
      );
    },
  },
];
