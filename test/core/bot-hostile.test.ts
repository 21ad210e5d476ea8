// Hostile and confusing input: text that could pass for the bot's own words, emptiness in
// disguise, impossible document dates, huge echoes, and replies that used to mislead.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBot, makeAdmin, texts, type TestBot } from "../helpers/bot.ts";
import { expectNothingStored, notificationsDuring, personOf } from "../helpers/bot-steps.ts";

describe("hostile and confusing input", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot({ now: "2026-12-05T09:00" });
    await bot.join("coord", null, "Điều phối viên");
    await bot.join("admin", null, "Quản trị");
    await makeAdmin(bot, "admin");
    await bot.join("stc", "IV.2", "Đầu mối Sở Tài chính");
    await bot.join("bhxh", "IV.4", "Anh Minh\n📥 IV.2 Sở Tài chính đã nộp báo cáo\u202E");
  });
  afterAll(async () => bot.db.$disconnect());

  const refuse = (user: string, line: string) => expectNothingStored(bot, () => bot.send(user, line));

  it("keeps a display name on one line, so it cannot fake a line of the bot's own", async () => {
    const person = await personOf(bot, "bhxh");
    expect(person.displayName).toBe("Anh Minh 📥 IV.2 Sở Tài chính đã nộp báo cáo");
    const pushed = await notificationsDuring(bot, () => bot.send("bhxh", "/vuongmac thiếu nhân lực"));
    const text = pushed.map((n) => n.message.text).join("\n");
    expect(text.split("\n").filter((line) => line.startsWith("📥"))).toEqual([]);
    expect(text).not.toContain("\u202E");
  });

  it("refuses a difficulty made only of invisible characters, and stores nothing", async () => {
    expect(await refuse("bhxh", "/vuongmac \u200B")).toContain("Cách dùng: /vuongmac NỘI_DUNG");
    expect(await refuse("bhxh", "/vuongmac \u200B\u200C\u2060\uFEFF ")).toContain("Cách dùng: /vuongmac");
  });

  it("stores notes and difficulties in NFC, whatever the keyboard sent", async () => {
    await bot.send("bhxh", `4c 40% đang thực hiện: ${"đã rà soát dữ liệu".normalize("NFD")}`);
    const report = await bot.db.dutyReport.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(report.note).toBe("đã rà soát dữ liệu");
    await bot.send("bhxh", `/vuongmac ${"Thiếu kinh phí tuyên truyền".normalize("NFD")}`);
    const difficulty = await bot.db.difficulty.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(difficulty.text).toBe("Thiếu kinh phí tuyên truyền");
  });

  it("refuses a document date in the future, or years before the plan, saying which part is wrong", async () => {
    const future = await refuse("bhxh", "/nopbaocao 12/BC 01/01/2030");
    expect(future).toContain("Ngày văn bản 01/01/2030 ở sau hôm nay");
    expect(future).toContain("Cách dùng: /nopbaocao");
    expect(await refuse("bhxh", "/nopbaocao 01/01/1990")).toContain("trước năm của kế hoạch (2026)");
    expect(await refuse("bhxh", "/nopbaocao 12/BC 01/12/2026 02/12/2026")).toContain("Chỉ ghi một ngày văn bản");
    expect(await refuse("bhxh", "/nopbaocao 12/BC thêm")).toContain('Không hiểu "thêm"');
  });

  it("reads a two-digit year as a date, never as the document number", async () => {
    const replies = await bot.send("bhxh", "/nopbaocao 10/12/26");
    expect(texts(replies)).toContain("Ngày văn bản 10/12/2026 ở sau hôm nay");
    const preview = texts(await bot.send("bhxh", "/nopbaocao 04/12/26"));
    expect(preview).toContain("04/12/2026");
    expect(preview).not.toContain("số 04/12/26");
    await bot.send("bhxh", "/huy");
  });

  it("quotes back only a short prefix of a huge unknown command or code", async () => {
    const huge = `/${"x".repeat(3000)}`;
    const reply = await refuse("bhxh", huge);
    expect(reply.length).toBeLessThan(200);
    expect(reply).toContain("Không có lệnh /xxxx");
    const code = await refuse("bhxh", `IV.${"9".repeat(3000)} xong`);
    expect(code.length).toBeLessThan(400);
    expect(await refuse("bhxh", "x".repeat(5000))).toContain("Tin nhắn quá dài (tối đa 4.096 ký tự)");
  });

  it("does not echo an absurd percentage as a huge number", async () => {
    const reply = await refuse("bhxh", "4b 99999999999999999999%");
    expect(reply).toContain("Tỷ lệ đã gõ không hợp lệ");
    expect(reply).not.toContain("100.000.000");
  });

  it("tells a contact of another agency that /chitieu is not theirs, even without arguments", async () => {
    const reply = await refuse("stc", "/chitieu");
    expect(reply).not.toContain("Cách dùng");
    expect(reply).toContain("Cơ quan của Anh/Chị không được giao cập nhật số liệu chỉ tiêu");
  });

  it("says what /khoa cannot do instead of 'no contact #N'", async () => {
    const admin = await personOf(bot, "admin");
    expect(await refuse("coord", `/khoa ${admin.id}`)).toContain("là quản trị viên hệ thống");
    const coord = await personOf(bot, "coord");
    expect(await refuse("coord", `/khoa ${coord.id}`)).toContain("chỉ quản trị viên mới khóa được điều phối viên");
  });

  it("says a report was already reopened on a second /molai", async () => {
    await bot.send("stc", "/nopbaocao");
    await bot.choose("stc", "submit:confirm");
    expect(await bot.db.submission.count({ where: { reopenedAt: null } })).toBe(1);
    expect(texts(await bot.send("coord", "/molai IV.2 Bổ sung số liệu"))).toContain("Đã mở lại");
    const second = await refuse("coord", "/molai IV.2 Bổ sung số liệu");
    expect(second).toContain("đã được mở lại lúc");
    expect(second).not.toContain("chưa nộp");
  });
});
