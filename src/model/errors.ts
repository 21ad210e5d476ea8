/** An agency as an error names it: the text shows a member (a commune) by its committee's name. */
export interface ErrorAgency {
  code: string;
  name: string;
  parentId: number | null;
}

type None = Record<string, never>;

/**
 * Stable error codes and what each carries. Services throw them; the catalogues hold one text per
 * code (`errors` in src/i18n/vi.ts and en.ts), so no user-facing wording lives where the rule is
 * enforced, and a code added here without its texts does not compile.
 */
export interface ErrorParams {
  "plan.none_active": None;
  "agency.unknown": { query: string };
  "agency.ambiguous": { query: string; candidates: string };
  "agency.is_group": { agency: string };
  "agency.not_group": { agency: string };
  /** A directory agency that has no place in the plan the command is about. */
  "agency.not_in_plan": { agency: string; plan: string };
  "agency.alias_taken": { name: string; agency: string };
  /** No active plan has this code (`codes` lists the active ones). */
  "plan.unknown": { code: string; codes: string };
  /** Several plans are active and the command needs one (`codes` lists them). */
  "plan.choose": { codes: string };
  "plan.code_taken": { code: string };
  "plan.bad_code": { code: string };
  /** `plan import` without --create-agencies, of a document naming agencies the directory lacks. */
  "plan.new_agencies": { names: string };
  "members.bad_csv": { line: number };
  "invite.unknown": None;
  "invite.used": None;
  "invite.expired": None;
  "invite.revoked": None;
  "invite.rate_limited": None;
  "invite.too_many_wrong": None;
  /** A link code (/lienket) of a person deactivated since it was made. */
  "invite.link_inactive": None;
  "invite.already_joined": None;
  "invite.bad_role": None;
  /** A coordinator asked for a coordinator's invite: only an administrator may. */
  "invite.admin_only": None;
  /** Revoking is not joining: the one revoking manages invites and needs other words than a joiner. */
  "invite.revoke_unknown": None;
  "invite.revoke_used": None;
  "contact.unknown": { id: number };
  /** A contact row with no agency: the data is wrong, not the message. */
  "contact.no_agency": None;
  "indicator.unknown": { code: string; codes: string };
  "indicator.bad_number": { value: string };
  "indicator.not_allowed": None;
  "submission.none": { agency: ErrorAgency };
  /** The current submission was reopened already and waits for the agency to submit again. */
  "submission.reopened": { agency: ErrorAgency; at: Date };
  "difficulty.unknown": { id: number };
  "difficulty.resolved": { id: number };
  "file.too_large": { max: number };
  "export.not_allowed": { agency: string };
  /** `db copy` copies from the SQLite file in use, so DATABASE_URL must name one. */
  "db.copy_source_not_sqlite": None;
  "db.copy_target_not_postgres": None;
  "db.copy_target_not_empty": { tables: string };
  "db.copy_count_mismatch": { table: string; expected: number; copied: number };
}

export type ErrorCode = keyof ErrorParams;

type ParamsArg<C extends ErrorCode> = ErrorParams[C] extends None ? [params?: None] : [params: ErrorParams[C]];

export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly params: ErrorParams[C];

  constructor(
    readonly code: C,
    ...[params]: ParamsArg<C>
  ) {
    super(`${code}${params && Object.keys(params).length ? ` ${JSON.stringify(params)}` : ""}`);
    this.name = "AppError";
    this.params = (params ?? {}) as ErrorParams[C];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The fields of an agency row an error needs, not the whole row. */
export function errorAgency(agency: ErrorAgency): ErrorAgency {
  return { code: agency.code, name: agency.name, parentId: agency.parentId };
}
