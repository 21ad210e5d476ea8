// Reminder timing for one deadline. A deadline date D means reports are due before D 00:00, so
// the last day to report is D − 1 and "overdue" reminders start on D itself.

import { addDays, daysBetween, localDate, localDateTime, localMinutes } from "../lib/time.ts";
import type { LocalDate } from "../lib/time.ts";
import type { WorkCalendar } from "./calendar.ts";
import { minutesOfTime } from "./policy.ts";
import type { ReminderPolicy } from "./policy.ts";

export interface ReminderPoint {
  label: string;
  date: LocalDate;
  dueAt: Date;
  kind: "before" | "overdue";
  /** The n of "T-n"; for overdue points, ≤ 0 (the deadline date is 0). */
  daysBefore: number;
}

export function reminderPoints(deadline: LocalDate, policy: ReminderPolicy, calendar: WorkCalendar): ReminderPoint[] {
  // Points pushed back onto the same working day would send the same message twice; the one
  // nearest the deadline keeps its label because it describes the urgency more truthfully.
  const before = new Map<LocalDate, number>();
  for (const n of policy.beforeDays) {
    const date = calendar.previousWorkingDayOnOrBefore(addDays(deadline, -n));
    before.set(date, Math.min(n, before.get(date) ?? n));
  }
  const points: ReminderPoint[] = [...before].map(([date, n]) => ({
    label: `T-${n}`,
    date,
    dueAt: localDateTime(date, policy.sendTime),
    kind: "before",
    daysBefore: n,
  }));
  calendar.workingDaysFrom(deadline, policy.overdueWorkingDays).forEach((date, i) => {
    const dueAt = localDateTime(date, policy.sendTime);
    points.push({ label: `overdue-${i + 1}`, date, dueAt, kind: "overdue", daysBefore: -daysBetween(deadline, date) });
  });
  return points.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** Working days from `digestWindowDays` before the deadline up to and including `through`. */
export function digestDates(
  deadline: LocalDate,
  policy: ReminderPolicy,
  calendar: WorkCalendar,
  through: LocalDate,
): LocalDate[] {
  const dates: LocalDate[] = [];
  for (let d = addDays(deadline, -policy.digestWindowDays); d <= through; d = addDays(d, 1)) {
    if (calendar.isWorkingDay(d)) dates.push(d);
  }
  return dates;
}

/** Quiet hours may wrap past midnight (21:00–07:00) or not (12:00–13:00); equal ends mean none. */
export function isQuietTime(at: Date, policy: ReminderPolicy): boolean {
  const m = localMinutes(at);
  const start = minutesOfTime(policy.quietStart);
  const end = minutesOfTime(policy.quietEnd);
  return start <= end ? m >= start && m < end : m >= start || m < end;
}

export function deferPastQuietHours(at: Date, policy: ReminderPolicy): Date {
  if (!isQuietTime(at, policy)) return at;
  const date = localDate(at);
  const endToday = localMinutes(at) < minutesOfTime(policy.quietEnd);
  return localDateTime(endToday ? date : addDays(date, 1), policy.quietEnd);
}
