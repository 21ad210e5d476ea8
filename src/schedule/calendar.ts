// The civil-service working calendar. Holidays and swapped days change every year by government
// decision, so they come from a CSV a coordinator maintains rather than from code.

import { z } from "zod";
import { CsvReadError, readCsv, type CsvRow } from "../domain/csv.ts";
import { addDays, dayOfWeek, isLocalDate } from "../lib/time.ts";
import type { LocalDate } from "../lib/time.ts";

export type CalendarDayKind = "holiday" | "day_off" | "makeup_workday";
export interface CalendarEntry {
  date: LocalDate;
  kind: CalendarDayKind;
  name: string;
}

export type CalendarCsvErrorCode = "calendar.empty" | "calendar.bad_header" | "calendar.bad_row";

export class CalendarCsvError extends Error {
  override readonly name = "CalendarCsvError";
  constructor(
    readonly code: CalendarCsvErrorCode,
    message: string,
    readonly line: number | null = null,
  ) {
    super(line === null ? message : `line ${line}: ${message}`);
  }
}

const KINDS = ["holiday", "day_off", "makeup_workday"] as const;
const COLUMNS = ["date", "kind", "name"] as const;

const rowSchema = z.object({
  date: z.string().trim().refine(isLocalDate, "expected a real date written YYYY-MM-DD"),
  kind: z.string().trim().pipe(z.enum(KINDS)),
  name: z.string().trim().min(1, "must not be empty"),
});

export function parseCalendarCsv(text: string): CalendarEntry[] {
  let rows: CsvRow[];
  try {
    rows = readCsv(text, COLUMNS);
  } catch (error) {
    if (!(error instanceof CsvReadError)) throw error;
    if (error.problem === "empty") throw new CalendarCsvError("calendar.empty", "the calendar file is empty");
    if (error.problem === "unreadable")
      throw new CalendarCsvError("calendar.bad_row", "unreadable CSV (a quote left open?)", error.line);
    throw new CalendarCsvError(
      "calendar.bad_header",
      `column "${error.column}" is ${error.problem === "missing_column" ? "missing" : "repeated"}; expected date,kind,name`,
      error.line,
    );
  }

  const seen = new Map<LocalDate, number>();
  return rows.map(({ line, values }) => {
    const raw = { date: values.date, kind: values.kind, name: values.name };
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const column = String(issue.path[0] ?? "row") as keyof typeof raw;
      const problem = raw[column] ? `${JSON.stringify(raw[column])}: ${issue.message}` : "is missing";
      throw new CalendarCsvError("calendar.bad_row", `${column} ${problem}`, line);
    }
    const earlier = seen.get(parsed.data.date);
    // Two rows for one day would make the day's status depend on row order.
    if (earlier !== undefined) {
      throw new CalendarCsvError(
        "calendar.bad_row",
        `date ${parsed.data.date} is already listed on line ${earlier}`,
        line,
      );
    }
    seen.set(parsed.data.date, line);
    return parsed.data;
  });
}

export interface WorkCalendar {
  isWorkingDay(date: LocalDate): boolean;
  previousWorkingDayOnOrBefore(date: LocalDate): LocalDate;
  /** The first `count` working days on or after `date`. */
  workingDaysFrom(date: LocalDate, count: number): LocalDate[];
  entry(date: LocalDate): CalendarEntry | undefined;
}

// A malformed calendar marking every day off must fail loudly instead of looping forever.
const MAX_SEARCH_DAYS = 366;

export function createWorkCalendar(entries: readonly CalendarEntry[]): WorkCalendar {
  const byDate = new Map<LocalDate, CalendarEntry>();
  for (const e of entries) {
    if (!isLocalDate(e.date)) throw new RangeError(`calendar entry has a bad date: ${e.date}`);
    if (byDate.has(e.date)) throw new RangeError(`calendar lists ${e.date} twice`);
    byDate.set(e.date, Object.freeze({ ...e }));
  }

  const isWorkingDay = (date: LocalDate): boolean => {
    const kind = byDate.get(date)?.kind;
    if (kind) return kind === "makeup_workday";
    const dow = dayOfWeek(date);
    return dow !== 0 && dow !== 6;
  };

  const nextWorkingDay = (date: LocalDate, step: 1 | -1): LocalDate => {
    let d = date;
    for (let i = 0; i < MAX_SEARCH_DAYS; i++, d = addDays(d, step)) if (isWorkingDay(d)) return d;
    throw new RangeError(`no working day within ${MAX_SEARCH_DAYS} days of ${date}`);
  };

  return {
    isWorkingDay,
    previousWorkingDayOnOrBefore: (date) => nextWorkingDay(date, -1),
    workingDaysFrom(date, count) {
      if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0: ${count}`);
      const days: LocalDate[] = [];
      for (let d = date; days.length < count; d = addDays(d, 1)) {
        d = nextWorkingDay(d, 1);
        days.push(d);
      }
      return days;
    },
    entry: (date) => byDate.get(date),
  };
}
