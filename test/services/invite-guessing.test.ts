// Guessing invite codes from many accounts: each account has its own limit, and past a limit for
// all accounts together an account that already guessed wrong is refused; a right code still joins.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_WRONG_PER_HOUR_ALL } from "../../src/services/invite-service.ts";
import { createTestBot, texts, type TestBot } from "../helpers/bot.ts";
import { tableSnapshot } from "../helpers/db.ts";
import { createReminderRig, type ReminderRig } from "../helpers/reminders-harness.ts";

const WRONG = "ZZZZZ-ZZZZZ";

describe("invite guessing from many accounts", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot({ now: "2026-11-30T09:00" });
  });
  afterAll(async () => bot.db.$disconnect());

  it("counts every account's first wrong code towards the limit for all accounts", async () => {
    // Each of many accounts guesses wrong once: far below its own limit of 5.
    for (let i = 0; i < MAX_WRONG_PER_HOUR_ALL; i++) {
      expect(texts(await bot.send(`g${i}`, `/start ${WRONG}`))).toContain("Mã mời không đúng");
    }
    expect(await bot.db.joinAttempt.count()).toBe(MAX_WRONG_PER_HOUR_ALL);
    // A fresh account's first guess is now answered with the limit, and nothing is stored.
    const before = await tableSnapshot(bot.db);
    expect(texts(await bot.send("fresh-guesser", `/start ${WRONG}`))).toContain("quá nhiều lần nhập sai mã mời");
    expect(texts(await bot.send("g0", `/start ${WRONG}`))).toContain("quá nhiều lần nhập sai mã mời");
    expect(await tableSnapshot(bot.db)).toEqual(before);
  });

  it("lets a right code join past the limit, even from an account that mistyped once", async () => {
    const valid = await bot.inviteCode("IV.4");
    expect(texts(await bot.send("g1", `/start ${valid}`))).toContain("Chào");
    expect(texts(await bot.send("newcomer", `/start ${await bot.inviteCode("IV.5")}`))).toContain("Chào");
  });

  it("lifts the limit an hour after the wrong codes", async () => {
    bot.clock.advance(60 * 60 * 1000);
    expect(texts(await bot.send("later", `/start ${WRONG}`))).toContain("Mã mời không đúng");
  });
});

describe("the digest after many wrong codes", () => {
  let rig: ReminderRig;
  beforeAll(async () => {
    rig = await createReminderRig("2026-12-01T09:00");
    await rig.bot.join("coord", null, "Điều Phối");
  });
  afterAll(async () => rig.close());

  it("tells coordinators that someone may be guessing", async () => {
    for (let i = 0; i < MAX_WRONG_PER_HOUR_ALL; i++) await rig.bot.send(`x${i}`, `/start ${WRONG}`);
    await rig.tick("2026-12-01T16:30");
    const digest = rig.deliverer.to("coord").at(-1)!.message.text;
    expect(digest).toContain(`⚠️ ${MAX_WRONG_PER_HOUR_ALL} mã mời sai từ ${MAX_WRONG_PER_HOUR_ALL} tài khoản`);
  });
});

describe("the digest says when the limit for all accounts was reached, and only then", () => {
  let rig: ReminderRig;
  beforeAll(async () => {
    rig = await createReminderRig("2026-12-02T09:00");
    await rig.bot.join("coord", null, "Điều Phối");
  });
  afterAll(async () => rig.close());

  const guess = async (local: string, prefix: string, n: number) => {
    rig.at(local);
    for (let i = 0; i < n; i++) await rig.bot.send(`${prefix}${i}`, `/start ${WRONG}`);
  };
  const lastDigest = () => rig.deliverer.to("coord").at(-1)!.message.text;

  it("stays quiet about as many wrong codes spread over more than an hour", async () => {
    await guess("2026-12-02T09:00", "a", MAX_WRONG_PER_HOUR_ALL / 2);
    await guess("2026-12-02T10:30", "b", MAX_WRONG_PER_HOUR_ALL / 2);
    expect(await rig.db.joinAttempt.count()).toBe(MAX_WRONG_PER_HOUR_ALL);
    await rig.tick("2026-12-02T16:30");
    expect(lastDigest()).toMatch(/^📊 Tình hình báo cáo ngày 02\/12\/2026/);
    expect(lastDigest()).not.toContain("mã mời sai");
  });

  it("tells of a limit reached across the previous digest, in the next one", async () => {
    await guess("2026-12-02T16:10", "c", 20);
    // No limit yet at 16:30: the digest of 2/12 went out before these codes, so nothing to tell there.
    await guess("2026-12-02T16:50", "d", MAX_WRONG_PER_HOUR_ALL - 20);
    expect(texts(await rig.bot.send("e0", `/start ${WRONG}`))).toContain("quá nhiều lần nhập sai mã mời");
    await rig.tick("2026-12-03T16:30");
    expect(lastDigest()).toMatch(/^📊 Tình hình báo cáo ngày 03\/12\/2026/);
    expect(lastDigest()).toContain(
      `⚠️ 10 mã mời sai từ 10 tài khoản kể từ bản tin trước, đã chạm giới hạn ${MAX_WRONG_PER_HOUR_ALL} mã sai trong một giờ`,
    );
  });
});
