import { describe, expect, it } from "vitest";
import { clampPage, pageLines } from "../../src/domain/pages.ts";

describe("pages of a view", () => {
  it("packs whole lines in order, each page within the budget", () => {
    const lines = Array.from({ length: 10 }, (_, i) => `dòng ${i}`.padEnd(20, "."));
    const pages = pageLines(lines, 65);
    expect(pages.flat()).toEqual(lines);
    for (const page of pages) expect(page.join("\n").length).toBeLessThanOrEqual(65);
    // Three lines of 20 and two newlines make 62: a fourth would not fit.
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 1]);
  });

  it("gives a line longer than the budget a page of its own, whole", () => {
    const long = "x".repeat(100);
    expect(pageLines(["a", long, "b"], 50)).toEqual([["a"], [long], ["b"]]);
  });

  it("has a first page even with nothing to show", () => {
    expect(pageLines([], 100)).toEqual([[]]);
  });

  it("keeps a page asked for within the pages there are", () => {
    expect([clampPage(0, 3), clampPage(2, 3), clampPage(9, 3), clampPage(4, 0)]).toEqual([1, 2, 3, 1]);
  });
});
