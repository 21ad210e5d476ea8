// Behaviour that depends on the clock or on settings: abandoned flows, nudges at night, and the
// language new people get.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBotCore } from "../../src/core/bot.ts";
import { parseIsoInstant } from "../../src/lib/time.ts";
import { createTestBot, texts, type TestBot } from "../helpers/bot.ts";
import { tableSnapshot } from "../helpers/db.ts";

describe("time and settings", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
    await bot.join("bhxh", "IV.4", "Võ Thanh");
    await bot.join("coord", null, "Điều Phối");
  });
  afterAll(async () => bot.db.$disconnect());

  it("a guided report left for hours is forgotten, so a later line is read as a report of its own", async () => {
    await bot.send("bhxh", "/baocao");
    await bot.choose("bhxh", "report:duty:IV.4.c");
    // Within the flow, the same line would be a wrong answer to "pick a status".
    expect(texts(await bot.send("bhxh", "4b xong"))).toContain("Vui lòng chọn một trạng thái");
    expect(await bot.db.dutyReport.count()).toBe(0);
    bot.clock.advance(3 * 60 * 60 * 1000);
    expect(texts(await bot.send("bhxh", "4b xong"))).toContain("Đã ghi nhận báo cáo:\nIV.4.b");
    const report = await bot.db.dutyReport.findFirstOrThrow({ include: { duty: true } });
    expect([report.duty.code, report.status, report.percent]).toEqual(["IV.4.b", "done", 100]);
  });

  it("a nudge at night says when it will go out", async () => {
    bot.clock.set(parseIsoInstant("2026-11-25T22:00")!);
    expect(texts(await bot.send("coord", "/nhac IV.4"))).toBe(
      "Đã xếp lời nhắc cho 1 đầu mối của 1 cơ quan; vì đang ngoài giờ, tin sẽ được gửi lúc 26/11/2026 07:00.",
    );
    bot.clock.set(parseIsoInstant("2026-11-26T09:00")!);
    expect(texts(await bot.send("coord", "/nhac IV.4"))).toBe("Đã gửi nhắc tới 1 đầu mối của 1 cơ quan.");
  });

  it("people who join get the configured default language", async () => {
    const english = createBotCore({ ...bot.deps, defaultLocale: "en" });
    const code = await bot.inviteCode("IV.2");
    const replies = await english.handle({ kind: "command", from: bot.identity("stc"), command: "batdau", args: code });
    expect(texts(replies)).toMatch(/^Hello stc! You have joined Nhắc Việc as the contact for Sở Tài chính/);
    const person = await bot.db.person.findFirstOrThrow({ where: { displayName: "stc" } });
    expect(person.locale).toBe("en");
  });
});

describe("answers that are really something else", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
    await bot.join("xa", "IV.9-25195", "Xã viên");
    await bot.join("coord", null, "Điều Phối");
  });
  afterAll(async () => bot.db.$disconnect());

  it("/trogiup shows a commune an example on its own duties", async () => {
    expect(texts(await bot.send("xa", "/trogiup"))).toContain("Báo cáo nhanh bằng một dòng: IV.9.a 60% đang thực hiện");
  });

  it("/vuongmac naming another agency's duty is refused and nothing is stored or escalated", async () => {
    const before = await tableSnapshot(bot.db);
    const mark = bot.notifications.length;
    const reply = texts(await bot.send("xa", "/vuongmac IV.1.a thiếu người"));
    expect(reply).toContain("Nhiệm vụ IV.1.a không thuộc cơ quan của Anh/Chị");
    expect(await tableSnapshot(bot.db)).toEqual(before);
    expect(bot.notifications.length).toBe(mark);
  });

  it("a one-line report typed where a difficulty description was asked for is taken as a report", async () => {
    expect(texts(await bot.send("xa", "c vướng"))).toContain("Mô tả ngắn vướng mắc");
    const mark = bot.notifications.length;
    expect(texts(await bot.send("xa", "a xong"))).toContain("Đã ghi nhận báo cáo:\nIV.9.a");
    expect(await bot.db.difficulty.count()).toBe(0);
    expect(bot.notifications.length).toBe(mark);
    const reports = await bot.db.dutyReport.findMany({ include: { duty: true } });
    expect(reports.map((r) => [r.duty.code, r.status])).toEqual([["IV.9.a", "done"]]);
  });
});

describe("pausing a group", () => {
  it("explains that a commune paused with its group is resumed with the group", async () => {
    const bot = await createTestBot();
    await bot.join("coord", null, "Điều Phối");
    expect(texts(await bot.send("coord", "/tamdung IV.9 10/12"))).toBe(
      "Đã tạm dừng nhắc việc cho IV.9 Ủy ban nhân dân cấp xã đến hết ngày 10/12/2026.",
    );
    expect(texts(await bot.send("coord", "/tieptuc IV.9-25195"))).toBe(
      "IV.9-25195 UBND Phường Bình Phước đang tạm dừng nhắc việc theo nhóm IV.9 đến hết ngày 10/12/2026. Để bật lại, gõ /tieptuc IV.9.",
    );
    expect(texts(await bot.send("coord", "/tieptuc IV.9"))).toBe(
      "Đã bật lại nhắc việc cho IV.9 Ủy ban nhân dân cấp xã.",
    );
    expect((await bot.db.agency.findFirstOrThrow({ where: { code: "IV.9" } })).pausedUntil).toBeNull();
    await bot.db.$disconnect();
  });
});
