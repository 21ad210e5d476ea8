// Platforms cap a message's length (Telegram 4,096, Slack and Zalo less for some calls), and a long report
// or digest must still arrive whole and readable. Lengths are UTF-16 code units (`.length`): that is what
// Telegram counts, and it is close enough for the others when the caller leaves a margin.
//
// These types are declared here rather than imported so the splitter stays a leaf module any adapter can use;
// core's OutgoingMessage is structurally compatible.

export interface SplitChoice {
  label: string;
  value: string;
}

export interface SplittableMessage {
  text: string;
  choices?: SplitChoice[][];
  file?: unknown;
}

export interface SplitText {
  parts: string[];
  /**
   * `separators[i]` is what was dropped between `parts[i]` and `parts[i + 1]`: "\n" at a line break, a
   * whitespace character at a word break, "" at a hard break. Rejoining with them gives back the text exactly.
   */
  separators: string[];
}

const NEWLINE = 0x0a;
const ZWJ = 0x200d;

// What must stay with the character before it: combining marks (Vietnamese typed in NFD, variation selectors,
// keycaps), ZWJ itself, emoji skin tones and flag tags. Sticky, so it tests one position without scanning.
// eslint-disable-next-line no-misleading-character-class -- one code point at a time: what may follow, never a sequence
const ATTACHED = /[\p{M}\u200D\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}]/uy;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

// No-break spaces (U+00A0, U+2007, U+202F) are left out on purpose: the writer asked for the words to stay together.
function isBreakableSpace(code: number): boolean {
  return (
    code === 0x20 ||
    code === 0x09 ||
    code === 0x0b ||
    code === 0x0c ||
    code === 0x0d ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a && code !== 0x2007) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Whether cutting just before `index` keeps every user-perceived character whole (an approximation of UAX #29). */
function isBoundary(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return true;
  const previous = text.charCodeAt(index - 1);
  if (previous === ZWJ) return false;
  if (isLowSurrogate(text.charCodeAt(index)) && isHighSurrogate(previous)) return false;
  ATTACHED.lastIndex = index;
  return !ATTACHED.test(text);
}

/** Whether the character at `index` can be dropped as a separator without orphaning anything or leaving an empty tail. */
function canDropAt(text: string, index: number): boolean {
  return index + 1 < text.length && isBoundary(text, index) && isBoundary(text, index + 1);
}

/** Where to cut the window [start, start + maxLength): `end` closes this part, `next` opens the following one. */
function findCut(text: string, start: number, maxLength: number): { end: number; next: number } {
  const limit = start + maxLength;

  // Whole lines first. A blank line in the later half of the window is a paragraph break, the nicest place to
  // stop; the part then keeps the blank line's first newline, which the platforms trim from the end of a message.
  const laterHalf = start + Math.ceil(maxLength / 2);
  let lastLine = -1;
  for (let i = text.lastIndexOf("\n", limit); i > start; i = text.lastIndexOf("\n", i - 1)) {
    if (!canDropAt(text, i)) continue;
    if (lastLine === -1) lastLine = i;
    if (i < laterHalf) break;
    if (text.charCodeAt(i - 1) === NEWLINE && i - 1 > start) return { end: i, next: i + 1 };
  }
  if (lastLine !== -1) return { end: lastLine, next: lastLine + 1 };

  // A line too long for one part: break between words.
  for (let i = limit; i > start; i--) {
    if (isBreakableSpace(text.charCodeAt(i)) && canDropAt(text, i)) return { end: i, next: i + 1 };
  }

  // One unbroken word: cut as late as possible without splitting a character.
  let end = limit;
  while (end > start && !isBoundary(text, end)) end--;
  if (end > start) return { end, next: end };

  // A "character" longer than the whole window (a letter under dozens of stacked marks, a long ZWJ chain):
  // keeping it whole is impossible, so settle for not splitting a surrogate pair, which would corrupt the text.
  end = limit;
  if (isLowSurrogate(text.charCodeAt(end)) && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  // Only when maxLength is 1 and the text holds an emoji: an over-long part beats a lone surrogate.
  if (end === start) end = start + 2;
  return { end, next: end };
}

function checkMaxLength(maxLength: number): void {
  // Written so that NaN fails too.
  if (!(maxLength >= 1)) throw new RangeError(`maxLength must be at least 1, got ${maxLength}`);
}

/**
 * Splits `text` into parts of at most `maxLength` code units: between lines where possible, else between words,
 * else between characters, never inside a surrogate pair or between a letter and its combining marks. The only
 * part that can exceed `maxLength` is a lone emoji when `maxLength` is 1.
 */
export function splitText(text: string, maxLength: number): SplitText {
  checkMaxLength(maxLength);
  // A fractional limit would let a part end mid-character; Infinity stays Infinity.
  const max = Math.floor(maxLength);
  const parts: string[] = [];
  const separators: string[] = [];
  let start = 0;
  while (text.length - start > max) {
    const { end, next } = findCut(text, start, max);
    parts.push(text.slice(start, end));
    if (next >= text.length) return { parts, separators };
    separators.push(text.slice(end, next));
    start = next;
  }
  parts.push(text.slice(start));
  return { parts, separators };
}

/**
 * Splits a message too long for a platform into several sent in a row. Buttons, the file and any other fields
 * ride on the last part only, so they arrive after all the text they refer to and are sent once. The earlier
 * parts carry nothing but `text`, so `M` must not have other required fields. `lastPartRoom` characters are kept
 * free on the last part for what the platform's adapter adds there (see PlatformLimits.lastPartRoom).
 */
export function splitMessage<M extends SplittableMessage>(message: M, maxLength: number, lastPartRoom = 0): M[] {
  checkMaxLength(maxLength);
  if (message.text.length + lastPartRoom <= maxLength) return [message];
  const { parts } = splitText(message.text, maxLength);
  let lastText = parts.pop() ?? "";
  // What the adapter adds to the last part must fit beside its text: the tail is cut finer, or, when
  // the additions leave no room at all, they go in a part of their own.
  if (lastText.length + lastPartRoom > maxLength) {
    const tail = lastPartRoom < maxLength ? splitText(lastText, maxLength - lastPartRoom).parts : [lastText, ""];
    lastText = tail.pop() ?? "";
    parts.push(...tail);
  }
  return [...parts.map((text) => ({ text }) as M), { ...message, text: lastText }];
}

/** Each message split at `maxLength`, in order: the replies to an event, which have no outbox to split them. */
export function splitMessages<M extends SplittableMessage>(messages: readonly M[], maxLength: number): M[] {
  return messages.flatMap((message) => splitMessage(message, maxLength));
}

/** `text` escaped, in parts of at most `maxLength` once escaped; escaping can lengthen a part, so it is cut finer. */
export function splitEscaped(text: string, maxLength: number, escape: (text: string) => string): string[] {
  const escaped = escape(text);
  if (escaped.length <= maxLength) return escaped.trim() ? [escaped] : [];
  const max = Math.max(1, Math.min(text.length - 1, Math.floor((text.length * maxLength) / escaped.length)));
  return splitText(text, max).parts.flatMap((part) => splitEscaped(part, maxLength, escape));
}
