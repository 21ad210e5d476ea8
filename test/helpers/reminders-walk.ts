// The calendar walk shared by reminders-walk*.test.ts (two files so the walks run in parallel).
import { expect } from "vitest";
import type { TickResult } from "../../src/reminders/engine.ts";
import { dayOfWeek, localDate, localMinutes, toIsoLocal } from "../../src/lib/time.ts";
import { MINUTE, instant, type ReminderRig } from "./reminders-harness.ts";

export const HOUR = 60 * MINUTE;
export const WALK_START = "2026-11-01T00:00";
export const WALK_END = "2026-12-31T23:00";

export const OVERDUE_DAYS = ["15", "16", "17", "18", "21", "22", "23", "24", "25", "28"];
export const ALL_POINTS: [string, string][] = [
  ["T-30", "2026-11-13T08:00:00+07:00"], // Sunday 15/11 → Friday 13/11
  ["T-14", "2026-12-01T08:00:00+07:00"], // Tuesday
  ["T-7", "2026-12-08T08:00:00+07:00"], // Tuesday
  ["T-3", "2026-12-11T08:00:00+07:00"], // Saturday 12/12 → Friday 11/12
  ["T-1", "2026-12-14T08:00:00+07:00"], // Monday
  ...OVERDUE_DAYS.map((d, i): [string, string] => [`overdue-${i + 1}`, `2026-12-${d}T08:00:00+07:00`]),
];

export interface Walk {
  ticks: number;
  results: { at: Date; result: TickResult }[];
}

/** Every hour from WALK_START to WALK_END, plus 16:30 each day. */
export function walkInstants(): Date[] {
  const out: Date[] = [];
  for (let t = instant(WALK_START).getTime(); t <= instant(WALK_END).getTime(); t += HOUR) {
    out.push(new Date(t));
    if (localMinutes(new Date(t)) === 16 * 60) out.push(new Date(t + 30 * MINUTE));
  }
  return out;
}

/** Ticks at every walk instant; `before(at)` runs before the tick at `at`. */
export async function walk(rig: ReminderRig, before?: (at: Date) => Promise<void>): Promise<Walk> {
  const out: Walk = { ticks: 0, results: [] };
  for (const at of walkInstants()) {
    rig.at(at);
    await before?.(at);
    const result = await rig.tick(at);
    out.ticks++;
    if (result.sent.length || result.due.length) out.results.push({ at, result });
  }
  return out;
}

export function expectPolite(instants: Date[]): void {
  for (const at of instants) {
    const day = dayOfWeek(localDate(at));
    expect(day, toIsoLocal(at)).not.toBe(0);
    expect(day, toIsoLocal(at)).not.toBe(6);
    const m = localMinutes(at);
    expect(m >= 7 * 60 && m < 21 * 60, `${toIsoLocal(at)} is in quiet hours`).toBe(true);
  }
  expect(new Set(instants.map((d) => d.getTime())).size).toBe(instants.length);
}
