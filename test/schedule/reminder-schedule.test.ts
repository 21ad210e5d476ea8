import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CalendarCsvError, createWorkCalendar, parseCalendarCsv } from "../../src/schedule/calendar.ts";
import { DEFAULT_REMINDER_POLICY, ReminderPolicyError, parseReminderPolicy } from "../../src/schedule/policy.ts";
import { deferPastQuietHours, digestDates, isQuietTime, reminderPoints } from "../../src/schedule/schedule.ts";
import { addDays, dayOfWeek, localDateTime, localMinutes, toIsoLocal } from "../../src/lib/time.ts";
import { root } from "../helpers/processes.ts";

const csv = readFileSync(join(root, "prisma/seed/ngay-nghi-2026.csv"), "utf8");
const entries = parseCalendarCsv(csv);
const calendar = createWorkCalendar(entries);
const policy = DEFAULT_REMINDER_POLICY;

const summary = (deadline: string, p = policy) =>
  reminderPoints(deadline, p, calendar).map((r) => `${r.label} ${toIsoLocal(r.dueAt)}`);

describe("shipped calendar", () => {
  it("parses every row", () => {
    expect(entries).toHaveLength(16);
    expect(calendar.entry("2026-04-27")).toMatchObject({ kind: "holiday", name: expect.stringContaining("Giỗ Tổ") });
  });

  it("handles the Quốc khánh swap", () => {
    expect(calendar.isWorkingDay("2026-08-22")).toBe(true); // makeup Saturday
    expect(calendar.isWorkingDay("2026-08-28")).toBe(true);
    expect(calendar.isWorkingDay("2026-08-29")).toBe(false);
    for (const d of ["2026-08-31", "2026-09-01", "2026-09-02"]) expect(calendar.isWorkingDay(d)).toBe(false);
    expect(calendar.isWorkingDay("2026-09-03")).toBe(true);
    expect(calendar.previousWorkingDayOnOrBefore("2026-08-31")).toBe("2026-08-28");
    expect(calendar.workingDaysFrom("2026-08-29", 2)).toEqual(["2026-09-03", "2026-09-04"]);
  });
});

describe("reminderPoints, deadline 2026-12-15, default policy", () => {
  const points = reminderPoints("2026-12-15", policy, calendar);
  const overdueDays = ["15", "16", "17", "18", "21", "22", "23", "24", "25", "28"].map((d) => `2026-12-${d}`);

  it("has no calendar entries in the overdue range", () => {
    expect(entries.filter((e) => e.date >= "2026-12-15" && e.date <= "2026-12-28")).toEqual([]);
  });

  it("lists the exact points and instants", () => {
    expect(points.map((p) => [p.label, p.kind, p.date, p.dueAt.toISOString()])).toEqual([
      ["T-30", "before", "2026-11-13", "2026-11-13T01:00:00.000Z"], // Sunday 15/11 → Friday
      ["T-14", "before", "2026-12-01", "2026-12-01T01:00:00.000Z"],
      ["T-7", "before", "2026-12-08", "2026-12-08T01:00:00.000Z"],
      ["T-3", "before", "2026-12-11", "2026-12-11T01:00:00.000Z"], // Saturday 12/12 → Friday
      ["T-1", "before", "2026-12-14", "2026-12-14T01:00:00.000Z"],
      ...overdueDays.map((d, i) => [`overdue-${i + 1}`, "overdue", d, `${d}T01:00:00.000Z`]),
    ]);
    expect(points).toHaveLength(15);
  });

  it("puts points only on working weekdays at 08:00, and nowhere else", () => {
    const expected = new Set(points.map((p) => p.date));
    let withPoints = 0;
    for (let d = "2026-11-01"; d <= "2026-12-31"; d = addDays(d, 1)) {
      const onDay = points.filter((p) => p.date === d);
      expect(onDay).toHaveLength(expected.has(d) ? 1 : 0);
      for (const p of onDay) {
        expect([0, 6]).not.toContain(dayOfWeek(d));
        expect(toIsoLocal(p.dueAt)).toBe(`${d}T08:00:00+07:00`);
        expect(localMinutes(p.dueAt)).toBe(8 * 60);
        withPoints++;
      }
    }
    expect(withPoints).toBe(15);
  });
});

describe("reminderPoints around holidays", () => {
  it("moves T-1 and T-3 before Quốc khánh to Friday 28/8 and merges them as T-1", () => {
    expect(summary("2026-09-01")).toEqual([
      "T-30 2026-07-31T08:00:00+07:00", // Sunday 2/8
      "T-14 2026-08-18T08:00:00+07:00",
      "T-7 2026-08-25T08:00:00+07:00",
      "T-1 2026-08-28T08:00:00+07:00",
      "overdue-1 2026-09-03T08:00:00+07:00",
      ...["04", "07", "08", "09", "10", "11", "14", "15", "16"].map(
        (d, i) => `overdue-${i + 2} 2026-09-${d}T08:00:00+07:00`,
      ),
    ]);
  });

  it("keeps a point on a makeup Saturday", () => {
    const p = parseReminderPolicy({ beforeDays: [2, 7], overdueWorkingDays: 0 });
    expect(summary("2026-08-24", p)).toEqual(["T-7 2026-08-17T08:00:00+07:00", "T-2 2026-08-22T08:00:00+07:00"]);
  });

  it("merges points landing on one day into the label closest to the deadline, whatever the order", () => {
    const plain = createWorkCalendar([]);
    const p = parseReminderPolicy({ beforeDays: [1, 3, 2, 5], overdueWorkingDays: 1 });
    // Deadline Monday 2026-06-15: T-1 Sunday, T-2 Saturday and T-3 Friday all land on Friday 12/6.
    expect(reminderPoints("2026-06-15", p, plain).map((r) => `${r.label} ${r.date}`)).toEqual([
      "T-5 2026-06-10",
      "T-1 2026-06-12",
      "overdue-1 2026-06-15",
    ]);
  });

  it("skips Giỗ Tổ and 30/4–1/5 for overdue reminders", () => {
    const p = parseReminderPolicy({ beforeDays: [], overdueWorkingDays: 3 });
    expect(reminderPoints("2026-04-27", p, calendar).map((r) => `${r.label} ${r.date}`)).toEqual([
      "overdue-1 2026-04-28",
      "overdue-2 2026-04-29",
      "overdue-3 2026-05-04",
    ]);
  });
});

describe("digestDates", () => {
  const dates = digestDates("2026-12-15", policy, calendar, "2026-12-31");

  it("covers working days from 14 days before the deadline through the given day", () => {
    expect(dates[0]).toBe("2026-12-01");
    expect(dates.at(-1)).toBe("2026-12-31");
    expect(dates).toContain("2026-12-14");
    expect(dates).toContain("2026-12-15");
    for (const d of ["2026-12-12", "2026-12-13", "2026-12-19", "2026-12-20"]) expect(dates).not.toContain(d);
    expect(dates.every((d) => calendar.isWorkingDay(d))).toBe(true);
    expect(dates).toHaveLength(23);
  });

  it("is empty when `through` is before the window", () => {
    expect(digestDates("2026-12-15", policy, calendar, "2026-11-30")).toEqual([]);
  });
});

describe("quiet hours", () => {
  const at = (date: string, time: string) => localDateTime(date, time);

  it("defers into the next morning", () => {
    expect(toIsoLocal(deferPastQuietHours(at("2026-12-14", "22:00"), policy))).toBe("2026-12-15T07:00:00+07:00");
    expect(toIsoLocal(deferPastQuietHours(at("2026-12-14", "21:00"), policy))).toBe("2026-12-15T07:00:00+07:00");
    expect(toIsoLocal(deferPastQuietHours(at("2026-12-14", "03:00"), policy))).toBe("2026-12-14T07:00:00+07:00");
  });

  it("leaves times outside quiet hours alone", () => {
    for (const t of ["07:00", "20:59", "12:00"]) {
      const instant = at("2026-12-14", t);
      expect(isQuietTime(instant, policy)).toBe(false);
      expect(deferPastQuietHours(instant, policy)).toBe(instant);
    }
    expect(isQuietTime(at("2026-12-14", "21:00"), policy)).toBe(true);
    expect(isQuietTime(at("2026-12-14", "06:59"), policy)).toBe(true);
  });

  it("supports a window that does not wrap midnight", () => {
    const lunch = parseReminderPolicy({ quietStart: "12:00", quietEnd: "13:00" });
    expect(toIsoLocal(deferPastQuietHours(at("2026-12-14", "12:30"), lunch))).toBe("2026-12-14T13:00:00+07:00");
    expect(isQuietTime(at("2026-12-14", "22:00"), lunch)).toBe(false);
  });
});

describe("parseReminderPolicy", () => {
  it("returns the defaults for null, undefined and {}", () => {
    for (const input of [null, undefined, {}]) expect(parseReminderPolicy(input)).toEqual(DEFAULT_REMINDER_POLICY);
    expect(DEFAULT_REMINDER_POLICY).toMatchObject({ beforeDays: [30, 14, 7, 3, 1], sendTime: "08:00" });
    expect(DEFAULT_REMINDER_POLICY).toMatchObject({ recentReportDays: 3, recentReportSkipUntilDays: 8 });
  });

  it("merges a partial override over the defaults", () => {
    const p = parseReminderPolicy({ sendTime: "09:30", beforeDays: [1, 7, 7] });
    expect(p).toEqual({ ...DEFAULT_REMINDER_POLICY, sendTime: "09:30", beforeDays: [7, 1] });
    p.beforeDays.push(99);
    expect(DEFAULT_REMINDER_POLICY.beforeDays).toEqual([30, 14, 7, 3, 1]);
  });

  it.each([
    [{ sendTime: "25:00" }, "sendTime"],
    [{ quietEnd: "7:00" }, "quietEnd"],
    [{ beforeDays: [7, -1] }, "beforeDays.1"],
    [{ overdueWorkingDays: 2.5 }, "overdueWorkingDays"],
    [{ maxAttempts: 0 }, "maxAttempts"],
    [{ recentReportSkipUntilDays: -1 }, "recentReportSkipUntilDays"],
    [{ recentReportSkipUntilDays: 7.5 }, "recentReportSkipUntilDays"],
    [{ recentReportSkipUntilDays: "8" }, "recentReportSkipUntilDays"],
    [{ sendTme: "08:00" }, "sendTme"],
    ["08:00", "policy"],
  ])("rejects %j naming %s", (input, field) => {
    const error = (() => {
      try {
        parseReminderPolicy(input);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ReminderPolicyError);
    expect(error).toMatchObject({ code: "policy.invalid", message: expect.stringContaining(field) });
  });
});

describe("parseCalendarCsv", () => {
  const catchCsv = (text: string) => {
    try {
      parseCalendarCsv(text);
    } catch (e) {
      if (e instanceof CalendarCsvError) return { code: e.code, line: e.line, message: e.message };
      throw e;
    }
    throw new Error("expected a CalendarCsvError");
  };

  it("reads CRLF, a BOM, blank lines, quoted commas, extra columns in any order", () => {
    const text =
      '\uFEFFname,note,kind,date\r\n"Tết, mùng 1",x,holiday,2027-02-06\r\n\r\n' +
      '"Nói ""bù""",,makeup_workday,2027-02-20\r\n';
    expect(parseCalendarCsv(text)).toEqual([
      { date: "2027-02-06", kind: "holiday", name: "Tết, mùng 1" },
      { date: "2027-02-20", kind: "makeup_workday", name: 'Nói "bù"' },
    ]);
  });

  it("reports a bad kind with its line number", () => {
    const e = catchCsv("date,kind,name\n2026-01-01,holiday,A\n\n2026-01-02,nghi,B\n");
    expect(e).toMatchObject({ code: "calendar.bad_row", line: 4 });
    expect(e.message).toContain("kind");
  });

  it.each([
    ["date,kind,name\n2026-02-30,holiday,A", "calendar.bad_row", 2],
    ["date,kind,name\n2026-01-01,holiday", "calendar.bad_row", 2],
    ["date,kind,name\n2026-01-01,holiday,A\n2026-01-01,day_off,B", "calendar.bad_row", 3],
    ['date,kind,name\n2026-01-01,holiday,"A', "calendar.bad_row", 2],
    ["\uFEFF\r\n\r\n", "calendar.empty", null],
    ["\nngay,kind,name\n", "calendar.bad_header", 2],
  ])("rejects %j as %s", (text, code, line) => {
    expect(catchCsv(text)).toMatchObject({ code, line });
  });

  it("accepts a header with no rows", () => {
    expect(parseCalendarCsv("date,kind,name\n")).toEqual([]);
  });
});
