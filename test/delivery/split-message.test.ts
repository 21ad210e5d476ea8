import { describe, expect, it } from "vitest";
import { splitMessage, splitText, type SplittableMessage } from "../../src/delivery/split-message.ts";
import { mulberry32 } from "../helpers/prng.ts";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const STARTS_WITH_MARK = /^\p{M}/u;

function rejoin({ parts, separators }: { parts: string[]; separators: string[] }): string {
  return parts.reduce((joined, part, i) => (i === 0 ? part : joined + separators[i - 1] + part), "");
}

/** Every invariant a split must keep, whatever the input. */
function expectWellSplit(text: string, maxLength: number): string[] {
  const result = splitText(text, maxLength);
  const { parts, separators } = result;
  expect(separators).toHaveLength(parts.length - 1);
  expect(rejoin(result)).toBe(text);
  // Collected, not asserted one by one: thousands of expect calls make the random runs slow.
  expect(separators.filter((s) => !/^(\s|)$/.test(s))).toEqual([]);
  expect(parts.filter((p) => p.length > maxLength)).toEqual([]);
  expect(parts.filter((p) => p.length === 0)).toEqual([]);
  expect(parts.filter((p) => LONE_SURROGATE.test(p))).toEqual([]);
  expect(parts.filter((p) => STARTS_WITH_MARK.test(p))).toEqual([]);
  return parts;
}

const vietnameseLines = (count: number) =>
  Array.from(
    { length: count },
    (_, i) => `${i + 1}. Sở Tài chính báo cáo tiến độ giải ngân vốn đầu tư công, vướng mắc ở dự án số ${i * 7}.`,
  );

describe("splitMessage", () => {
  it("returns a message that fits as it is", () => {
    const message = { text: "Nhắc việc: hạn báo cáo 📥 là thứ Sáu.", choices: [[{ label: "Xong", value: "done" }]] };
    const parts = splitMessage(message, 4096);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toBe(message);
    expect(splitMessage(message, message.text.length)[0]).toBe(message);
  });

  it("returns one part, unchanged, when there is no limit", () => {
    const message = { text: vietnameseLines(2000).join("\n") };
    expect(message.text.length).toBeGreaterThan(100_000);
    const parts = splitMessage(message, Infinity);
    expect(parts).toEqual([message]);
    expect(parts[0]).toBe(message);
  });

  it("keeps an empty message with a file as one part", () => {
    const message = { text: "", file: { name: "bao-cao.xlsx" } };
    expect(splitMessage(message, 10)).toEqual([message]);
  });

  it("puts buttons, the file and other fields on the last part only", () => {
    const choices = [[{ label: "Đã xong", value: "done" }], [{ label: "Vướng mắc", value: "stuck" }]];
    const file = { name: "tong-hop.xlsx", mimeType: "application/vnd.ms-excel", content: new Uint8Array(3) };
    const message = { text: vietnameseLines(300).join("\n"), choices, file, key: "digest-42" };
    const parts = splitMessage(message, 2000);

    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts.slice(0, -1)) expect(Object.keys(part)).toEqual(["text"]);
    const last = parts.at(-1)!;
    expect(last.choices).toBe(choices);
    expect(last.file).toBe(file);
    expect(last.key).toBe("digest-42");
    expect(parts.map((p) => p.text).join("\n")).toBe(message.text);
    // The original is left alone.
    expect(message.text.length).toBeGreaterThan(2000);
  });

  it("rejects a limit below one", () => {
    const message: SplittableMessage = { text: "abc" };
    expect(() => splitMessage(message, 0)).toThrow(RangeError);
    expect(() => splitMessage(message, -5)).toThrow(RangeError);
    expect(() => splitMessage(message, Number.NaN)).toThrow(RangeError);
    expect(() => splitText("abc", 0.5)).toThrow(RangeError);
  });
});

describe("splitText", () => {
  const lines = vietnameseLines(120);
  const text = lines.join("\n");

  it.each([4096, 3000, 2000])("packs whole lines into parts of at most %i", (limit) => {
    expect(text.length).toBeGreaterThan(10_000);
    const parts = expectWellSplit(text, limit);
    const { separators } = splitText(text, limit);

    expect(parts.length).toBeGreaterThanOrEqual(Math.ceil(text.length / limit));
    expect(separators.every((s) => s === "\n")).toBe(true);
    expect(parts.join("\n")).toBe(text);
    const original = new Set(lines);
    for (const part of parts) for (const line of part.split("\n")) expect(original.has(line)).toBe(true);
    // Greedy: the next line would not have fitted, so no part is needlessly short.
    for (let i = 0; i + 1 < parts.length; i++) {
      const nextLine = parts[i + 1]!.split("\n")[0]!;
      expect(parts[i]!.length + 1 + nextLine.length).toBeGreaterThan(limit);
    }
  });

  it("prefers a paragraph break in the later half of the window", () => {
    const paragraph = (n: number) => vietnameseLines(n).join("\n");
    const withBreakLate = `${paragraph(20)}\n\n${paragraph(20)}`;
    const firstParagraph = paragraph(20);
    const limit = firstParagraph.length + 200;
    const parts = expectWellSplit(withBreakLate, limit);
    // The part keeps the blank line's first newline; the next paragraph starts the next part cleanly.
    expect(parts[0]).toBe(`${firstParagraph}\n`);
    expect(parts[1]!.startsWith("1. ")).toBe(true);

    // Too early in the window: packing more lines wins.
    const withBreakEarly = `${paragraph(3)}\n\n${paragraph(40)}`;
    const early = expectWellSplit(withBreakEarly, 2000);
    expect(early[0]!.length).toBeGreaterThan(1000);
    expect(early[0]!.startsWith(`${paragraph(3)}\n\n`)).toBe(true);
  });

  it("breaks a line too long for one part at the last space that fits", () => {
    const words = Array.from({ length: 1000 }, (_, i) => `từ${i}`);
    const line = words.join(" ");
    expect(line.length).toBeGreaterThan(5000);
    const { parts, separators } = splitText(line, 4096);
    expect(parts).toHaveLength(2);
    expect(separators).toEqual([" "]);
    expect(parts.join(" ")).toBe(line);
    expect(parts[0]!.length).toBeLessThanOrEqual(4096);
    // The last space within the limit, not an earlier one.
    expect(line.lastIndexOf(" ", 4096)).toBe(parts[0]!.length);
    expect(words).toContain(parts[0]!.split(" ").at(-1));
    expect(words).toContain(parts[1]!.split(" ")[0]);
  });

  it("does not break at a no-break space", () => {
    const { parts, separators } = splitText("aaa bbb\u00a0ccc", 10);
    expect(parts).toEqual(["aaa", "bbb\u00a0ccc"]);
    expect(separators).toEqual([" "]);
  });

  it("hard-splits a line with no spaces at the limit", () => {
    const line = "x".repeat(5000);
    const { parts, separators } = splitText(line, 4096);
    expect(parts.map((p) => p.length)).toEqual([4096, 904]);
    expect(separators).toEqual([""]);
    expect(parts.join("")).toBe(line);
  });

  it.each([4095, 4096, 2001, 7, 3])("never splits a surrogate pair (limit %i)", (limit) => {
    const text = "📥".repeat(3000);
    const parts = expectWellSplit(text, limit);
    expect(parts.filter((p) => LONE_SURROGATE.test(p))).toEqual([]);
    expect(parts[0]!.length).toBe(limit % 2 === 0 ? limit : limit - 1);
    expect(parts.join("")).toBe(text);
  });

  it("keeps an emoji whole even when the limit is one", () => {
    expect(splitText("a📥b", 1).parts).toEqual(["a", "📥", "b"]);
    expect(splitText("🔔", 1).parts).toEqual(["🔔"]);
  });

  it("keeps Vietnamese letters typed in NFD together with their marks", () => {
    const phrase = "Nghiệp vụ bảo hiểm ".normalize("NFD");
    expect(phrase).not.toBe(phrase.normalize("NFC"));
    const spaced = phrase.repeat(400).trimEnd();
    const unspaced = phrase.replaceAll(" ", "").repeat(400);
    for (const text of [spaced, unspaced]) {
      for (let limit = 5; limit <= 60; limit++) {
        const parts = expectWellSplit(text, limit);
        expect(parts.filter((p) => STARTS_WITH_MARK.test(p))).toEqual([]);
        expect(rejoin(splitText(text, limit))).toBe(text);
      }
    }
    // "Nghiệ" is N-g-h-i-e plus two marks; a blind cut at 6 would strand the dot below.
    expect(splitText(unspaced, 6).parts[0]).toBe("Nghi");
  });

  it("keeps ZWJ sequences, skin tones and variation selectors attached", () => {
    const family = "👨\u200d👩\u200d👧";
    const text = `ab${family}cd👍🏽e❤️f`;
    expect(splitText(text, 9).parts[0]).toBe("ab");
    expect(splitText(`${"x".repeat(5)}👍🏽`, 6).parts).toEqual(["xxxxx", "👍🏽"]);
    expect(splitText(`${"x".repeat(5)}❤️`, 6).parts).toEqual(["xxxxx", "❤️"]);
  });

  it("never leaves an empty part after a trailing separator", () => {
    expect(splitText("ab c\n", 4)).toEqual({ parts: ["ab", "c\n"], separators: [" "] });
    expect(splitText("abc\n", 3)).toEqual({ parts: ["abc", "\n"], separators: [""] });
  });

  it("keeps every invariant on random text", () => {
    const random = mulberry32(20240615);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const pieces = [
      "báo cáo",
      "tiến độ",
      "Sở Y tế",
      "vướng mắc",
      "Nghiệp vụ".normalize("NFD"),
      "ưu tiên".normalize("NFD"),
      "hiểm".normalize("NFD"),
      "report",
      "IV.4.a",
      "📥",
      "🔔",
      "👍🏽",
      "❤️",
      "1️⃣",
      "👨\u200d👩\u200d👧",
      " ",
      " ",
      "  ",
      "\n",
      "\n\n",
      "x".repeat(40),
      "ệ".normalize("NFD").repeat(30),
    ];
    for (let run = 0; run < 400; run++) {
      const count = 1 + Math.floor(random() * 200);
      let text = "";
      for (let i = 0; i < count; i++) text += pick(pieces);
      const limit = 5 + Math.floor(random() * 296);
      const parts = expectWellSplit(text, limit);
      expect(parts.filter((p) => /^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(p))).toEqual([]);
      const messageParts = splitMessage({ text, choices: [[{ label: "OK", value: "ok" }]] }, limit);
      expect(messageParts.map((p) => p.text)).toEqual(parts);
      expect(messageParts.filter((p) => p.choices)).toHaveLength(1);
    }
  });

  // Speed belongs in the benchmark; here only that huge inputs of every shape split correctly.
  it("splits 100,000 characters of any shape into parts within the limit", () => {
    const shapes = [
      vietnameseLines(1200).join("\n"),
      "từ ".repeat(40_000),
      "x".repeat(100_000),
      "📥".repeat(50_000),
      "ệ".normalize("NFD").repeat(34_000),
      "\n".repeat(100_000),
      `a${"\u0301".repeat(100_000)}`,
    ];
    for (const text of shapes) {
      const { parts } = splitText(text, 4096);
      expect(parts.join("").length).toBeLessThanOrEqual(text.length);
      expect(parts.length).toBeGreaterThanOrEqual(Math.ceil(text.length / 4096) - 1);
    }
  });
});
