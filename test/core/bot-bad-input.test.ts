import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { expectNothingStored } from "../helpers/bot-steps.ts";

// Every refusal must say why in Vietnamese and leave every table exactly as it was.
describe("bad input is refused and nothing is stored", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
    await bot.join("bhxh", "IV.4", "Đầu mối BHXH");
    await bot.join("stc", "IV.2", "Đầu mối Sở Tài chính");
    await bot.join("coord", null, "Điều phối viên");
    // Some history, so that "unchanged" is not trivially about empty tables.
    await bot.send("bhxh", "4a 30%");
  });
  afterAll(async () => bot.db.$disconnect());

  const refuse = (user: string, line: string) => expectNothingStored(bot, () => bot.send(user, line));

  it("an unknown command", async () => {
    expect(await refuse("bhxh", "/xyz")).toBe("Không có lệnh /xyz. Gõ /trogiup để xem các lệnh Anh/Chị dùng được.");
    expect(await refuse("coord", "/xyz abc")).toContain("Không có lệnh /xyz");
  });

  it("a malformed report line", async () => {
    const reply = await refuse("bhxh", "4b lung tung");
    expect(reply).toContain("Chưa đọc được báo cáo. Viết theo mẫu");
    // The example uses the contact's own first open duty, so it can be copied as is.
    expect(reply).toContain("IV.4.a 60% đang thực hiện");
  });

  it("two percents, or a status that contradicts the percent", async () => {
    expect(await refuse("bhxh", "4b 30% 40%")).toContain("Chưa đọc được báo cáo");
    expect(await refuse("bhxh", "4b 50% xong")).toContain("Tỷ lệ và trạng thái mâu thuẫn");
    expect(await refuse("bhxh", "4b 100% đang thực hiện")).toContain("Tỷ lệ và trạng thái mâu thuẫn");
  });

  it("another agency's duty", async () => {
    const reply = await refuse("bhxh", "IV.1.a xong");
    expect(reply).toContain("Nhiệm vụ IV.1.a không thuộc cơ quan của Anh/Chị nên không thể báo cáo");
  });

  it("a duty the agency does not have", async () => {
    expect(await refuse("bhxh", "4k xong")).toContain(
      'Không có nhiệm vụ "4k" trong các nhiệm vụ của cơ quan của Anh/Chị',
    );
    expect(await refuse("stc", "IV.2.k xong")).toContain('Không có nhiệm vụ "IV.2.k"');
  });

  it("a mistyped code, answered with the agency's own codes", async () => {
    const reply = await refuse("bhxh", "4x xong");
    expect(reply).toContain(
      'Không có nhiệm vụ "4x" trong các nhiệm vụ của cơ quan của Anh/Chị; nhiệm vụ của cơ quan: IV.4.a,',
    );
    expect(reply).toContain("IV.4.đ, IV.4.e, IV.4.g.");
  });

  it("two reports in one line, one of which does not read: neither is stored, and a line each is asked for", async () => {
    expect(await refuse("bhxh", "4a xong, 4b gần xong")).toContain(
      "Tin nhắn có báo cáo của 2 nhiệm vụ (4a, 4b); vui lòng gửi mỗi nhiệm vụ một dòng.",
    );
  });

  it("a bare agency number when the agency has several duties", async () => {
    expect(await refuse("bhxh", "IV.4 xong")).toContain('"IV.4" có nhiều nhiệm vụ (IV.4.a, IV.4.b');
  });

  it("a percent outside 0–100", async () => {
    expect(await refuse("bhxh", "4b 120%")).toContain(
      "Tỷ lệ 120% không hợp lệ: tỷ lệ phải là số nguyên từ 0% đến 100%",
    );
    expect(await refuse("bhxh", "4b 150,5%")).toContain("Tỷ lệ 150,5% không hợp lệ");
    expect(await refuse("bhxh", "4b -5%")).toContain("Tỷ lệ -5% không hợp lệ");
  });

  it("a note over 2,000 characters", async () => {
    const reply = await refuse("bhxh", `4b 50%: ${"x".repeat(2001)}`);
    expect(reply).toContain("Ghi chú quá dài (2.001 ký tự, tối đa 2.000)");
    // Exactly 2,000 is fine.
    expect(await bot.send("bhxh", `4b 50%: ${"y".repeat(2000)}`)).toHaveLength(1);
    expect(await bot.db.dutyReport.count({ where: { note: "y".repeat(2000) } })).toBe(1);
  });

  it("a note over 2,000 characters in the guided flow", async () => {
    await bot.send("bhxh", "/baocao");
    await bot.choose("bhxh", "report:duty:IV.4.c");
    await bot.choose("bhxh", "report:status:done");
    const reply = await refuse("bhxh", "z".repeat(2500));
    expect(reply).toContain("Ghi chú quá dài (2.500 ký tự, tối đa 2.000)");
    await bot.send("bhxh", "/huy");
  });

  it("a command the role may not use", async () => {
    expect(await refuse("bhxh", "/tongquan")).toBe(
      "Lệnh /tongquan không dành cho vai trò của Anh/Chị. Gõ /trogiup để xem các lệnh Anh/Chị dùng được.",
    );
    expect(await refuse("bhxh", "/giaiquyet 1 xong")).toContain("Lệnh /giaiquyet không dành cho vai trò của Anh/Chị");
    expect(await refuse("coord", "/baocao")).toContain("Lệnh /baocao không dành cho vai trò của Anh/Chị");
    // English aliases are gated the same way, and named by their Vietnamese name.
    expect(await refuse("coord", "/submit")).toContain("Lệnh /nopbaocao không dành cho vai trò của Anh/Chị");
  });

  it("a report line from a coordinator", async () => {
    expect(await refuse("coord", "4b xong")).toContain("Tôi chưa hiểu tin nhắn này. Gõ /trogiup");
  });

  it("/chitieu from a contact whose agency does not report figures", async () => {
    expect(await refuse("stc", "/chitieu II.1 1.120.000")).toContain(
      "Cơ quan của Anh/Chị không được giao cập nhật số liệu chỉ tiêu",
    );
  });

  it("/chitieu with a bad number", async () => {
    expect(await refuse("bhxh", "/chitieu II.1 abc")).toContain('"abc" không phải số người hợp lệ');
    expect(await refuse("bhxh", "/chitieu II.1 1.12")).toContain('"1.12" không phải số người hợp lệ');
    expect(await refuse("coord", "/chitieu II.1 -5")).toContain('"-5" không phải số người hợp lệ');
  });

  it("/nopbaocao with an impossible date", async () => {
    const reply = await refuse("bhxh", "/nopbaocao 32/13/2026");
    expect(reply).toContain("Ngày văn bản không hợp lệ. Viết theo dạng dd/mm/yyyy");
    expect(reply).toContain("Cách dùng: /nopbaocao [SỐ_VĂN_BẢN] [dd/mm/yyyy]");
    expect(await refuse("bhxh", "/nopbaocao 123/BC 30/02/2026")).toContain("Ngày văn bản không hợp lệ");
  });

  it("/nopbaocao with too many arguments", async () => {
    const reply = await refuse("bhxh", "/nopbaocao 123/BC 10/12/2026 11/12/2026");
    expect(reply).toContain("Cách dùng: /nopbaocao");
    expect(reply).not.toContain("Ngày văn bản không hợp lệ");
  });

  it("coordinator commands with an unknown agency or missing arguments", async () => {
    expect(await refuse("coord", "/tongquan IV.99")).toContain('Không tìm thấy cơ quan "IV.99"');
    expect(await refuse("coord", "/nhac")).toContain("Cách dùng: /nhac CƠ_QUAN hoặc /nhac all");
    expect(await refuse("coord", "/moi")).toContain("Cách dùng: /moi CƠ_QUAN");
    expect(await refuse("coord", "/molai IV.4")).toContain("Cách dùng: /molai CƠ_QUAN NHẬN_XÉT");
    expect(await refuse("coord", "/giaiquyet abc")).toContain("Cách dùng: /giaiquyet SỐ");
    expect(await refuse("coord", "/giaiquyet 999 Đã xử lý")).toContain("Không có vướng mắc #999");
    expect(await refuse("coord", "/khoa abc")).toContain("Cách dùng: /khoa SỐ_ĐẦU_MỐI");
    expect(await refuse("coord", "/khoa 999")).toContain("Không có đầu mối #999");
    expect(await refuse("coord", "/ngonngu fr")).toContain("Cách dùng: /ngonngu vi hoặc /ngonngu en");
  });

  it("a stale button", async () => {
    expect(await refuse("bhxh", "/huy")).toContain("Không có thao tác nào đang dở");
    const reply = await expectNothingStored(bot, () => bot.choose("bhxh", "submit:confirm"));
    expect(reply).toContain("Lựa chọn này không còn hiệu lực");
  });

  it("an empty /vuongmac", async () => {
    expect(await refuse("bhxh", "/vuongmac")).toContain("Cách dùng: /vuongmac NỘI_DUNG");
    expect(await refuse("bhxh", `/vuongmac ${"x".repeat(2001)}`)).toContain("Nội dung quá dài (tối đa 2.000 ký tự)");
  });
});

describe("a contact whose agency is missing from the data", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot({ members: false });
    await bot.join("orphan", "IV.4", "Đầu mối lạc");
    await bot.db.person.updateMany({ where: { displayName: "Đầu mối lạc" }, data: { directoryAgencyId: null } });
  });
  afterAll(async () => bot.db.$disconnect());

  it("is told plainly, with the error's own text rather than the internal-error apology", async () => {
    for (const line of ["/baocao", "/nopbaocao", "4b xong"]) {
      const reply = await expectNothingStored(bot, () => bot.send("orphan", line));
      expect(reply, line).toBe(
        "Tài khoản đầu mối của Anh/Chị chưa được gắn với cơ quan nào nên chưa làm được việc này. Vui lòng liên hệ Sở Nội vụ.",
      );
    }
  });
});
