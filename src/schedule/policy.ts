// When reminders and digests go out. Coordinators may tune any field; everything they leave out
// falls back to the defaults, so a stored policy keeps working when new fields are added.

import { z } from "zod";
import type { Db } from "../db/db.ts";

export interface ReminderPolicy {
  /** Calendar days before the deadline, each giving a reminder labelled "T-n". */
  beforeDays: number[];
  sendTime: string;
  /** Working days, starting on the deadline date, that get an "overdue-n" reminder. */
  overdueWorkingDays: number;
  digestTime: string;
  /** Digests go out on working days from this many days before the deadline onwards. */
  digestWindowDays: number;
  /** An agency that reported within this many days before a point is not reminded at it… */
  recentReportDays: number;
  /**
   * …but only at the "T-n" points with n ≥ this. Nearer the deadline the reminder is about the
   * formal submission, which a progress report does not replace; overdue points are never skipped.
   */
  recentReportSkipUntilDays: number;
  quietStart: string;
  quietEnd: string;
  expireAfterHours: number;
  maxAttempts: number;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = Object.freeze({
  beforeDays: Object.freeze([30, 14, 7, 3, 1]) as number[],
  sendTime: "08:00",
  overdueWorkingDays: 10,
  digestTime: "16:30",
  digestWindowDays: 14,
  recentReportDays: 3,
  recentReportSkipUntilDays: 8,
  quietStart: "21:00",
  quietEnd: "07:00",
  expireAfterHours: 12,
  maxAttempts: 5,
});

export class ReminderPolicyError extends Error {
  override readonly name = "ReminderPolicyError";
  readonly code = "policy.invalid";
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Minutes since midnight of a validated "HH:MM". */
export function minutesOfTime(time: string): number {
  if (!HH_MM.test(time)) throw new RangeError(`not an HH:MM time: ${time}`);
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
}

const time = z.string().regex(HH_MM, "expected a time HH:MM between 00:00 and 23:59");
const count = (min: number) => z.number().int("expected a whole number").min(min, `expected a number ≥ ${min}`);

const policySchema = z.strictObject({
  beforeDays: z
    .array(count(1).max(366, "expected at most 366 days"))
    // Order and repeats carry no meaning; normalising keeps stored policies comparable.
    .transform((days) => [...new Set(days)].sort((a, b) => b - a)),
  sendTime: time,
  overdueWorkingDays: count(0).max(100, "expected at most 100 days"),
  digestTime: time,
  digestWindowDays: count(0).max(366, "expected at most 366 days"),
  recentReportDays: count(0),
  recentReportSkipUntilDays: count(0).max(366, "expected at most 366 days"),
  quietStart: time,
  quietEnd: time,
  expireAfterHours: z.number().positive("expected a number > 0"),
  maxAttempts: count(1),
});

/** The policy in force for a plan: its stored overrides (JSON) over the defaults. */
export function policyOf(plan: { reminderPolicy: string | null }): ReminderPolicy {
  return parseReminderPolicy(plan.reminderPolicy ? JSON.parse(plan.reminderPolicy) : null);
}

export function parseReminderPolicy(input: unknown): ReminderPolicy {
  const result = policySchema.partial().safeParse(input ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const field = issue.path.join(".") || "policy";
      const value = issue.path.reduce<unknown>((v, key) => (v as Record<PropertyKey, unknown>)?.[key], input);
      return `${field}: ${issue.message}${issue.path.length > 0 ? `, got ${JSON.stringify(value)}` : ""}`;
    });
    throw new ReminderPolicyError(`invalid reminder policy: ${problems.join("; ")}`);
  }
  const defined = Object.fromEntries(Object.entries(result.data).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_REMINDER_POLICY, beforeDays: [...DEFAULT_REMINDER_POLICY.beforeDays], ...defined };
}

/** The policy of the active plan due first, or the defaults when no plan is active. */
export async function activePolicy(db: Db): Promise<ReminderPolicy> {
  const plan = await db.plan.findFirst({
    where: { active: true },
    orderBy: [{ reportDeadline: "asc" }, { id: "asc" }],
  });
  return plan ? policyOf(plan) : parseReminderPolicy(null);
}
