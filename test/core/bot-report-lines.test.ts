import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBot, type TestBot } from "../helpers/bot.ts";

// The one-line reports people naturally type, through the whole bot: each is stored as meant, and
// the confirmation repeats what was understood. The reader's own corpus is in test/domain.
describe("one-line reports as people type them", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
    await bot.join("bhxh", "IV.4", "Đầu mối BHXH");
    await bot.join("stc", "IV.2", "Đầu mối Sở Tài chính");
  });
  afterAll(async () => bot.db.$disconnect());

  const latest = async (code: string) => {
    const row = await bot.db.dutyReport.findFirst({ where: { duty: { code } }, orderBy: { id: "desc" } });
    return row && { status: row.status, percent: row.percent, note: row.note };
  };

  it.each([
    ["bhxh", "IV.4.c: 100%", "IV.4.c", "done", 100, null],
    ["bhxh", "4g - 30% - đang triển khai", "IV.4.g", "in_progress", 30, null],
    ["bhxh", "4đ 50% đang thực hiện, đã số hóa hồ sơ", "IV.4.đ", "in_progress", 50, "đã số hóa hồ sơ"],
    ["stc", "2b 40% đang phối hợp tuyên truyền", "IV.2.b", "in_progress", 40, "đang phối hợp tuyên truyền"],
    ["bhxh", "Nhiệm vụ 4e đã hoàn thành", "IV.4.e", "done", 100, null],
    ["bhxh", "nhiem vu 4a da xong 👍", "IV.4.a", "done", 100, null],
  ])("%s: %s", async (user, line, code, status, percent, note) => {
    const replies = await bot.send(user, line);
    expect(replies.map((r) => r.text).join("\n")).toContain(`Đã ghi nhận báo cáo:\n${code}:`);
    expect(await latest(code)).toEqual({ status, percent, note });
  });

  it("stores both reports of a line that holds two, each confirmed", async () => {
    const replies = (await bot.send("bhxh", "4b xong, 4c 40% đang làm: chờ số liệu")).map((r) => r.text).join("\n");
    expect(replies).toContain("Đã ghi nhận báo cáo:\nIV.4.b:");
    expect(replies).toContain("Đã ghi nhận báo cáo:\nIV.4.c:");
    expect(await latest("IV.4.b")).toEqual({ status: "done", percent: 100, note: null });
    expect(await latest("IV.4.c")).toEqual({ status: "in_progress", percent: 40, note: "chờ số liệu" });
  });

  it("keeps IV.4.d and IV.4.đ apart", async () => {
    await bot.send("bhxh", "4d 20%");
    expect(await latest("IV.4.d")).toMatchObject({ percent: 20 });
    expect(await latest("IV.4.đ")).toMatchObject({ percent: 50 });
  });
});
