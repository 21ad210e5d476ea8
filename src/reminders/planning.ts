import type { Db } from "../db/db.ts";
import type { Plan } from "../generated/prisma/client.ts";
import type { WorkCalendar } from "../schedule/calendar.ts";
import { loadWorkCalendar } from "../schedule/calendar-store.ts";
import { policyOf, type ReminderPolicy } from "../schedule/policy.ts";
import { loadPlanStatus, type PlanStatus } from "../services/status-service.ts";

export type SkipReason = "submitted" | "paused" | "no_contact" | "recent_report" | "expired" | "all_submitted";

/** One push planned, skipped or sent, as the CLI prints it and --json returns it. */
export interface ReminderEntry {
  kind: string;
  agency: string | null;
  agencyName: string | null;
  contact: number | null;
  contactName: string | null;
  point: string;
  dueAt: string;
  duties: string[];
  reason?: SkipReason;
}

export interface TickResult {
  due: ReminderEntry[];
  sent: ReminderEntry[];
  skipped: ReminderEntry[];
}

/** What one planning pass decided: written to the outbox (due) or only reported (skipped). */
export type Planned = Pick<TickResult, "due" | "skipped">;

/** Everything one planning pass looks at, read once. */
export interface Planning {
  plan: Plan;
  status: PlanStatus;
  policy: ReminderPolicy;
  calendar: WorkCalendar;
  now: Date;
  /** Decide, write nothing: `reminders plan`. */
  dryRun: boolean;
}

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

export async function activePlan(db: Db): Promise<Plan | null> {
  return db.plan.findFirst({ where: { active: true } });
}

/** Reads what a pass over the active plan needs at `now`; null without an active plan. */
export async function readPlanning(db: Db, now: Date, dryRun: boolean): Promise<Planning | null> {
  const plan = await activePlan(db);
  if (!plan) return null;
  return {
    plan,
    status: await loadPlanStatus(db, plan),
    policy: policyOf(plan),
    calendar: await loadWorkCalendar(db),
    now,
    dryRun,
  };
}
