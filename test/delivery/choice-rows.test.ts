import { describe, expect, it } from "vitest";
import { choiceRows } from "../../src/delivery/choice-rows.ts";

describe("choiceRows", () => {
  it("wraps a row wider than the platform allows, and drops empty rows", () => {
    expect(choiceRows([[1, 2, 3, 4, 5], [], [6]], { perRow: 2 })).toEqual([[1, 2], [3, 4], [5], [6]]);
  });

  it("packs the choices into full rows when there are more rows than allowed, then cuts at the limit", () => {
    const rows = [[1], [2], [3], [4], [5]];
    expect(choiceRows(rows, { perRow: 2, maxRows: 2 })).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(choiceRows(rows, { perRow: 3, maxRows: 2 })).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(choiceRows(rows, { perRow: 3, maxRows: 0 })).toEqual([]);
  });

  it("stops at the most buttons a message takes", () => {
    expect(
      choiceRows(
        [
          [1, 2, 3],
          [4, 5],
        ],
        { perRow: 2, maxButtons: 4 },
      ),
    ).toEqual([[1, 2], [3], [4]]);
  });
});
