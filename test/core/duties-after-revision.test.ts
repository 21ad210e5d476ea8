// Chat keeps a plan's duties between reports (agencyDuties), under the version of the plan's row.
// A revision imported by another process (the CLI, while the bot runs) must show in the very next
// report: a withdrawn duty refused, a restored one accepted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../src/db/db.ts";
import { importPlan } from "../../src/plan/import-plan.ts";
import { parsePlan } from "../../src/plan/parse-plan.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { seedFile } from "../helpers/db.ts";

const planText = seedFile("ke-hoach-bhxh-dong-nai-2026.txt");
/** The plan without IV.9.c (as test/plan/plan-import.test.ts revises it). */
const withoutC = planText.replace(/ c\) Thực hiện đồng bộ các giải pháp[\s\S]*?đầy đủ cho người lao động\. \n/, "");

describe("a commune's report after its plan was revised elsewhere", () => {
  let bot: TestBot;
  let other: Db;
  beforeAll(async () => {
    bot = await createTestBot();
    other = createDb(bot.url);
    const commune = await bot.db.agency.findFirstOrThrow({ where: { parent: { code: "IV.9" } } });
    await bot.join("xa", commune.code);
  });
  afterAll(async () => {
    await other.$disconnect();
    await bot.db.$disconnect();
  });

  const reports = () => bot.db.dutyReport.count();
  const text = async (line: string) => (await bot.send("xa", line)).map((m) => m.text).join("\n");

  it("follows each revision at the next report", async () => {
    expect(await text("9c 40% đang làm")).toContain("Đã ghi nhận");
    expect(await reports()).toBe(1);

    const revision = await importPlan(other, parsePlan(withoutC));
    expect(revision.duties.withdrawn).toBe(1);
    const refused = await text("9c 50% đang làm");
    expect(refused).not.toContain("Đã ghi nhận");
    expect(refused).toContain('Không có nhiệm vụ "9c"');
    expect(await reports()).toBe(1);
    // The duties still there are read as they are now: IV.9.d is still IV.9.d.
    expect(await text("9d 20% đang làm")).toContain("Đã ghi nhận");

    await importPlan(other, parsePlan(planText));
    expect(await text("9c 60% đang làm")).toContain("Đã ghi nhận");
    expect(await reports()).toBe(3);
  });
});
