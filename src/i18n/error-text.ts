import { isPostgresUrl, redactDatabaseUrl } from "../db/database-url.ts";
import type { DatabaseFault } from "../db/db-errors.ts";
import type { AppError, ErrorCode, ErrorParams } from "../model/errors.ts";
import type { Messages } from "./index.ts";
import type { ErrorSurface, ErrorText, ErrorTexts } from "./shared.ts";

/** The one way from a coded error to words, for the chat and the CLI alike. */
export function errorText(t: Messages, error: AppError, surface: ErrorSurface): string {
  return textOf(t.errors, error.code, error.params, surface);
}

function textOf<C extends ErrorCode>(
  texts: ErrorTexts,
  code: C,
  params: ErrorParams[C],
  surface: ErrorSurface,
): string {
  const entry: ErrorText<ErrorParams[C]> = texts[code];
  return (typeof entry === "function" ? entry : entry[surface])(params);
}

/** One line for the operator: what is wrong with the database and what to do about it. */
export function databaseFaultText(t: Messages, fault: DatabaseFault, databaseUrl: string): string {
  if (fault === "db.unreachable" && isPostgresUrl(databaseUrl))
    return t.cli.pgUnreachable(redactDatabaseUrl(databaseUrl));
  const path = databaseUrl.replace(/^file:/, "");
  const text = t.cli.databaseFault[fault];
  return typeof text === "string" ? text : text(path);
}
