// Parser for the text layer of a provincial "Kế hoạch" (administrative plan) PDF. Pure: no I/O, no
// knowledge of any particular province, agency or figure. The PDF-to-text step leaves a blank line
// between wrapped lines except at page breaks, where the next line starts with a space instead, so
// blank lines and indentation are ignored and only line-start markers give structure.

export interface ParsedIndicator {
  code: string;
  name: string;
  targetRatePercent: number;
  targetParticipants: number;
  eligiblePopulation: number;
}

export interface ParsedDuty {
  code: string;
  text: string;
}

export interface ParsedAgency {
  code: string;
  name: string;
  requested: boolean;
  duties: ParsedDuty[];
}

export type PlanWarningReason =
  /** Text in section II or IV before its first numbered item that is not heading continuation. */
  | "outside_item"
  /** Text between an agency's name line and its first lettered duty. */
  | "text_before_duties"
  /** An agency with no duty text, or a lettered duty with no text. */
  | "empty_item"
  /** An item number or letter that does not follow the previous one (still parsed). */
  | "out_of_sequence"
  /** A marker repeating a code already used in its scope; kept as text of the current item. */
  | "duplicate_item"
  /** A target whose rate disagrees with participants / eligible population. */
  | "target_mismatch"
  /** A target line after the two counts, which no figure was read from. */
  | "target_extra_text";

export interface PlanWarning {
  /** 1-based line number in the input. */
  line: number;
  text: string;
  reason: PlanWarningReason;
}

export interface ParsedPlan {
  title: string;
  province: string;
  year: number;
  documentNumber: string | null;
  /** YYYY-MM-DD */
  reportDeadline: string;
  indicators: ParsedIndicator[];
  agencies: ParsedAgency[];
  warnings: PlanWarning[];
}

export type PlanErrorCode =
  "plan.empty" | "plan.no_title" | "plan.no_section_iv" | "plan.no_agency" | "plan.bad_target" | "plan.no_deadline";

export class PlanParseError extends Error {
  readonly code: PlanErrorCode;
  readonly line: number | null;

  constructor(code: PlanErrorCode, message: string, line: number | null = null) {
    super(message);
    this.name = "PlanParseError";
    this.code = code;
    this.line = line;
  }
}

interface Line {
  no: number;
  text: string;
}

// Vietnamese lists skip f, j and use đ after d.
const LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n"];
const ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"];
const TARGETS_SECTION = 2;
const AGENCIES_SECTION = 4;
const TITLE_MARKER = "KẾ HOẠCH";
const CLOSING_PREFIX = "Trên đây là";

const SECTION_RE = /^([IVX]+)\.(?:\s|$)/u;
// At most two digits, so a year ending a wrapped sentence ("năm\n2030. Đồng thời") opens no item;
// the digit check keeps "1.115.590 người" at the start of a wrapped line a number.
const NUMBERED_RE = /^(\d{1,2})\.\s+(\D.*)$/u;
const LETTERED_RE = new RegExp(`^(${LETTERS.join("|")})\\)(?:\\s+(.*))?$`, "u");
// The lookbehinds stop "3.8%" reading as 8% and "1.115.59" yielding its tail "59".
const RATE_RE = /(?<![\d.,])(\d+(?:,\d+)?)\s*%/gu;
const COUNT_RE = /(?<![\p{L}\p{N}.,])(\d[\d.,]*)\s*người(?!\p{L})/gu;
const COUNT_FORMAT_RE = /^(?:\d{1,3}(?:\.\d{3})+|\d+)$/u;
const DEADLINE_RE = /trước ngày\s+(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?(?![\d/])/iu;
const DOC_NUMBER_RE = /(?:^|\s)Số\s*:\s*(\d+\/[\p{Lu}\d]+(?:-[\p{Lu}\d]+)*)/u;
const YEAR_RE = /năm\s+(\d{4})(?!\d)/iu;
// Greedy prefix: the last "tỉnh"/"thành phố" in the title names the province.
const PROVINCE_RE = /^.*(?:^|\s)(?:tỉnh|thành phố)\s+(.+)$/iu;
// Percentage points allowed between the written rate and participants / eligible population.
const RATE_TOLERANCE = 0.5;

type Marker =
  | { kind: "section"; numeral: number }
  | { kind: "numbered"; n: number; rest: string }
  | { kind: "lettered"; letter: string; rest: string }
  | { kind: "text" };

function classify(text: string): Marker {
  const section = SECTION_RE.exec(text);
  const numeral = ROMAN.indexOf(section?.[1] ?? "") + 1;
  if (numeral > 0) return { kind: "section", numeral };
  const numbered = NUMBERED_RE.exec(text);
  if (numbered) return { kind: "numbered", n: Number(numbered[1]), rest: numbered[2] ?? "" };
  const lettered = LETTERED_RE.exec(text);
  if (lettered) return { kind: "lettered", letter: lettered[1] ?? "", rest: lettered[2] ?? "" };
  return { kind: "text" };
}

/** Non-blank lines, NFC, whitespace collapsed, with their 1-based numbers in the input. */
function toLines(text: string): Line[] {
  return text
    .replace(/^\uFEFF/u, "")
    .split(/\r\n|\r|\n/u)
    .map((raw, i) => ({ no: i + 1, text: raw.normalize("NFC").replace(/\s+/gu, " ").trim() }))
    .filter((line) => line.text !== "");
}

function join(chunks: readonly Line[]): string {
  return chunks.map((c) => c.text).join(" ");
}

/** Start offset of each chunk within join(chunks). */
function offsets(chunks: readonly Line[]): number[] {
  let at = 0;
  return chunks.map((c) => {
    const start = at;
    at += c.text.length + 1;
    return start;
  });
}

function stripTrailingPunctuation(text: string): string {
  return text.replace(/[\s.,;:]+$/u, "");
}

interface Head {
  title: string;
  province: string;
  year: number;
  documentNumber: string | null;
}

function readHead(lines: readonly Line[]): Head {
  const markerIndex = lines.findIndex((l) => l.text === TITLE_MARKER);
  const marker = lines[markerIndex];
  if (!marker) throw new PlanParseError("plan.no_title", `No line reading "${TITLE_MARKER}" was found`);

  let documentNumber: string | null = null;
  for (const line of lines.slice(0, markerIndex)) {
    documentNumber ??= DOC_NUMBER_RE.exec(line.text)?.[1] ?? null;
  }

  const titleLines: Line[] = [];
  for (const line of lines.slice(markerIndex + 1)) {
    // Stopping at a section too keeps a plan without a "Căn cứ" preamble from swallowing its body.
    if (line.text.startsWith("Căn cứ") || classify(line.text).kind === "section") break;
    if (/[\p{L}\p{N}]/u.test(line.text)) titleLines.push(line);
  }
  const title = stripTrailingPunctuation(join(titleLines));
  if (!title) throw new PlanParseError("plan.no_title", `No title text follows "${TITLE_MARKER}"`, marker.no);

  const year = YEAR_RE.exec(title)?.[1];
  if (!year) throw new PlanParseError("plan.no_title", `The title has no "năm YYYY": ${title}`, marker.no);
  // A title may end "... tỉnh X năm 2027"; the year is not part of the province name.
  const province = stripTrailingPunctuation((PROVINCE_RE.exec(title)?.[1] ?? "").replace(/\s+năm\s+\d{4}$/iu, ""));
  if (!province) {
    throw new PlanParseError("plan.no_title", `The title names no "tỉnh" or "thành phố": ${title}`, marker.no);
  }
  return { title, province, year: Number(year), documentNumber };
}

interface Item {
  n: number;
  head: Line;
  chunks: Line[];
}

interface DutyDraft {
  letter: string;
  head: Line;
  chunks: Line[];
}

interface AgencyDraft extends Item {
  duties: DutyDraft[];
}

function parseTarget(item: Item, warn: (line: Line, reason: PlanWarningReason) => void): ParsedIndicator {
  const code = `II.${item.n}`;
  const bad = (why: string) =>
    new PlanParseError("plan.bad_target", `Target ${code} (line ${item.head.no}): ${why}`, item.head.no);
  const text = join(item.chunks);
  const colon = text.indexOf(":");

  RATE_RE.lastIndex = Math.max(colon, 0);
  const rate = RATE_RE.exec(text);
  if (!rate) throw bad("no rate such as 95% or 3,8%");
  const targetRatePercent = Number((rate[1] ?? "").replace(",", "."));
  if (targetRatePercent > 100) throw bad(`rate ${rate[0]} is above 100%`);

  const name = stripTrailingPunctuation(text.slice(0, colon >= 0 ? colon : rate.index).trim());
  if (!name) throw bad("no indicator name before the colon");

  // Counts may stand before or after the rate, but never in the name.
  COUNT_RE.lastIndex = Math.max(colon, 0);
  const counts = [...text.matchAll(COUNT_RE)].slice(0, 2);
  const [first, second] = counts;
  if (!first || !second) throw bad('needs two counts followed by "người" after the name');
  for (const count of counts) {
    if (!COUNT_FORMAT_RE.test(count[1] ?? "")) throw bad(`malformed count "${count[0]}"`);
  }
  const toNumber = (count: RegExpExecArray) => Number((count[1] ?? "").replaceAll(".", ""));
  const targetParticipants = toNumber(first);
  const eligiblePopulation = toNumber(second);

  const actual = eligiblePopulation > 0 ? (targetParticipants / eligiblePopulation) * 100 : Infinity;
  if (Math.abs(actual - targetRatePercent) > RATE_TOLERANCE) warn(item.head, "target_mismatch");
  const figuresEnd = Math.max(second.index + second[0].length, rate.index + rate[0].length);
  const starts = offsets(item.chunks);
  item.chunks.forEach((chunk, i) => {
    if ((starts[i] ?? 0) >= figuresEnd && /\p{L}/u.test(chunk.text)) warn(chunk, "target_extra_text");
  });

  return { code, name, targetRatePercent, targetParticipants, eligiblePopulation };
}

function parseAgency(draft: AgencyDraft, warn: (line: Line, reason: PlanWarningReason) => void): ParsedAgency {
  const code = `IV.${draft.n}`;
  const [nameChunk, ...body] = draft.chunks;
  const fullName = stripTrailingPunctuation(nameChunk?.text ?? "");
  const requested = /^Đề nghị\s/u.test(fullName);
  const name = requested ? fullName.replace(/^Đề nghị\s+/u, "") : fullName;

  let duties: ParsedDuty[];
  if (draft.duties.length > 0) {
    for (const line of body) warn(line, "text_before_duties");
    duties = draft.duties.map((d) => {
      if (d.chunks.length === 0) warn(d.head, "empty_item");
      return { code: `${code}.${d.letter}`, text: join(d.chunks) };
    });
  } else if (body.length > 0) {
    duties = [{ code, text: join(body) }];
  } else {
    warn(draft.head, "empty_item");
    duties = [];
  }
  return { code, name, requested, duties };
}

function readDeadline(closing: readonly Line[], year: number): string {
  const first = closing[0];
  if (!first) throw new PlanParseError("plan.no_deadline", `No closing paragraph beginning "${CLOSING_PREFIX}"`);
  const text = join(closing);
  const match = DEADLINE_RE.exec(text);
  if (!match) {
    throw new PlanParseError("plan.no_deadline", 'The closing paragraph has no "trước ngày dd/mm"', first.no);
  }
  const starts = offsets(closing);
  const at = closing[starts.findLastIndex((s) => s <= match.index)] ?? first;
  const day = Number(match[1]);
  const month = Number(match[2]);
  const deadlineYear = match[3] ? Number(match[3]) : year;
  const valid = month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(deadlineYear, month, 0)).getUTCDate();
  if (!valid) throw new PlanParseError("plan.no_deadline", `"${match[0]}" is not a real date`, at.no);
  const pad = (v: number) => String(v).padStart(2, "0");
  return `${deadlineYear}-${pad(month)}-${pad(day)}`;
}

export function parsePlan(text: string): ParsedPlan {
  const lines = toLines(text);
  if (lines.length === 0) throw new PlanParseError("plan.empty", "The plan text is empty");
  const head = readHead(lines);

  const warnings: PlanWarning[] = [];
  const warn = (line: Line, reason: PlanWarningReason) => warnings.push({ line: line.no, text: line.text, reason });
  const { targets, agencies, agenciesLine, closing } = readSections(lines, warn);

  if (!agenciesLine) throw new PlanParseError("plan.no_section_iv", "The plan has no section IV");
  if (agencies.length === 0) {
    throw new PlanParseError("plan.no_agency", "Section IV has no numbered agency item", agenciesLine.no);
  }
  const indicators = targets.map((t) => parseTarget(t, warn));
  const parsedAgencies = agencies.map((a) => parseAgency(a, warn));
  const reportDeadline = readDeadline(closing, head.year);

  warnings.sort((a, b) => a.line - b.line);
  return { ...head, reportDeadline, indicators, agencies: parsedAgencies, warnings };
}

/** Section II's targets and section IV's agencies with their duties, and the closing lines after them. */
function readSections(lines: readonly Line[], warn: (line: Line, reason: PlanWarningReason) => void) {
  const targets: Item[] = [];
  const agencies: AgencyDraft[] = [];
  let section: number | null = null;
  let agenciesLine: Line | null = null;
  let target: Item | null = null;
  let agency: AgencyDraft | null = null;
  let duty: DutyDraft | null = null;
  const closing: Line[] = [];

  for (const line of lines) {
    if (closing.length > 0 || (section !== null && line.text.startsWith(CLOSING_PREFIX))) {
      closing.push(line);
      continue;
    }
    const marker = classify(line.text);
    if (marker.kind === "section") {
      section = marker.numeral;
      target = agency = duty = null;
      if (section === AGENCIES_SECTION) agenciesLine ??= line;
      continue;
    }
    if (section !== TARGETS_SECTION && section !== AGENCIES_SECTION) continue;

    const open = section === TARGETS_SECTION ? target : agency;
    if (!open && marker.kind !== "numbered") {
      // Headings wrap too; their continuation lines are upper case.
      if (/\p{Ll}/u.test(line.text)) warn(line, "outside_item");
      continue;
    }

    if (marker.kind === "numbered") {
      const siblings = section === TARGETS_SECTION ? targets : agencies;
      const previous = siblings.at(-1)?.n ?? 0;
      if (siblings.some((s) => s.n === marker.n)) {
        warn(line, "duplicate_item");
      } else {
        if (marker.n !== previous + 1) warn(line, "out_of_sequence");
        const item = { n: marker.n, head: line, chunks: [{ no: line.no, text: marker.rest }] };
        if (section === TARGETS_SECTION) targets.push((target = item));
        else agencies.push((agency = { ...item, duties: [] }));
        duty = null;
        continue;
      }
    }

    if (section === AGENCIES_SECTION && agency && marker.kind === "lettered") {
      const previous = agency.duties.at(-1)?.letter;
      if (agency.duties.some((d) => d.letter === marker.letter)) {
        warn(line, "duplicate_item");
      } else {
        if (marker.letter !== LETTERS[previous === undefined ? 0 : LETTERS.indexOf(previous) + 1]) {
          warn(line, "out_of_sequence");
        }
        duty = { letter: marker.letter, head: line, chunks: marker.rest ? [{ no: line.no, text: marker.rest }] : [] };
        agency.duties.push(duty);
        continue;
      }
    }

    (duty ?? open)?.chunks.push(line);
  }
  return { targets, agencies, agenciesLine, closing };
}
