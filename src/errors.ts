/**
 * Stable error codes. Services throw them; adapters and the bot turn them into text from the
 * message catalogue, so no user-facing wording lives where the rule is enforced.
 */
export type ErrorCode =
  | "plan.none_active"
  | "agency.unknown"
  | "agency.ambiguous"
  | "agency.is_group"
  | "agency.not_group"
  | "members.bad_csv"
  | "invite.unknown"
  | "invite.used"
  | "invite.expired"
  | "invite.revoked"
  | "invite.rate_limited"
  | "invite.too_many_wrong"
  | "invite.already_joined"
  | "invite.bad_role"
  | "contact.unknown"
  | "indicator.unknown"
  | "indicator.bad_number"
  | "indicator.not_allowed"
  | "submission.none"
  | "difficulty.unknown"
  | "difficulty.resolved"
  | "file.too_large"
  | "export.not_allowed"
  | "db.copy_source_not_sqlite"
  | "db.copy_target_not_postgres"
  | "db.copy_target_not_empty"
  | "db.copy_count_mismatch";

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ""}`);
    this.name = "AppError";
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
