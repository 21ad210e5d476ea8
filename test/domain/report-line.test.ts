import { describe, expect, it } from "vitest";
import { resolveDutyRef, type DutyRefTarget } from "../../src/domain/duty-ref.ts";
import { MAX_NOTE_LENGTH, parseReportLine, readReportLine } from "../../src/domain/report-line.ts";
import { parseStatusWords } from "../../src/domain/status.ts";
import { foldVietnamese, normalizeSpaces } from "../../src/domain/text.ts";

const agency = (code: string, letters: string): DutyRefTarget => ({
  agencyCode: code,
  duties: letters ? letters.split(" ").map((l) => ({ code: `${code}.${l}` })) : [{ code }],
});
const IV4 = agency("IV.4", "a b c d đ e g");
const IV1 = agency("IV.1", "a b c d đ e");
const IV3 = agency("IV.3", "");
// A commune (IV.9-25195) reports on its group's duties.
const IV9 = agency("IV.9", "a b c d");
const ALL = [IV4, IV1, IV3, IV9].flatMap((a) => a.duties.map((d) => d.code));

const ok = (line: string, target = IV4) => {
  const r = parseReportLine(line, target, ALL);
  if (!r.ok) throw new Error(`${line}: ${r.error}`);
  return r.value;
};
const err = (line: string, target = IV4) => {
  const r = parseReportLine(line, target, ALL);
  if (r.ok) throw new Error(`${line}: parsed as ${JSON.stringify(r.value)}`);
  return r;
};

describe("text", () => {
  it("folds case, diacritics, đ and whitespace", () => {
    expect(foldVietnamese("  Vướng   MẮC ")).toBe("vuong mac");
    expect(foldVietnamese("ĐANG Thực hiện")).toBe("dang thuc hien");
    // Decomposed input (as some keyboards send it) folds the same as precomposed.
    expect(foldVietnamese("Hoa\u0300n tha\u0300nh")).toBe("hoan thanh");
    expect(normalizeSpaces(" a \t b\n c ")).toBe("a b c");
  });
});

describe("parseStatusWords", () => {
  it.each([
    ["xong", "done"],
    ["Hoàn thành", "done"],
    ["HOAN THANH", "done"],
    ["ht", "done"],
    ["done", "done"],
    ["hoàn tất", "done"],
    ["hoan tat", "done"],
    ["Completed", "done"],
    ["đang thực hiện", "in_progress"],
    ["Đang làm", "in_progress"],
    ["dang lam", "in_progress"],
    ["đang", "in_progress"],
    ["in progress", "in_progress"],
    ["in_progress", "in_progress"],
    ["DTH", "in_progress"],
    ["vướng mắc", "blocked"],
    ["VƯỚNG MẮC", "blocked"],
    ["Vướng  mắc", "blocked"],
    ["vuong mac", "blocked"],
    ["vướng", "blocked"],
    ["blocked", "blocked"],
    ["khó khăn", "blocked"],
    ["kho khan", "blocked"],
    ["chưa thực hiện", "not_started"],
    ["chưa", "not_started"],
    ["not started", "not_started"],
    ["not_started", "not_started"],
    ["cth", "not_started"],
    ["xong.", "done"],
  ])("%s → %s", (words, status) => {
    expect(parseStatusWords(words)).toBe(status);
  });

  it("rejects other words", () => {
    expect(parseStatusWords("gần xong")).toBeNull();
    expect(parseStatusWords("")).toBeNull();
  });
});

describe("resolveDutyRef", () => {
  it.each([
    ["IV.4.b", "IV.4.b"],
    ["iv.4.b", "IV.4.b"],
    ["IV.4.B", "IV.4.b"],
    ["IV 4 b", "IV.4.b"],
    ["IV4b", "IV.4.b"],
    ["4b", "IV.4.b"],
    ["4.b", "IV.4.b"],
    ["4 b", "IV.4.b"],
    ["b", "IV.4.b"],
    ["B", "IV.4.b"],
    ["IV.4.b.", "IV.4.b"],
  ])("%s → %s", (ref, code) => {
    expect(resolveDutyRef(ref, IV4, ALL)).toEqual({ ok: true, code });
  });

  it("never confuses d and đ", () => {
    for (const ref of ["4d", "IV.4.d", "IV.4.D", "d", "D"]) {
      expect(resolveDutyRef(ref, IV4, ALL)).toEqual({ ok: true, code: "IV.4.d" });
    }
    for (const ref of ["4đ", "4Đ", "4dd", "4DD", "IV.4.đ", "IV.4.Đ", "IV.4.dd", "đ", "dd"]) {
      expect(resolveDutyRef(ref, IV4, ALL)).toEqual({ ok: true, code: "IV.4.đ" });
    }
    // IV.9 has a-d but no đ: đ must not fall back to d.
    expect(resolveDutyRef("9đ", IV9, ALL)).toEqual({ ok: false, error: "duty.unknown" });
    expect(resolveDutyRef("đ", IV9, ALL)).toEqual({ ok: false, error: "duty.unknown" });
  });

  it("resolves a single-duty agency by its code only", () => {
    expect(resolveDutyRef("IV.3", IV3, ALL)).toEqual({ ok: true, code: "IV.3" });
    expect(resolveDutyRef("3", IV3, ALL)).toEqual({ ok: true, code: "IV.3" });
    expect(resolveDutyRef("iv3", IV3, ALL)).toEqual({ ok: true, code: "IV.3" });
    expect(resolveDutyRef("a", IV3, ALL)).toEqual({ ok: false, error: "duty.unknown" });
    expect(resolveDutyRef("3a", IV3, ALL)).toEqual({ ok: false, error: "duty.unknown" });
  });

  it("calls the bare code of a multi-duty agency ambiguous", () => {
    expect(resolveDutyRef("IV.4", IV4, ALL)).toEqual({
      ok: false,
      error: "duty.ambiguous",
      candidates: IV4.duties.map((d) => d.code),
    });
  });

  it("refuses another agency's duty, and only knows it as such when it exists", () => {
    expect(resolveDutyRef("IV.1.a", IV4, ALL)).toEqual({ ok: false, error: "duty.other_agency" });
    expect(resolveDutyRef("1a", IV4, ALL)).toEqual({ ok: false, error: "duty.other_agency" });
    expect(resolveDutyRef("IV.1", IV4, ALL)).toEqual({ ok: false, error: "duty.other_agency" });
    expect(resolveDutyRef("1a", IV4)).toEqual({ ok: false, error: "duty.unknown" });
    expect(resolveDutyRef("IV.1.g", IV4, ALL)).toEqual({ ok: false, error: "duty.unknown" });
    expect(resolveDutyRef("III.4.a", IV4, ALL)).toEqual({ ok: false, error: "duty.unknown" });
  });

  it("lets a member resolve its group's duties", () => {
    expect(resolveDutyRef("9c", IV9, ALL)).toEqual({ ok: true, code: "IV.9.c" });
    expect(resolveDutyRef("IV.9.a", IV9, ALL)).toEqual({ ok: true, code: "IV.9.a" });
    expect(resolveDutyRef("4a", IV9, ALL)).toEqual({ ok: false, error: "duty.other_agency" });
  });

  it("accepts only letters of the Vietnamese sequence", () => {
    for (const ref of ["4f", "4j", "4o", "f", "4h", "ddd", "4bb"]) {
      expect(resolveDutyRef(ref, IV4, ALL).ok, ref).toBe(false);
    }
  });
});

describe("parseReportLine", () => {
  it("reads the full grammar", () => {
    expect(ok("IV.4.b 60% đang thực hiện: đã kết nối dữ liệu với 95 xã")).toEqual({
      dutyCode: "IV.4.b",
      status: "in_progress",
      percent: 60,
      percentGiven: true,
      note: "đã kết nối dữ liệu với 95 xã",
    });
  });

  it.each([
    ["4b xong", "IV.4.b", "done", 100, null],
    ["iv.4.d vuong mac - thiếu nhân lực", "IV.4.d", "blocked", 0, "thiếu nhân lực"],
    ["b 40%", "IV.4.b", "in_progress", 40, null],
    ["4dd 100%", "IV.4.đ", "done", 100, null],
    ["4đ 30% đang làm – chờ dữ liệu", "IV.4.đ", "in_progress", 30, "chờ dữ liệu"],
    ["IV.4.Đ xong", "IV.4.đ", "done", 100, null],
    ["4d xong", "IV.4.d", "done", 100, null],
    ["  4.b   60 %   ĐANG LÀM  ", "IV.4.b", "in_progress", 60, null],
    ["IV 4 b 20%", "IV.4.b", "in_progress", 20, null],
    ["4 e hoàn thành", "IV.4.e", "done", 100, null],
    ["g Hoàn Tất", "IV.4.g", "done", 100, null],
    ["4b 30% vướng: chờ kinh phí", "IV.4.b", "blocked", 30, "chờ kinh phí"],
    ["4b xong-đã nghiệm thu", "IV.4.b", "done", 100, "đã nghiệm thu"],
    ["4b 60%- chờ", "IV.4.b", "in_progress", 60, "chờ"],
    ["4b 0%", "IV.4.b", "not_started", 0, null],
    ["4b chưa thực hiện", "IV.4.b", "not_started", 0, null],
    ["4b 0% chưa", "IV.4.b", "not_started", 0, null],
    ["4b 0% đang làm", "IV.4.b", "in_progress", 0, null],
    ["4b 100% hoàn thành", "IV.4.b", "done", 100, null],
    ["4b xong.", "IV.4.b", "done", 100, null],
    ["4b xong:", "IV.4.b", "done", 100, null],
  ])("%s", (line, dutyCode, status, percent, note) => {
    expect(ok(line)).toMatchObject({ dutyCode, status, percent, note });
  });

  it("reads single-duty and member lines", () => {
    expect(ok("IV.3 xong", IV3)).toMatchObject({ dutyCode: "IV.3", status: "done", percent: 100 });
    expect(ok("3 xong", IV3)).toMatchObject({ dutyCode: "IV.3", status: "done" });
    expect(ok("9c 50%", IV9)).toMatchObject({ dutyCode: "IV.9.c", status: "in_progress", percent: 50 });
  });

  it("tells the caller whether the percent was typed", () => {
    expect(ok("4b vướng mắc")).toMatchObject({ status: "blocked", percent: 0, percentGiven: false });
    expect(ok("4b đang thực hiện")).toMatchObject({ status: "in_progress", percent: 0, percentGiven: false });
    expect(ok("4b xong")).toMatchObject({ percent: 100, percentGiven: false });
    expect(ok("4b 40%")).toMatchObject({ percentGiven: true });
  });

  it("splits the note at the first separator only", () => {
    expect(ok("4b xong: Ghi chú: a: b").note).toBe("Ghi chú: a: b");
    expect(ok("4b xong – a - b: c").note).toBe("a - b: c");
    expect(ok("4b xong:   ").note).toBeNull();
  });

  it.each(["xin chào", "hello", "Chào anh", "", "   ", ": xong", "f xong", "ok 4b xong", "2025-2030 kế hoạch"])(
    "%j is not a report",
    (line) => {
      expect(err(line).error).toBe("report.not_a_report");
    },
  );

  it("treats a bare letter or number followed by chat as ordinary text", () => {
    for (const line of ["e cảm ơn chị", "a ơi", "3 người đã đến", "b", "14:30 họp"]) {
      expect(err(line).error, line).toBe("report.not_a_report");
    }
  });

  it.each(["4b", "4b: đã xong phần A", "IV.4.b gần xong", "4b 50% 60%", "b 40% abc", "IV.4.b -5"])(
    "%j is malformed",
    (line) => {
      expect(err(line).error).toBe("report.malformed");
    },
  );

  it("rejects percents outside 0–100", () => {
    expect(err("4b 150%")).toMatchObject({ error: "report.percent_range", value: 150 });
    expect(err("4b -5%")).toMatchObject({ error: "report.percent_range", value: -5 });
    // Whole percents only: 99,6% rounded would be a "100%" still in progress.
    expect(err("4b 99,6%")).toMatchObject({ error: "report.percent_range", value: 99.6 });
    expect(err("4b 12,5% đang làm")).toMatchObject({ error: "report.percent_range", value: 12.5 });
    expect(err("4b 120% xong")).toMatchObject({ error: "report.percent_range", value: 120 });
  });

  it.each(["IV.4.b 100% đang thực hiện", "4b 0% xong", "4b 50% xong", "4b 30% chưa thực hiện", "4b 100% vướng"])(
    "%j is a conflict",
    (line) => {
      expect(err(line).error).toBe("report.conflict");
    },
  );

  it("limits the note length", () => {
    expect(ok(`4b xong: ${"x".repeat(MAX_NOTE_LENGTH)}`).note).toHaveLength(MAX_NOTE_LENGTH);
    expect(err(`4b xong: ${"x".repeat(MAX_NOTE_LENGTH + 1)}`)).toMatchObject({
      error: "report.note_too_long",
      length: MAX_NOTE_LENGTH + 1,
      max: MAX_NOTE_LENGTH,
    });
  });

  it("reports duty errors with the typed reference", () => {
    expect(err("IV.1.a xong")).toMatchObject({ error: "duty.other_agency", ref: "IV.1.a" });
    expect(err("1a 50%")).toMatchObject({ error: "duty.other_agency", ref: "1a" });
    expect(err("4h xong")).toMatchObject({ error: "duty.unknown", ref: "4h" });
    expect(err("a xong", IV3)).toMatchObject({ error: "duty.unknown", ref: "a" });
    expect(err("9đ xong", IV9)).toMatchObject({ error: "duty.unknown", ref: "9đ" });
    expect(err("IV.4 xong")).toMatchObject({
      error: "duty.ambiguous",
      ref: "IV.4",
      candidates: ["IV.4.a", "IV.4.b", "IV.4.c", "IV.4.d", "IV.4.đ", "IV.4.e", "IV.4.g"],
    });
    expect(parseReportLine("1a xong", IV4)).toMatchObject({ ok: false, error: "duty.unknown" });
  });
});

describe("readReportLine with several reports in a line", () => {
  it("reads each report when every one reads fully on its own", () => {
    expect(readReportLine("4a xong, 4b 50% đang làm: chờ số liệu")).toEqual({
      ok: false,
      error: "report.two_reports",
      refs: ["4a", "4b"],
      drafts: [
        { ref: "4a", status: "done", percent: null, note: null },
        { ref: "4b", status: "in_progress", percent: 50, note: "chờ số liệu" },
      ],
    });
    const three = readReportLine("4a xong; 4b 20%; IV.4.c vướng - thiếu người");
    expect(three).toMatchObject({ refs: ["4a", "4b", "IV.4.c"] });
    expect(three.ok === false && three.error === "report.two_reports" && three.drafts?.map((d) => d.ref)).toEqual([
      "4a",
      "4b",
      "IV.4.c",
    ]);
  });

  it("keeps no draft when one of the reports does not read on its own", () => {
    expect(readReportLine("4a xong, 4b gần xong")).toEqual({
      ok: false,
      error: "report.two_reports",
      refs: ["4a", "4b"],
      drafts: null,
    });
  });
});
