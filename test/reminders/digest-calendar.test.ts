// A plan whose reminders fall in a year without a holiday calendar: the coordinators' digest says
// so, and says nothing once the calendar of that year is loaded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messagesFor } from "../../src/i18n/index.ts";
import { parseIsoInstant } from "../../src/lib/time.ts";
import { importPlan } from "../../src/plan/import-plan.ts";
import { parsePlan } from "../../src/plan/parse-plan.ts";
import { buildDigest } from "../../src/reminders/digest.ts";
import { importCalendar } from "../../src/schedule/calendar-store.ts";
import { loadPlanStatus } from "../../src/services/status-service.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { seedFile } from "../helpers/db.ts";

const nextYear = seedFile("ke-hoach-bhxh-dong-nai-2026.txt")
  .replaceAll("năm 2026", "năm 2027")
  .replaceAll("NĂM 2026", "NĂM 2027");

describe("the digest's calendar warning", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot({ now: "2027-12-06T16:30" });
    await importPlan(bot.db, parsePlan(nextYear));
  });
  afterAll(async () => bot.db.$disconnect());

  const digestOf = async () => {
    const plan = await bot.db.plan.findUniqueOrThrow({ where: { code: "BHXH27" } });
    const at = parseIsoInstant("2027-12-06T16:30")!;
    return (await buildDigest(bot.db, messagesFor("vi"), plan, await loadPlanStatus(bot.db, plan), at, at)).text;
  };

  it("names the year without a holiday calendar and how to load it", async () => {
    const text = await digestOf();
    expect(text).toContain("Chưa có lịch nghỉ năm 2027");
    expect(text).toContain("calendar import");
  });

  it("says nothing once that year's calendar is loaded", async () => {
    await importCalendar(bot.db, [
      { date: "2027-04-30", kind: "holiday", name: "Ngày Giải phóng miền Nam" },
      { date: "2027-09-02", kind: "holiday", name: "Quốc khánh" },
    ]);
    expect(await digestOf()).not.toContain("lịch nghỉ");
  });
});
