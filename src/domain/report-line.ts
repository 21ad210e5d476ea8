import { isWeakDutyRef, parseDutyRef, resolveDutyRef, type DutyRefTarget } from "./duty-ref.ts";
import type { ReportLineError } from "../model/report-line-error.ts";
import { parseStatusWords, type DutyStatus } from "./status.ts";
import { foldVietnamese } from "./text.ts";

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

// How officials type a report on a phone: the duty, a status in everyday words and a percent, in any
// order, joined by ":", dashes, commas, dots or spaces, then the note ("4g - 30% - đang triển khai",
// "Nhiệm vụ 4e đã hoàn thành", "IV.4.c: 100%"). The line is read from the left, one part at a time;
// the first part that is none of the three starts the note, so figures and words inside the note
// stay the note's.
//
// A status word counts only when a separator or the end follows it: "đã xong phần A" is a note about
// part of the work, and reading it as "done" would store a guess.

/** Between parts. A dash counts only when no digit follows, so "-5%" stays a (bad) percent. */
const SEPARATOR = /^(?:[\s:,;.!?]|[-–—](?!\d)|\p{Extended_Pictographic}|\uFE0F|\u200D)+/u;
/** A separator that is more than a space: the note may start right after it, even after a bare letter. */
const PUNCTUATION = /^(?:[:,;.!?]|[-–—](?!\d)|\p{Extended_Pictographic})/u;
const PARTICLE = /^\s+(?:ạ|nhé|nha|nhe)(?![\p{L}\p{N}])/u;
/**
 * What has the shape of a duty reference but no duty letter of the plan's sequence ("4x", "IV.4.f"):
 * a mistyped code, to be answered with the agency's codes rather than taken for chat.
 */
const LOOSE_REF = /^(?:[ivx]+\.?\s?)?\d+\.?\s?[a-z]{1,2}(?![\p{L}\p{N}])/iu;
const PERCENT = /^(-?\d+(?:[.,]\d+)?)\s*%/;
/** "nhiệm vụ 4e", "NV 4e", "mục 4e", "nhiệm vụ số 4e", "báo cáo 4e": the words before a duty reference. */
const DUTY_WORD = /^(?:(?:bao cao|nhiem vu|nhiemvu|nvu|nv|muc)(?:\s+so)?\b\s*)+/;
// "IV 4 b" is one reference even though it spans words.
const MAX_REF_WORDS = 3;
/** Status phrases, longest first so "đang thực hiện" wins over "đang". */
const MAX_STATUS_WORDS = 4;

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
  | { ok: true; value: ReportDraft }
  | { ok: false; error: "report.not_a_report" | "report.malformed" }
  /** `drafts` when every report of the line reads fully on its own ("4a xong, 4b 50% đang làm"). */
  | { ok: false; error: "report.two_reports"; refs: string[]; drafts: ReportDraft[] | null };

interface Head {
  ref: string | null;
  percent: number | null;
  status: DutyStatus | null;
  /** Where the note starts in the text, or the text's length. */
  noteAt: number;
  /** Only spaces, or nothing, stand between the head's last part and the note. */
  noteGlued: boolean;
  /** A second reference in the head, or a second percent or status: the line says two things. */
  twice: "ref" | "other" | null;
}

/** The text's first `n` words (letters, digits, dots and "_" as in "in_progress"), and where they end. */
function words(text: string, n: number): { value: string; end: number } | null {
  const m = new RegExp(`^[\\p{L}\\p{N}._]+(?:[ \\t]+[\\p{L}\\p{N}._]+){${n - 1}}`, "u").exec(text);
  return m ? { value: m[0], end: m[0].length } : null;
}

/** A duty reference at the start of `text`: the longest run of up to three words that parses as one. */
function refAt(text: string): { ref: string; end: number } | null {
  const word = DUTY_WORD.exec(foldVietnamese(text.slice(0, 20)));
  // The folded prefix has the same length as the typed one only without decomposed marks; find the
  // typed reference after it by skipping the same number of words.
  const skip = word ? word[0].trim().split(/\s+/).length : 0;
  let start = 0;
  for (let i = 0; i < skip; i++) start += /^\S+\s*/.exec(text.slice(start))![0].length;
  for (let n = MAX_REF_WORDS; n >= 1; n--) {
    const w = words(text.slice(start), n);
    if (!w) continue;
    const value = w.value.replace(/\.+$/, "");
    if (parseDutyRef(value)) return { ref: value, end: start + value.length };
  }
  return null;
}

/** What may follow a status word: the end, punctuation, an emoji, a percent or another duty. */
function endsPart(after: string): boolean {
  const next = after.trimStart();
  if (!next || PUNCTUATION.test(next) || PERCENT.test(next)) return true;
  const ref = refAt(next);
  return ref !== null && !isWeakDutyRef(parseDutyRef(ref.ref)!);
}

function statusAt(text: string): { status: DutyStatus; end: number } | null {
  for (let n = MAX_STATUS_WORDS; n >= 1; n--) {
    const w = words(text, n);
    if (!w) continue;
    const value = w.value.replace(/\.+$/, "");
    const status = parseStatusWords(value);
    if (!status) continue;
    if (endsPart(text.slice(value.length))) return { status, end: value.length };
    // "xong ạ", "xong nhé": the courtesy word closes the status rather than starting a note.
    const particle = PARTICLE.exec(text.slice(value.length));
    if (particle && endsPart(text.slice(value.length + particle[0].length))) {
      return { status, end: value.length + particle[0].length };
    }
  }
  return null;
}

function readHead(text: string): Head {
  const head: Head = { ref: null, percent: null, status: null, noteAt: text.length, noteGlued: false, twice: null };
  let at = 0;
  for (;;) {
    // "IV.4.c-100%": a dash glued to the part before it separates, even before a digit.
    if (at > 0 && /^[-–—]\d/.test(text.slice(at)) && /\S/.test(text[at - 1]!)) at++;
    const sep = SEPARATOR.exec(text.slice(at));
    if (sep) at += sep[0].length;
    const glued = !sep || !/[^\s]/u.test(sep[0]);
    const rest = text.slice(at);
    if (!rest) return head;
    const percent = PERCENT.exec(rest);
    const ref = percent ? null : refAt(rest);
    const strongRef = ref && !isWeakDutyRef(parseDutyRef(ref.ref)!);
    // Before anything else only a reference starts a line; after the reference, a weak one ("a",
    // "3") is more likely the note's first word than a second duty.
    const refHere = ref && (head.ref === null ? at === 0 || strongRef : strongRef);
    const status = percent || refHere ? null : statusAt(rest);
    if (percent) {
      if (head.percent !== null) head.twice ??= "other";
      head.percent = Number(percent[1]!.replace(",", "."));
      at += percent[0].length;
    } else if (refHere) {
      if (head.ref !== null) {
        head.twice = "ref";
        head.noteAt = at;
        return head;
      }
      head.ref = ref.ref;
      at += ref.end;
    } else if (status) {
      if (head.status !== null) head.twice ??= "other";
      head.status = status.status;
      at += status.end;
    } else {
      head.noteAt = at;
      head.noteGlued = glued;
      return head;
    }
  }
}

/** A line that starts with a mistyped code ("4x xong"): its draft, which the plan will refuse with its codes. */
function looseRef(text: string): ReportDraftResult {
  const loose = LOOSE_REF.exec(text);
  if (!loose) return { ok: false, error: "report.not_a_report" };
  const rest = readHead(text.slice(loose[0].length));
  if (rest.ref !== null || (rest.status === null && rest.percent === null)) {
    return { ok: false, error: "report.not_a_report" };
  }
  return { ok: true, value: { ref: loose[0], status: rest.status, percent: rest.percent, note: null } };
}

/** The note as typed, or null when it holds no letter or digit (a lone emoji or punctuation). */
function noteOf(text: string): string | null {
  const note = text.trim();
  return /[\p{L}\p{N}]/u.test(note) ? note : null;
}

/** A line holding more than one report: each part is read on its own, and kept only if every part reads. */
function severalReports(text: string, head: Head): ReportDraftResult {
  const first = readReportLine(text.slice(0, head.noteAt));
  const rest = readReportLine(text.slice(head.noteAt));
  const refs = [head.ref!, ...(rest.ok ? [rest.value.ref] : rest.error === "report.two_reports" ? rest.refs : [])];
  if (refs.length < 2) refs.push(readHead(text.slice(head.noteAt)).ref!);
  const more = rest.ok ? [rest.value] : rest.error === "report.two_reports" ? rest.drafts : null;
  const drafts = first.ok && more ? [first.value, ...more] : null;
  return { ok: false, error: "report.two_reports", refs, drafts };
}

/** The parts of a one-line report; only the line's shape is judged here, not what it says. */
export function readReportLine(line: string): ReportDraftResult {
  const text = line.normalize("NFC").trim();
  const head = readHead(text);
  if (head.ref === null) return looseRef(text);
  const weak = isWeakDutyRef(parseDutyRef(head.ref)!);
  const said = head.status !== null || head.percent !== null;
  // A bare "e" or "3" followed by nothing we understand is far more likely chat ("e cảm ơn") than a report.
  if (!said) return { ok: false, error: weak ? "report.not_a_report" : "report.malformed" };
  if (head.twice === "ref") return severalReports(text, head);
  if (head.twice === "other" || (weak && head.noteGlued)) return { ok: false, error: "report.malformed" };
  const note = noteOf(text.slice(head.noteAt));
  return { ok: true, value: { ref: head.ref, status: head.status, percent: head.percent, note } };
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
  if (!duty.ok) {
    // Unknown to this agency: list what it does have, so the person can pick the right code.
    const candidates = duty.candidates ?? (duty.error === "duty.unknown" ? target.duties.map((d) => d.code) : null);
    return fail({ error: duty.error, ref, ...(candidates && { candidates }) });
  }

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
  if (draft.ok) return checkReport(draft.value, target, allDutyCodes);
  return draft.error === "report.two_reports"
    ? fail({ error: draft.error, refs: draft.refs })
    : fail({ error: draft.error });
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
