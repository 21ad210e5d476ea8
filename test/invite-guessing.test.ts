// Guessing invite codes from many accounts: each account has its own limit, and past a limit for
// all accounts together an account that already guessed wrong is refused; a right code still joins.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_WRONG_PER_HOUR_ALL } from "../src/services/invite-service.ts";
import { createTestBot, texts, type TestBot } from "./helpers/bot.ts";
import { tableSnapshot } from "./helpers/db.ts";
import { createReminderRig, type ReminderRig } from "./helpers/reminders-harness.ts";

const WRONG = "ZZZZZ-ZZZZZ";

describe("invite guessing from many accounts", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot({ now: "2026-11-30T09:00" });
  });
  afterAll(async () => bot.db.$disconnect());

  it("stops an account's second guess once all accounts together guessed wrong too often", async () => {
    // Each of many accounts guesses wrong twice: below its own limit of 5.
    const accounts = Math.ceil(MAX_WRONG_PER_HOUR_ALL / 2);
    for (let i = 0; i < accounts; i++) {
      expect(texts(await bot.send(`g${i}`, `/start ${WRONG}`))).toContain("Mã mời không đúng");
      expect(texts(await bot.send(`g${i}`, `/start ${WRONG}`))).toContain("Mã mời không đúng");
    }
    const before = await tableSnapshot(bot.db);
    const refused = texts(await bot.send("g0", `/start ${WRONG}`));
    expect(refused).toContain("quá nhiều lần nhập sai mã mời");
    expect(await tableSnapshot(bot.db)).toEqual(before);

    // Even a right code from an account that guessed before waits; a new account's right code joins.
    const valid = await bot.inviteCode("IV.4");
    expect(texts(await bot.send("g1", `/start ${valid}`))).toContain("quá nhiều lần nhập sai mã mời");
    expect(texts(await bot.send("newcomer", `/start ${valid}`))).toContain("Chào");
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
