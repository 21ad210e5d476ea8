import { normalizeSpaces } from "./text.ts";

export interface DutyRefTarget {
  /** The agency whose duties these are: for a member "IV.9-25195" pass the group code "IV.9". */
  agencyCode: string;
  duties: readonly { code: string }[];
}

export type DutyRefResult =
  | { ok: true; code: string }
  | { ok: false; error: "duty.unknown" | "duty.ambiguous" | "duty.other_agency"; candidates?: string[] };

/** A reference split into its parts; `null` parts are taken from the contact's own agency. */
export interface ParsedDutyRef {
  section: string | null;
  number: string | null;
  letter: string | null;
}

// Letters of the plan's sequence (a b c d đ e g h i k l m n); `dd` is Telex for đ. Roman sections use only
// i, v and x so that "c", "d", "l" and "m" stay duty letters.
const LETTER = "(dd|đ|[abcdeghiklmn])";
const NUMBERED = new RegExp(`^(?:([ivx]+)[.\\s]*)?(\\d+)(?:[.\\s]*${LETTER})?$`);
const LETTER_ONLY = new RegExp(`^${LETTER}$`);

const toLetter = (l: string): string => (l === "dd" ? "đ" : l);

/** Syntax only: whether `ref` has the shape of a duty reference, and its parts. */
export function parseDutyRef(ref: string): ParsedDutyRef | null {
  const s = normalizeSpaces(ref.normalize("NFC").toLowerCase()).replace(/[.,;]+$/, "");
  const letterOnly = LETTER_ONLY.exec(s);
  if (letterOnly) return { section: null, number: null, letter: toLetter(letterOnly[1]!) };
  const m = NUMBERED.exec(s);
  if (!m) return null;
  return {
    section: m[1]?.toUpperCase() ?? null,
    number: String(Number(m[2])),
    letter: m[3] ? toLetter(m[3]) : null,
  };
}

/** What people type for a duty: "IV.2.b" → "2b", "IV.3" → "3". */
export function shortDutyCode(code: string): string {
  const p = parseDutyRef(code);
  return p?.number ? `${p.number}${p.letter ?? ""}` : code;
}

/** A bare letter or bare number: also common in ordinary chat ("e cảm ơn", "3 người"). */
export function isWeakDutyRef(p: ParsedDutyRef): boolean {
  return p.section === null && (p.number === null || p.letter === null);
}

function canonicalCode(code: string): string {
  const p = parseDutyRef(code);
  if (!p?.section) return code;
  return `${p.section}.${p.number}${p.letter ? `.${p.letter}` : ""}`;
}

export function resolveDutyRef(
  ref: string,
  target: DutyRefTarget,
  allDutyCodes: readonly string[] = [],
): DutyRefResult {
  const parsed = parseDutyRef(ref);
  const own = parseDutyRef(target.agencyCode);
  if (!parsed || !own?.section || !own.number) return { ok: false, error: "duty.unknown" };

  const agencyKey = `${parsed.section ?? own.section}.${parsed.number ?? own.number}`;
  const isOwnAgency = agencyKey === `${own.section}.${own.number}`;
  const key = parsed.letter ? `${agencyKey}.${parsed.letter}` : agencyKey;

  const hit = target.duties.find((d) => canonicalCode(d.code) === key);
  if (hit) return { ok: true, code: hit.code };
  if (isOwnAgency && !parsed.letter) {
    const [only, ...more] = target.duties;
    if (only && more.length === 0) return { ok: true, code: only.code };
    if (only) return { ok: false, error: "duty.ambiguous", candidates: target.duties.map((d) => d.code) };
  }
  const elsewhere = allDutyCodes.map(canonicalCode).some((c) => c === key || c.startsWith(`${key}.`));
  return { ok: false, error: !isOwnAgency && elsewhere ? "duty.other_agency" : "duty.unknown" };
}
