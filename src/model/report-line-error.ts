// Why a report line was refused, with what the words need to say so. The parser gives these
// (domain/report-line.ts), the catalogues word them, and a reply names them as its outcome.

export type ReportLineError =
  | { error: "report.not_a_report" }
  | { error: "report.malformed" }
  | { error: "report.percent_range"; value: number }
  | { error: "report.note_too_long"; length: number; max: number }
  | { error: "report.conflict" }
  | { error: "report.two_reports"; refs: string[] }
  | { error: "duty.unknown" | "duty.ambiguous" | "duty.other_agency"; ref: string; candidates?: string[] };
