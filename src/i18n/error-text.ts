import type { AppError, ErrorCode, ErrorParams } from "../errors.ts";
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
