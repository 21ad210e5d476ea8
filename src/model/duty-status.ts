// The four states of a duty: the core's port names them (a form's status field, a button's
// choice), so the list is part of the model; domain/status.ts reads them from words.

export const DUTY_STATUSES = ["not_started", "in_progress", "blocked", "done"] as const;
export type DutyStatus = (typeof DUTY_STATUSES)[number];

export function isDutyStatus(value: string): value is DutyStatus {
  return (DUTY_STATUSES as readonly string[]).includes(value);
}
