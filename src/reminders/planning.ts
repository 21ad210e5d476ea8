import type { Db } from "../db/db.ts";
import type { Plan } from "../generated/prisma/client.ts";
import type { WorkCalendar } from "../schedule/calendar.ts";
import { loadWorkCalendar } from "../schedule/calendar-store.ts";
import { policyOf, type ReminderPolicy } from "../schedule/policy.ts";
import { loadPlanStatuses, type PlanStatus } from "../services/status-service.ts";

export type SkipReason =
  | "submitted"
  | "paused"
  | "no_contact"
  | "recent_report"
  | "expired"
  | "all_submitted"
  /** Carried by a push that covers the person's other plans due at the same minute. */
  | "merged";

/** One push planned, skipped or sent, as the CLI prints it and --json returns it. */
export interface ReminderEntry {
  kind: string;
  /** The code of the plan the push is about; null for a push of no plan (a nudge's own text). */
  plan: string | null;
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

/** Active plans, nearest deadline first; a closed plan has no reminders and no digest. */
export async function activePlans(db: Db): Promise<Plan[]> {
  return db.plan.findMany({ where: { active: true }, orderBy: [{ reportDeadline: "asc" }, { id: "asc" }] });
}

/** Reads what a pass over each active plan needs at `now`: every plan's status in one round of queries. */
export async function* readPlannings(db: Db, now: Date, dryRun: boolean): AsyncGenerator<Planning> {
  const plans = await activePlans(db);
  if (plans.length === 0) return;
  const [calendar, statuses] = await Promise.all([loadWorkCalendar(db), loadPlanStatuses(db, plans)]);
  for (const plan of plans) {
    yield { plan, status: statuses.get(plan.id)!, policy: policyOf(plan), calendar, now, dryRun };
  }
}
