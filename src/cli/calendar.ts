import { vi as m } from "../i18n/vi.ts";
import { CalendarCsvError, parseCalendarCsv } from "../schedule/calendar.ts";
import { importCalendar } from "../schedule/calendar-store.ts";
import { CliError, print, type CliCommand } from "./command.ts";
import { readInputFile } from "./files.ts";

export const calendarCommands: readonly CliCommand[] = [
  {
    name: "calendar import",
    forms: ["FILE.csv [--json]"],
    async run(ctx, [file]) {
      const text = readInputFile(file, m.cli.csvFileArgument);
      let entries;
      try {
        entries = parseCalendarCsv(text);
      } catch (error) {
        if (error instanceof CalendarCsvError) throw new CliError(m.cli.calendarBadCsv(error.line));
        throw error;
      }
      const { db } = await ctx.app();
      const summary = await importCalendar(db, entries);
      print(ctx, summary, m.cli.calendarImported(summary.added, summary.updated, summary.unchanged));
    },
  },
];
