// The four states of a duty: the core's port names them (a form's status field, a button's
// choice), so the list is part of the model; domain/status.ts reads them from words.

export const DUTY_STATUSES = ["not_started", "in_progress", "blocked", "done"] as const;
export type DutyStatus = (typeof DUTY_STATUSES)[number];

export function isDutyStatus(value: string): value is DutyStatus {
  return (DUTY_STATUSES as readonly string[]).includes(value);
}

/**
 * What a duty shows: its status, or not_reported while nobody has reported on it. Its status is
 * then not_started, as the shared meaning has it; the views, the exports and `status --json`'s
 * `state` tell the two apart, since "reported as not started" and "never reported" call for
 * different follow-ups.
 */
export type DutyState = DutyStatus | "not_reported";
export const DUTY_STATES: readonly DutyState[] = ["done", "in_progress", "blocked", "not_started", "not_reported"];

export function dutyState(duty: { status: string; updatedAt: Date | null }): DutyState {
  if (duty.updatedAt === null) return "not_reported";
  return isDutyStatus(duty.status) ? duty.status : "not_started";
}
