import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBot, texts, type TestBot } from "../helpers/bot.ts";
import { choiceValues } from "../helpers/bot-steps.ts";

// A flow's state is stored between messages, so a new version of the bot may read a state an older
// one wrote, or a damaged one. Such a state ends the flow with a clear message and is never acted on.
describe("a stored flow state that no longer parses", () => {
  let bot: TestBot;
  const INVALID = /không còn đọc được.*đã được hủy; chưa có gì được ghi nhận/;

  beforeAll(async () => {
    bot = await createTestBot();
    await bot.join("bhxh", "IV.4", "Đầu mối BHXH");
    await bot.join("coord", null, "Điều phối viên");
  });
  afterAll(async () => bot.db.$disconnect());

  async function storedAs(user: string, row: { flow?: string; step?: string; data?: string }): Promise<void> {
    const identity = await bot.db.identity.findUniqueOrThrow({
      where: { platform_userId: { platform: "test", userId: user } },
    });
    expect(await bot.db.conversation.updateMany({ where: { identityId: identity.id }, data: row })).toEqual({
      count: 1,
    });
  }

  const reports = () => bot.db.dutyReport.count();
  const conversations = () => bot.db.conversation.count();

  it("starts from a state that parses: the guided report asks for a status", async () => {
    await bot.send("bhxh", "/baocao");
    await bot.send("bhxh", "4b");
    expect(await bot.db.conversation.findFirst()).toMatchObject({ flow: "report", step: "status" });
  });

  it("ends a step whose data lacks what the step needs, and records nothing", async () => {
    await storedAs("bhxh", { step: "note", data: JSON.stringify({ duty: "IV.4.b" }) });
    const before = await reports();
    const reply = texts(await bot.send("bhxh", "đã rà soát xong dữ liệu"));
    expect(reply).toMatch(INVALID);
    expect(await reports()).toBe(before);
    expect(await conversations()).toBe(0);
    // The next line is read on its own again, as a report.
    expect(texts(await bot.send("bhxh", "4b 40%"))).toContain("Đã ghi nhận báo cáo");
  });

  it("ends a flow or step this version does not know, on a button as on text", async () => {
    await bot.send("bhxh", "/baocao");
    await storedAs("bhxh", { flow: "report_v0", step: "status" });
    const replies = await bot.choose("bhxh", "report:status:done");
    expect(texts(replies)).toMatch(INVALID);
    expect(replies[0]).toMatchObject({ outcome: "flow.stale" });
    expect(await conversations()).toBe(0);

    await bot.send("coord", "/nhac all");
    await storedAs("coord", { step: "confirm_v2" });
    const nudges = bot.notifications.length;
    expect(texts(await bot.choose("coord", "remind_all:confirm"))).toMatch(INVALID);
    expect(bot.notifications.length).toBe(nudges);
    expect(await conversations()).toBe(0);
  });

  it("ends a state that is not JSON, or holds values of the wrong kind", async () => {
    await bot.send("bhxh", "/baocao");
    await storedAs("bhxh", { data: "{duty: IV.4.b" });
    expect(texts(await bot.send("bhxh", "xong"))).toMatch(INVALID);

    const preview = await bot.send("bhxh", "/nopbaocao");
    expect(choiceValues(preview)).toContain("submit:confirm");
    await storedAs("bhxh", { data: JSON.stringify({ documentNumber: 12, documentDate: null, attachment: null }) });
    expect(texts(await bot.choose("bhxh", "submit:confirm"))).toMatch(INVALID);
    expect(await bot.db.submission.count()).toBe(0);
    expect(await conversations()).toBe(0);
  });

  it("says so in English to someone who chose English", async () => {
    await bot.send("bhxh", "/ngonngu en");
    await bot.send("bhxh", "/baocao");
    await storedAs("bhxh", { step: "percent", data: JSON.stringify({ duty: "IV.4.b", status: "finished" }) });
    expect(texts(await bot.send("bhxh", "50"))).toMatch(/can no longer be read.*cancelled and nothing was recorded/);
  });
});
