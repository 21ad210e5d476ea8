import { isWeakDutyRef, parseDutyRef, resolveDutyRef, type DutyRefTarget } from "./duty-ref.ts";
import type { ReportLineError } from "../model/report-line-error.ts";
import { parseStatusWords, type DutyStatus } from "./status.ts";

export interface ReportLine {
  dutyCode: string;
  status: DutyStatus;
  /** 0 when the line gave no percent for in_progress/blocked: check `percentGiven` before overwriting a known one. */
  percent: number;
  percentGiven: boolean;
  note: string | null;
}

export type ReportLineResult = { ok: true; value: ReportLine } | ({ ok: false } & ReportLineError);

export const MAX_NOTE_LENGTH = 2000;

// The first ":" or dash starts the note. A dash counts only after a space, letter or "%" and not before a
// digit, so "-5%" stays a (bad) percent and code ranges like "2025-2030" are not split.
const NOTE_SEPARATOR = /:|(?<=[\s%\p{L}])[-–—](?!\d)/u;
const PERCENT = /(?<=^|\s)(-?\d+(?:[.,]\d+)?)\s*%(?=[\s.,;!?]|$)/g;
// "IV 4 b" is one reference even though it spans tokens.
const MAX_REF_TOKENS = 3;

const fail = (e: ReportLineError): ReportLineResult => ({ ok: false, ...e });

/**
 * A report's parts as given, before any is checked against the plan: the duty as referred to, the
 * status and percent if given, the note. A one-line report is read into one (readReportLine), and
 * a form gives one field by field; checkReport then applies the same rules to both.
 */
export interface ReportDraft {
  ref: string;
  status: DutyStatus | null;
  percent: number | null;
  note: string | null;
}

export type ReportDraftResult =
  { ok: true; value: ReportDraft } | { ok: false; error: "report.not_a_report" | "report.malformed" };

/** The parts of a one-line report; only the line's shape is judged here, not what it says. */
export function readReportLine(line: string): ReportDraftResult {
  const text = line.normalize("NFC").trim();
  const sep = NOTE_SEPARATOR.exec(text);
  const head = sep ? text.slice(0, sep.index) : text;
  const note = sep ? text.slice(sep.index + sep[0].length).trim() || null : null;

  const tokens = head.split(/\s+/).filter(Boolean);
  let refTokens = Math.min(MAX_REF_TOKENS, tokens.length);
  while (refTokens > 0 && !parseDutyRef(tokens.slice(0, refTokens).join(" "))) refTokens--;
  if (refTokens === 0) return { ok: false, error: "report.not_a_report" };
  const ref = tokens.slice(0, refTokens).join(" ");
  const rest = tokens.slice(refTokens).join(" ");

  const percents = [...rest.matchAll(PERCENT)];
  if (percents.length > 1) return { ok: false, error: "report.malformed" };
  const percent = percents[0] ? Number(percents[0][1]!.replace(",", ".")) : null;
  const words = (percents[0] ? rest.replace(percents[0][0], " ") : rest).replace(/[.,;!?]/g, " ").trim();
  const status = words ? parseStatusWords(words) : null;
  if (status === null && (words || percent === null)) {
    // A bare "e" or "3" followed by nothing we understand is far more likely chat ("e cảm ơn") than a report.
    const weak = percent === null && isWeakDutyRef(parseDutyRef(ref)!);
    return { ok: false, error: weak ? "report.not_a_report" : "report.malformed" };
  }
  return { ok: true, value: { ref, status, percent, note } };
}

/** A percent as typed in a form: "60", "60%", "60 %"; null when it is no number at all. */
export function readPercent(text: string): number | null {
  const match = /^(-?\d+(?:[.,]\d+)?)\s*%?$/.exec(text.trim());
  return match ? Number(match[1]!.replace(",", ".")) : null;
}

/** A report's parts checked against the plan: the percent, the duty, that both agree, the note. */
export function checkReport(
  draft: ReportDraft,
  target: DutyRefTarget,
  allDutyCodes?: readonly string[],
): ReportLineResult {
  const { ref, status, percent, note } = draft;
  if (status === null && percent === null) return fail({ error: "report.malformed" });
  // Whole percents only: rounding 99,6% would store a "100%" that is still in progress.
  if (percent !== null && (percent < 0 || percent > 100 || !Number.isInteger(percent)))
    return fail({ error: "report.percent_range", value: percent });

  const duty = resolveDutyRef(ref, target, allDutyCodes);
  if (!duty.ok) return fail({ error: duty.error, ref, ...(duty.candidates && { candidates: duty.candidates }) });

  const resolved = reconcile(status, percent);
  if (!resolved) return fail({ error: "report.conflict" });
  if (note && note.length > MAX_NOTE_LENGTH) {
    return fail({ error: "report.note_too_long", length: note.length, max: MAX_NOTE_LENGTH });
  }
  return { ok: true, value: { dutyCode: duty.code, ...resolved, percentGiven: percent !== null, note } };
}

export function parseReportLine(
  line: string,
  target: DutyRefTarget,
  allDutyCodes?: readonly string[],
): ReportLineResult {
  const draft = readReportLine(line);
  return draft.ok ? checkReport(draft.value, target, allDutyCodes) : fail({ error: draft.error });
}

function reconcile(status: DutyStatus | null, percent: number | null): { status: DutyStatus; percent: number } | null {
  switch (status) {
    case null:
      // Only reached with a percent: the number alone says where the duty stands.
      return {
        status: percent === 0 ? "not_started" : percent === 100 ? "done" : "in_progress",
        percent: percent ?? 0,
      };
    case "done":
      return percent === null || percent === 100 ? { status, percent: 100 } : null;
    case "not_started":
      return percent === null || percent === 0 ? { status, percent: 0 } : null;
    case "in_progress":
    case "blocked":
      // 100% is finished work: it can be neither still in progress nor stuck.
      return percent === 100 ? null : { status, percent: percent ?? 0 };
  }
}
