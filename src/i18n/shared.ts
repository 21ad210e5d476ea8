import type { DutyState } from "../domain/status.ts";
import type { ReportLineError } from "../model/report-line-error.ts";
import type { ErrorCode, ErrorParams } from "../model/errors.ts";

// What both catalogues share, and the shapes they are checked against: each map is keyed by the
// union it speaks for, so a status, role or code without its text in either language does not compile.

/** Icons say the same in every language. */
export const STATUS_ICON = {
  not_started: "⬜",
  in_progress: "🔄",
  blocked: "⚠️",
  done: "✅",
  not_reported: "▫️",
} as const satisfies Record<DutyState, string>;

/**
 * The workbook's sheets keep their Vietnamese names in every language: the README and the
 * province's own tables call them so, and a coordinator's English setting must not rename them.
 */
export const SHEET_NAMES = {
  plans: "Các kế hoạch",
  summary: "Tổng hợp",
  duties: "Nhiệm vụ",
  submissions: "Nộp báo cáo",
  difficulties: "Vướng mắc",
  history: "Lịch sử",
} as const;

/** The report-line errors that are told to the person (a line that is no report at all is not an error). */
export type ReportErrorCode = Exclude<ReportLineError["error"], "report.not_a_report">;

/** The parse result for one code, with the details its text may quote (the value, the reference, the length). */
export type ReportErrorOf<K extends ReportErrorCode> = ReportLineError extends infer E
  ? E extends { error: infer C }
    ? K extends C
      ? Omit<E, "error"> & { error: K }
      : never
    : never
  : never;

export type ReportErrorTexts = {
  [K in ReportErrorCode]: (example: string, error: ReportErrorOf<K>) => string;
};

/** Where an error is told: the chat and the CLI say the same unless a command to type differs. */
export type ErrorSurface = "chat" | "cli";

type ErrorTextOf<P> = (params: P) => string;

export type ErrorText<P> = ErrorTextOf<P> | { [S in ErrorSurface]: ErrorTextOf<P> };

export type ErrorTexts = { [C in ErrorCode]: ErrorText<ErrorParams[C]> };
