import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAST_SEEN_EVERY_MS } from "../../src/core/bot.ts";
import { createTestBot, texts, type TestBot } from "../helpers/bot.ts";

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

describe("where a person was last seen", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
  });
  afterAll(async () => bot.db.$disconnect());

  const lastSeen = async (platform: string, userId: string) =>
    (await bot.db.identity.findUniqueOrThrow({ where: { platform_userId: { platform, userId } } })).lastSeenAt;

  it("is written when it matters for pushes, not on every message, so a question writes nothing", async () => {
    const joinedAt = bot.clock.now();
    await bot.join("lan", "IV.4", "Chị Lan");
    const { personId } = await bot.db.identity.findUniqueOrThrow({
      where: { platform_userId: { platform: "test", userId: "lan" } },
    });
    // The same person's second account, on another platform.
    await bot.db.identity.create({
      data: {
        personId,
        platform: "other",
        userId: "lan2",
        chatId: "c-lan2",
        displayName: "Chị Lan",
        createdAt: joinedAt,
      },
    });
    const ask = (platform: string, userId: string, name = "Chị Lan") =>
      bot.core.handle({
        kind: "command",
        from: { platform, userId, chatId: platform === "test" ? "chat-lan" : "c-lan2", displayName: name },
        command: "nhiemvu",
        args: "",
      });

    await ask("test", "lan");
    expect(await lastSeen("test", "lan")).toEqual(joinedAt);
    bot.clock.advance(60_000);
    await ask("test", "lan");
    expect(await lastSeen("test", "lan")).toEqual(joinedAt);

    // Another account used since: this one is written again, so pushes follow the account in use.
    bot.clock.advance(60_000);
    await ask("other", "lan2");
    expect(await lastSeen("other", "lan2")).toEqual(bot.clock.now());
    bot.clock.advance(60_000);
    await ask("test", "lan");
    expect(await lastSeen("test", "lan")).toEqual(bot.clock.now());

    // A new name is written at once; otherwise a quarter of an hour passes between writes.
    bot.clock.advance(60_000);
    await ask("test", "lan", "Lan Nguyễn");
    expect(await lastSeen("test", "lan")).toEqual(bot.clock.now());
    bot.clock.advance(LAST_SEEN_EVERY_MS - 1);
    const unchanged = await lastSeen("test", "lan");
    await ask("test", "lan", "Lan Nguyễn");
    expect(await lastSeen("test", "lan")).toEqual(unchanged);
    bot.clock.advance(1);
    await ask("test", "lan", "Lan Nguyễn");
    expect(await lastSeen("test", "lan")).toEqual(bot.clock.now());
  });
});
