import { describe, expect, it } from "vitest";
import { cleanInput, cleanName, cleanNote, isBlank, NAME_MAX_LENGTH, quoteInput } from "../../src/domain/clean-text.ts";

describe("text from people", () => {
  it("takes line breaks out of a name, so it cannot start a fake line", () => {
    const name = "Anh Minh\n📥 IV.2 Sở Tài chính đã nộp báo cáo";
    expect(cleanName(name)).toBe("Anh Minh 📥 IV.2 Sở Tài chính đã nộp báo cáo");
    expect(cleanName(name)).not.toContain("\n");
    expect(cleanName("Chị\u2028Lan\r\nx")).toBe("Chị Lan x");
  });

  it("drops bidirectional overrides, zero-width characters and controls", () => {
    const sneaky = "Tr\u202Eần\u200B Văn\u0007 \u2066A\u2069\uFEFF";
    expect(cleanName(sneaky)).toBe("Trần Văn A");
    expect(cleanInput("a\u0000b\u001Bc")).toBe("abc");
    expect(cleanInput("x\u00ADy")).toBe("xy");
  });

  it("keeps emoji made of several pictures joined together", () => {
    expect(cleanInput("👨\u200D👩\u200D👧 nhà")).toBe("👨\u200D👩\u200D👧 nhà");
  });

  it("stores Vietnamese in NFC whatever the keyboard sent", () => {
    const nfd = "Vướng mắc: thiếu nhân lực".normalize("NFD");
    expect(cleanNote(nfd)).toBe("Vướng mắc: thiếu nhân lực");
    expect(cleanNote(nfd)).toBe(cleanNote(nfd).normalize("NFC"));
  });

  it("caps a name without splitting an emoji", () => {
    const long = "A".repeat(NAME_MAX_LENGTH - 1) + "😀😀";
    const capped = cleanName(long);
    expect(capped.length).toBeLessThanOrEqual(NAME_MAX_LENGTH);
    expect(capped).not.toMatch(/[\uD800-\uDBFF]$/);
  });

  it("sees text made only of invisible characters as blank", () => {
    expect(isBlank("\u200B")).toBe(true);
    expect(isBlank(" \u200B\u200C\u200D\uFEFF\u2060 ")).toBe(true);
    expect(isBlank("\u3164")).toBe(true);
    expect(isBlank("x\u200B")).toBe(false);
  });

  it("quotes back only a short, single-line prefix", () => {
    const huge = `IV.${"9".repeat(100_000)}`;
    const quoted = quoteInput(huge);
    expect(quoted.length).toBeLessThanOrEqual(40);
    expect(quoted.endsWith("…")).toBe(true);
    expect(quoteInput("a\nb")).toBe("a b");
  });

  it("keeps a note's paragraphs but not runs of empty lines", () => {
    expect(cleanNote("dòng 1\n\n\n\n\ndòng 2  \n")).toBe("dòng 1\n\ndòng 2");
  });
});
