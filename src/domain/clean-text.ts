// Text that people type reaches other people (coordinators read notes, difficulties and names),
// so it must never be able to pass for the bot's own words: no line breaks in a name, no control
// characters, no bidirectional overrides, nothing invisible. Everything is stored in NFC, so a
// note typed on a phone that sends decomposed Vietnamese compares and displays like any other.

/** Longest name kept; platforms allow 64–255, and a name is shown inside other lines. */
export const NAME_MAX_LENGTH = 64;
/** Longest message read at all (a note or difficulty itself may hold 2,000): never a document. */
export const INPUT_MAX_LENGTH = 4096;
/** How much of what someone typed is quoted back in an error message. */
export const QUOTE_MAX_LENGTH = 40;

// Cc (controls) except tab and newline; Cf (format: bidi embeddings and overrides, isolates,
// zero-width spaces and joiners, soft hyphen, BOM); line and paragraph separators; and the
// invisible fillers that render as blanks (Hangul fillers, braille blank, etc.).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const FORMAT = /\p{Cf}/gu;
const SEPARATORS = /[\u2028\u2029]/g;
// eslint-disable-next-line no-misleading-character-class -- each filler alone, combining or not
const FILLERS = /[\u115F\u1160\u3164\uFFA0\u2800\u034F\u180E]/g;
// A zero-width joiner is kept between two emoji (👨‍👩‍👧), where it is part of a picture.
const ZWJ_IN_EMOJI = /(?<=\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic})/gu;

function stripInvisible(text: string): string {
  const kept = text.replace(ZWJ_IN_EMOJI, "\u{E000}");
  return kept
    .replace(CONTROLS, "")
    .replace(FORMAT, "")
    .replace(FILLERS, "")
    .replace(/\u{E000}/gu, "\u200D");
}

/** Cuts at most `max` characters without splitting a surrogate pair. */
function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end);
}

/** A message as typed: NFC, line breaks kept (CRLF becomes LF), invisible and control characters gone. */
export function cleanInput(text: string): string {
  return stripInvisible(text.normalize("NFC").replace(/\r\n?/g, "\n").replace(SEPARATORS, "\n").replace(/\t/g, " "));
}

/** A display name: one line, single spaces, capped; empty when nothing visible is left. */
export function cleanName(name: string): string {
  const oneLine = cleanInput(name).replace(/\s+/g, " ").trim();
  return cap(oneLine, NAME_MAX_LENGTH).trim();
}

/** A note, difficulty or comment shown to others: trimmed, at most two line breaks in a row. */
export function cleanNote(text: string, max = INPUT_MAX_LENGTH): string {
  const tidy = cleanInput(text)
    .split("\n")
    .map((line) => line.replace(/ {2,}/g, " ").trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return cap(tidy, max);
}

/** True when nothing visible is left: "" or a zero-width space is no difficulty. */
export function isBlank(text: string): boolean {
  return (
    cleanInput(text)
      .replace(/\u200D/g, "")
      .trim() === ""
  );
}

/** What someone typed, quoted back safely: one line, at most a short prefix. */
export function quoteInput(text: string, max = QUOTE_MAX_LENGTH): string {
  return clip(cleanInput(text).replace(/\s+/g, " ").trim(), max);
}

/** At most `max` characters, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${cap(text, max - 1)}…`;
}
