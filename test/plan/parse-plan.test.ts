import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PlanParseError, parsePlan, type PlanErrorCode } from "../../src/plan/parse-plan.ts";
import { root } from "../helpers/processes.ts";

const dongNaiText = readFileSync(join(root, "prisma/seed/ke-hoach-bhxh-dong-nai-2026.txt"), "utf8");
const fixtureText = readFileSync(join(root, "test/fixtures/ke-hoach-thu-nghiem.txt"), "utf8");
const dongNai = parsePlan(dongNaiText);
const fixture = parsePlan(fixtureText);

const letters = (s: string) => s.split(" ");
const dutyCodes = (plan: typeof dongNai, code: string) =>
  plan.agencies.find((a) => a.code === code)?.duties.map((d) => d.code);
const dutyText = (plan: typeof dongNai, code: string) =>
  plan.agencies.flatMap((a) => a.duties).find((d) => d.code === code)?.text;

function parseError(text: string): PlanParseError {
  try {
    parsePlan(text);
  } catch (error) {
    if (error instanceof PlanParseError) return error;
    throw error;
  }
  throw new Error("expected a PlanParseError");
}

function expectError(text: string, code: PlanErrorCode, line: number | null = null): void {
  const error = parseError(text);
  expect({ code: error.code, line: error.line }).toEqual({ code, line });
  expect(error.message).not.toBe("");
}

/** Replaces 1-based line `no` of the text, keeping every other line number. */
function replaceLine(text: string, no: number, replacement: string): string {
  const lines = text.split("\n");
  lines[no - 1] = replacement;
  return lines.join("\n");
}

// A small plan whose body starts at line 4, so tests can state exact line numbers.
const mini = (...body: string[]) =>
  ["KẾ HOẠCH", "Thực hiện chỉ tiêu năm 2027 trên địa bàn tỉnh Lâm Đồng", "Căn cứ Nghị quyết số 1/NQ-CP;", ...body].join(
    "\n",
  );
const TARGETS = ["II. CHỈ TIÊU", "1. Tỷ lệ tham gia bảo hiểm xã hội: 50% (500 người/1.000 người)."];
const CLOSING = "Trên đây là Kế hoạch; báo cáo trước ngày 01/12.";

describe("parsePlan on the Đồng Nai 2026 plan", () => {
  it("reads the title block and the deadline", () => {
    expect(dongNai).toMatchObject({
      title: "Thực hiện chỉ tiêu phát triển đối tượng tham gia bảo hiểm xã hội năm 2026 trên địa bàn tỉnh Đồng Nai",
      province: "Đồng Nai",
      year: 2026,
      documentNumber: null,
      reportDeadline: "2026-12-15",
    });
  });

  it("reads the three targets of section II", () => {
    expect(dongNai.indicators).toEqual([
      {
        code: "II.1",
        name: "Tỷ lệ tham gia bảo hiểm xã hội bắt buộc",
        targetRatePercent: 95,
        targetParticipants: 1115590,
        eligiblePopulation: 1174298,
      },
      {
        code: "II.2",
        name: "Tỷ lệ tham gia bảo hiểm xã hội tự nguyện",
        targetRatePercent: 3.8,
        targetParticipants: 40100,
        eligiblePopulation: 1055260,
      },
      {
        code: "II.3",
        name: "Tỷ lệ tham gia bảo hiểm thất nghiệp",
        targetRatePercent: 95,
        targetParticipants: 1077108,
        eligiblePopulation: 1133560,
      },
    ]);
  });

  it("reads nine agencies and 29 duties", () => {
    expect(dongNai.agencies.map((a) => a.code)).toEqual(letters("IV.1 IV.2 IV.3 IV.4 IV.5 IV.6 IV.7 IV.8 IV.9"));
    expect(dongNai.agencies.flatMap((a) => a.duties)).toHaveLength(29);
    expect(dongNai.agencies.map((a) => a.name)).toEqual([
      "Sở Nội vụ",
      "Sở Tài chính",
      "Thanh tra tỉnh",
      "Bảo hiểm xã hội tỉnh",
      "Thuế Đồng Nai",
      "Ban Quản lý các Khu Công nghiệp, Khu kinh tế Đồng Nai",
      "Báo và Phát thanh, Truyền hình Đồng Nai",
      "Liên đoàn Lao động tỉnh",
      "Ủy ban nhân dân cấp xã",
    ]);
    expect(dongNai.agencies.filter((a) => a.requested).map((a) => a.code)).toEqual(["IV.8"]);
  });

  it("codes lettered duties with the letter, keeping đ distinct from d", () => {
    expect(dutyCodes(dongNai, "IV.1")).toEqual(letters("IV.1.a IV.1.b IV.1.c IV.1.d IV.1.đ IV.1.e"));
    expect(dutyCodes(dongNai, "IV.2")).toEqual(letters("IV.2.a IV.2.b IV.2.c"));
    expect(dutyCodes(dongNai, "IV.4")).toEqual(letters("IV.4.a IV.4.b IV.4.c IV.4.d IV.4.đ IV.4.e IV.4.g"));
    expect(dutyCodes(dongNai, "IV.6")).toEqual(letters("IV.6.a IV.6.b IV.6.c"));
    expect(dutyCodes(dongNai, "IV.8")).toEqual(letters("IV.8.a IV.8.b IV.8.c"));
    expect(dutyCodes(dongNai, "IV.9")).toEqual(letters("IV.9.a IV.9.b IV.9.c IV.9.d"));
  });

  it("gives an unlettered agency one duty coded as the agency", () => {
    for (const code of ["IV.3", "IV.5", "IV.7"]) expect(dutyCodes(dongNai, code)).toEqual([code]);
  });

  it("joins duty text across wraps and page breaks", () => {
    expect(dutyText(dongNai, "IV.3")).toBe(
      "Tăng cường công tác thanh tra việc chấp hành các quy định về pháp luật lao động, trong đó có quy định về " +
        "bảo hiểm xã hội tại các cơ quan, đơn vị và doanh nghiệp, đặc biệt là các đơn vị, doanh nghiệp chậm đóng, " +
        "trốn đóng trên địa bàn tỉnh; xử lý hoặc kiến nghị xử lý các đơn vị, doanh nghiệp không chấp hành hoặc " +
        "chấp hành không đầy đủ theo quy định nhằm đảm bảo quyền lợi của người lao động.",
    );
    expect(dutyText(dongNai, "IV.4.đ")).toBe(
      "Đổi mới cơ chế tổ chức thực hiện, chuyển đổi tác phong phục vụ. Đẩy mạnh ứng dụng công nghệ thông tin, " +
        "hiện đại hóa hệ thống quản lý bảo hiểm xã hội; cải cách thủ tục hành chính, đơn giản hóa quy trình nghiệp " +
        "vụ đảm bảo việc quản lý thu, phát triển người tham gia và giải quyết các chế độ bảo hiểm xã hội đầy đủ, " +
        "kịp thời đúng quy định của pháp luật.",
    );
    expect(dutyText(dongNai, "IV.9.b")).toMatch(/bắt buộc đóng trên địa bàn\.$/u);
    expect(dutyText(dongNai, "IV.9.c")).toBe(
      "Thực hiện đồng bộ các giải pháp nhằm tăng tính tuân thủ trong tham gia bảo hiểm xã hội bắt buộc, bảo hiểm " +
        "thất nghiệp; yêu cầu doanh nghiệp tham gia bảo hiểm xã hội bắt buộc đầy đủ cho người lao động.",
    );
  });

  it("keeps a second sentence on its own line inside the duty", () => {
    expect(dutyText(dongNai, "IV.4.b")).toBe(
      "Phối hợp kết nối thông tin, dữ liệu với các sở, ban, ngành liên quan, UBND cấp xã quản lý, theo dõi đơn vị, " +
        "doanh nghiệp đang hoạt động, doanh nghiệp thành lập mới và người lao động đang làm việc để phục vụ công tác " +
        "phát triển đối tượng. Đẩy mạnh ứng dụng công nghệ thông tin trong triển khai nhiệm vụ chuyên môn, tiến tới " +
        "thực hiện giao dịch điện tử đối với tất cả các hoạt động trong lĩnh vực bảo hiểm xã hội, bảo hiểm thất nghiệp.",
    );
  });

  it("ends the last duty at the closing paragraph", () => {
    expect(dutyText(dongNai, "IV.9.d")).toBe(
      "Xây dựng kế hoạch triển khai, đôn đốc, chỉ đạo và giám sát việc thực hiện chính sách, pháp luật về bảo hiểm " +
        "xã hội, đặc biệt là tăng cường vận động người dân tham gia bảo hiểm xã hội tự nguyện.",
    );
  });

  it("keeps typographic quotes", () => {
    expect(dutyText(dongNai, "IV.1.b")).toBe(
      "Phối hợp với Bảo hiểm xã hội tỉnh và các cơ quan, đơn vị có liên quan tổ chức triển khai thực hiện Đề án " +
        "“Tuyên truyền, phổ biến pháp luật cho người lao động và người sử dụng lao động đáp ứng yêu cầu thực thi các " +
        "cam kết quốc tế về lao động giai đoạn 2023 - 2030” trên địa bàn tỉnh; triển khai thi hành Luật Bảo hiểm xã " +
        "hội số 41/2024/QH15; trong đó, chú trọng tuyên truyền, phổ biến chính sách, pháp luật về bảo hiểm xã hội.",
    );
  });

  it("has no warnings", () => {
    expect(dongNai.warnings).toEqual([]);
  });

  it("does not depend on line endings, BOM, Unicode form or kinds of whitespace", () => {
    expect(parsePlan("\uFEFF" + dongNaiText.replaceAll("\n", "\r\n"))).toEqual(dongNai);
    expect(parsePlan(dongNaiText.normalize("NFD"))).toEqual(dongNai);
    expect(parsePlan(dongNaiText.replaceAll("a) ", "a)\t").replaceAll(" tỉnh", "\u00A0 tỉnh"))).toEqual(dongNai);
  });
});

describe("parsePlan on a second plan of the same form", () => {
  it("reads the header: document number, thành phố, year and a wrapped deadline with its year", () => {
    expect(fixture).toMatchObject({
      title: "Phát triển đối tượng tham gia bảo hiểm xã hội, bảo hiểm y tế năm 2027 trên địa bàn thành phố Huế",
      province: "Huế",
      year: 2027,
      documentNumber: "45/KH-UBND",
      reportDeadline: "2027-11-20",
      warnings: [],
    });
  });

  it("reads targets worded differently", () => {
    expect(fixture.indicators).toEqual([
      {
        code: "II.1",
        name: "Tỷ lệ lực lượng lao động trong độ tuổi tham gia bảo hiểm xã hội",
        targetRatePercent: 45.2,
        targetParticipants: 452000,
        eligiblePopulation: 1000000,
      },
      {
        code: "II.2",
        name: "Số người tham gia bảo hiểm y tế",
        targetRatePercent: 92.5,
        targetParticipants: 2345678,
        eligiblePopulation: 2535868,
      },
      {
        code: "II.3",
        name: "Tỷ lệ tham gia bảo hiểm thất nghiệp",
        targetRatePercent: 40,
        targetParticipants: 400500,
        eligiblePopulation: 1001250,
      },
    ]);
  });

  it("reads the agencies of section IV and nothing from section V", () => {
    expect(fixture.agencies.map(({ code, name, requested, duties }) => [code, name, requested, duties.length])).toEqual(
      [
        ["IV.1", "Sở Y tế", false, 10],
        ["IV.2", "Công an thành phố", false, 1],
        ["IV.3", "Bảo hiểm xã hội thành phố", false, 3],
        ["IV.4", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố", true, 2],
        ["IV.5", "Ủy ban nhân dân các xã, phường", false, 2],
      ],
    );
    expect(dutyCodes(fixture, "IV.1")).toEqual(letters("a b c d đ e g h i k").map((l) => `IV.1.${l}`));
    expect(dutyCodes(fixture, "IV.2")).toEqual(["IV.2"]);
  });

  it("joins duty texts across wraps, page breaks, tabs and NBSP", () => {
    expect(dutyText(fixture, "IV.1.a")).toBe(
      "Chủ trì, phối hợp Bảo hiểm xã hội thành phố tham mưu Ủy ban nhân dân thành phố giao chỉ tiêu phát triển " +
        "người tham gia bảo hiểm y tế cho các xã, phường.",
    );
    expect(dutyText(fixture, "IV.1.đ")).toBe(
      "Chỉ đạo các trung tâm y tế thực hiện tốt công tác khám sức khỏe ban đầu cho người tham gia bảo hiểm y tế.",
    );
    expect(dutyText(fixture, "IV.1.h")).toBe(
      "Hướng dẫn các cơ sở khám bệnh, chữa bệnh ký hợp đồng khám chữa bệnh bảo hiểm y tế, phấn đấu có 2.000 cơ sở " +
        "tham gia khám bệnh, chữa bệnh bảo hiểm y tế trong năm 2027.",
    );
    expect(dutyText(fixture, "IV.1.k")).toBe(
      "Định kỳ 6 tháng, tổng hợp tình hình thực hiện, báo cáo Ủy ban nhân dân thành phố.",
    );
    expect(dutyText(fixture, "IV.2")).toBe(
      "Phối hợp Bảo hiểm xã hội thành phố làm sạch dữ liệu người tham gia bảo hiểm xã hội, bảo hiểm y tế với Cơ sở " +
        "dữ liệu quốc gia về dân cư; cung cấp thông tin người lao động nước ngoài làm việc trên địa bàn thành phố.",
    );
    expect(dutyText(fixture, "IV.5.b")).toBe(
      "Chỉ đạo rà soát người chưa tham gia bảo hiểm y tế; vận động người dân tham gia bảo hiểm y tế hộ gia đình, " +
        "bảo hiểm xã hội tự nguyện.",
    );
  });
});

describe("parsePlan line rules", () => {
  it("does not read a count at the start of a wrapped line as an item", () => {
    const plan = parsePlan(
      mini(
        "II. CHỈ TIÊU",
        "1. Tỷ lệ tham gia bảo hiểm xã hội bắt buộc: 95% (đối tượng tham gia",
        "1.115.590 người/đối tượng thuộc diện phải tham gia 1.174.298 người).",
        "IV. TỔ CHỨC THỰC HIỆN",
        "1. Sở Nội vụ",
        "a) Hướng dẫn",
        "2.000 doanh nghiệp.",
        CLOSING,
      ),
    );
    expect(plan.indicators).toEqual([
      {
        code: "II.1",
        name: "Tỷ lệ tham gia bảo hiểm xã hội bắt buộc",
        targetRatePercent: 95,
        targetParticipants: 1115590,
        eligiblePopulation: 1174298,
      },
    ]);
    expect(plan.agencies).toEqual([
      {
        code: "IV.1",
        name: "Sở Nội vụ",
        requested: false,
        duties: [{ code: "IV.1.a", text: "Hướng dẫn 2.000 doanh nghiệp." }],
      },
    ]);
    expect(plan.warnings).toEqual([]);
    expect(plan.reportDeadline).toBe("2027-12-01");
  });

  it("treats upper-case lines after a section marker as heading, others as warnings", () => {
    const plan = parsePlan(
      mini(
        "II. CHỈ TIÊU PHÁT TRIỂN",
        "ĐỐI TƯỢNG NĂM 2027",
        "ghi chú lạc trong mục II",
        TARGETS[1] ?? "",
        "IV. TỔ CHỨC",
        "THỰC HIỆN",
        "Các cơ quan thực hiện như sau:",
        "1. Sở Nội vụ",
        "Theo dõi chung.",
        CLOSING,
      ),
    );
    expect(plan.warnings).toEqual([
      { line: 6, text: "ghi chú lạc trong mục II", reason: "outside_item" },
      { line: 10, text: "Các cơ quan thực hiện như sau:", reason: "outside_item" },
    ]);
    expect(plan.indicators).toHaveLength(1);
    expect(plan.agencies).toEqual([
      { code: "IV.1", name: "Sở Nội vụ", requested: false, duties: [{ code: "IV.1", text: "Theo dõi chung." }] },
    ]);
  });

  it("warns about a stray line between an agency name and its first duty, and parses the rest", () => {
    const stray = "Ghi chú: nội dung chưa rõ";
    const plan = parsePlan(replaceLine(dongNaiText, 201, stray));
    expect(plan.warnings).toEqual([{ line: 201, text: stray, reason: "text_before_duties" }]);
    expect(dutyCodes(plan, "IV.2")).toEqual(letters("IV.2.a IV.2.b IV.2.c"));
    expect(plan.agencies.flatMap((a) => a.duties)).toHaveLength(29);
    expect({ ...plan, warnings: [] }).toEqual(dongNai);
  });

  it("warns about items out of sequence, duplicates and empty items, keeping codes unique", () => {
    const plan = parsePlan(
      mini(
        ...TARGETS,
        "IV. TỔ CHỨC THỰC HIỆN",
        "1. Sở Nội vụ",
        "a) Một.",
        "c) Ba.",
        "c) Ba lần nữa.",
        "3. Sở Tài chính",
        "4. Đề nghị Hội Nông dân tỉnh:",
        "a)",
        CLOSING,
      ),
    );
    expect(plan.warnings).toEqual([
      { line: 9, text: "c) Ba.", reason: "out_of_sequence" },
      { line: 10, text: "c) Ba lần nữa.", reason: "duplicate_item" },
      { line: 11, text: "3. Sở Tài chính", reason: "out_of_sequence" },
      { line: 11, text: "3. Sở Tài chính", reason: "empty_item" },
      { line: 13, text: "a)", reason: "empty_item" },
    ]);
    expect(plan.agencies).toEqual([
      {
        code: "IV.1",
        name: "Sở Nội vụ",
        requested: false,
        duties: [
          { code: "IV.1.a", text: "Một." },
          { code: "IV.1.c", text: "Ba. c) Ba lần nữa." },
        ],
      },
      { code: "IV.3", name: "Sở Tài chính", requested: false, duties: [] },
      { code: "IV.4", name: "Hội Nông dân tỉnh", requested: true, duties: [{ code: "IV.4.a", text: "" }] },
    ]);
  });

  it("warns when a target's rate disagrees with its counts or text follows the counts", () => {
    const plan = parsePlan(
      mini(
        "II. CHỈ TIÊU",
        "1. Tỷ lệ tham gia bảo hiểm y tế: 90% (500 người/1.000 người).",
        "Số liệu theo niên giám thống kê.",
        "IV. TỔ CHỨC THỰC HIỆN",
        "1. Sở Y tế",
        "Theo dõi.",
        CLOSING,
      ),
    );
    expect(plan.warnings).toEqual([
      { line: 5, text: "1. Tỷ lệ tham gia bảo hiểm y tế: 90% (500 người/1.000 người).", reason: "target_mismatch" },
      { line: 6, text: "Số liệu theo niên giám thống kê.", reason: "target_extra_text" },
    ]);
    expect(plan.indicators[0]).toMatchObject({
      targetRatePercent: 90,
      targetParticipants: 500,
      eligiblePopulation: 1000,
    });
  });

  it("reads counts written before the rate", () => {
    const plan = parsePlan(
      mini(
        "II. CHỈ TIÊU",
        "1. Số người tham gia bảo hiểm y tế: 1.000 người trên",
        "2.000 người (đạt 50%).",
        "IV. TỔ CHỨC THỰC HIỆN",
        "1. Sở Y tế",
        "Theo dõi.",
        CLOSING,
      ),
    );
    expect(plan.indicators).toEqual([
      {
        code: "II.1",
        name: "Số người tham gia bảo hiểm y tế",
        targetRatePercent: 50,
        targetParticipants: 1000,
        eligiblePopulation: 2000,
      },
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it("ends section IV at the next section and ignores sections after it", () => {
    const plan = parsePlan(
      mini(
        ...TARGETS,
        "IV. TỔ CHỨC THỰC HIỆN",
        "1. Sở Nội vụ",
        "Theo dõi.",
        "V. KINH PHÍ",
        "1. Ngân sách tỉnh.",
        CLOSING,
      ),
    );
    expect(plan.agencies).toEqual([
      { code: "IV.1", name: "Sở Nội vụ", requested: false, duties: [{ code: "IV.1", text: "Theo dõi." }] },
    ]);
    expect(plan.warnings).toEqual([]);
  });
});

describe("parsePlan errors", () => {
  it("rejects empty text", () => {
    expectError("", "plan.empty");
    expectError(" \r\n\t\n\u00A0\n", "plan.empty");
  });

  it("rejects text without a KẾ HOẠCH title", () => {
    expectError(dongNaiText.replace("KẾ HOẠCH", "BÁO CÁO"), "plan.no_title");
    expectError(["KẾ HOẠCH", "Căn cứ Nghị quyết;", ...TARGETS].join("\n"), "plan.no_title", 1);
  });

  it("rejects a plan without section IV", () => {
    expectError(dongNaiText.replace(/^IV\. .*$/mu, ""), "plan.no_section_iv");
  });

  it("rejects a section IV without agencies", () => {
    expectError(mini(...TARGETS, "IV. TỔ CHỨC THỰC HIỆN", "a) Theo dõi.", CLOSING), "plan.no_agency", 6);
  });

  it("rejects a target with a malformed count", () => {
    expectError(dongNaiText.replace("1.115.590 người", "1.115.59 người"), "plan.bad_target", 71);
  });

  it("rejects a target without a rate or without two counts", () => {
    expectError(dongNaiText.replace("3,8%", "ba phẩy tám phần trăm"), "plan.bad_target", 75);
    expectError(dongNaiText.replace("1.055.260 người", "1.055.260"), "plan.bad_target", 75);
  });

  it("rejects a plan without a deadline", () => {
    expectError(dongNaiText.replace("trước ngày 15/12", "cuối năm"), "plan.no_deadline", 391);
    expectError(dongNaiText.replace("Trên đây là", "Như vậy là"), "plan.no_deadline");
    expectError(dongNaiText.replace("trước ngày 15/12", "trước ngày 31/02"), "plan.no_deadline", 399);
  });
});
