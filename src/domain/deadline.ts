import { daysBetween, localDate, type LocalDate } from "../lib/time.ts";

/** Calendar days from today to the deadline date: 1 on the last day, 0 or less once overdue. */
export function daysLeft(deadline: LocalDate, now: Date): number {
  return daysBetween(localDate(now), deadline);
}

/** Reports must arrive before the deadline date's local midnight. */
export function isOnTime(deadline: LocalDate, at: Date): boolean {
  return localDate(at) < deadline;
}
