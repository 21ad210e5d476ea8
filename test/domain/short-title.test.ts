import { describe, expect, it } from "vitest";
import { shortTitle } from "../../src/domain/short-title.ts";

describe("shortTitle", () => {
  it("keeps the first clause, without its closing mark", () => {
    expect(shortTitle("Tham mưu UBND tỉnh giao chỉ tiêu; theo dõi, đôn đốc thực hiện.")).toBe(
      "Tham mưu UBND tỉnh giao chỉ tiêu",
    );
    expect(shortTitle("Chủ trì: phối hợp với các sở")).toBe("Chủ trì");
  });

  it("does not cut at a mark inside a word or a number", () => {
    expect(shortTitle("Thực hiện Nghị định 09/2019/NĐ-CP và mục IV.1.đ đúng hạn.")).toBe(
      "Thực hiện Nghị định 09/2019/NĐ-CP và mục IV.1.đ đúng hạn",
    );
  });

  it("cuts a long clause at a word and marks the cut", () => {
    const title = shortTitle(
      "Xây dựng chỉ tiêu phát triển đối tượng tham gia bảo hiểm xã hội, bảo hiểm thất nghiệp giao cho từng xã",
    );
    expect(title).toBe("Xây dựng chỉ tiêu phát triển đối tượng tham gia bảo hiểm…");
    expect(title.length).toBeLessThanOrEqual(60);
  });

  it("takes the whole text when it has no boundary", () => {
    expect(shortTitle("Báo cáo kết quả")).toBe("Báo cáo kết quả");
  });
});
