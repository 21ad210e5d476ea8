import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBot, texts, type TestBot } from "./helpers/bot.ts";

describe("bot core smoke", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
  });
  afterAll(async () => bot.db.$disconnect());

  it("joins a contact and records a one-line report", async () => {
    await bot.join("minh", "IV.4");
    const replies = await bot.send("minh", "IV.4.b 60% đang thực hiện: đã kết nối dữ liệu với 95 xã");
    expect(texts(replies)).toContain("Đang thực hiện (60%)");
    const report = await bot.db.dutyReport.findFirstOrThrow({ include: { duty: true } });
    expect(report).toMatchObject({ status: "in_progress", percent: 60, note: "đã kết nối dữ liệu với 95 xã" });
    expect(report.duty.code).toBe("IV.4.b");
  });
});
