// A contact whose agency is in two plans due at the same reminder time gets one message covering
// both, not one per plan; a contact in one plan gets the reminder as before; nothing is planned twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPlan } from "../../src/plan/import-plan.ts";
import { parsePlan } from "../../src/plan/parse-plan.ts";
import { planDue } from "../../src/reminders/engine.ts";
import { VIEW_MAX_CHARS } from "../../src/domain/pages.ts";
import { parseIsoInstant } from "../../src/lib/time.ts";
import { createTestBot, texts, type TestBot } from "../helpers/bot.ts";
import { secondPlanText } from "../helpers/second-plan.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";

// The second plan of the province, with the same deadline as the first: their T-7 fall together.
const secondPlan = secondPlanText().replace("trước ngày 20/12.", "trước ngày 15/12.");
const T7 = parseIsoInstant("2026-12-08T08:00")!;

describe("one push per person per reminder time, across plans", () => {
  let bot: TestBot;
  let lan: number;

  beforeAll(async () => {
    bot = await createTestBot({ now: "2026-12-08T07:00" });
    await bot.join("lan", "IV.4", "Chị Lan");
    await bot.join("xa", "IV.9-25195", "Anh Xã");
    await bot.join("coord", null, "Điều phối");
    await importPlan(bot.db, parsePlan(secondPlan), { createAgencies: true });
    lan = (await bot.db.identity.findUniqueOrThrow({ where: { platform_userId: { platform: "test", userId: "lan" } } }))
      .personId;
  });
  afterAll(async () => bot.db.$disconnect());

  it("a dry run lists one merged push for the contact in both plans, and the plans' own as merged", async () => {
    const planned = await planDue(bot.db, T7, { dryRun: true });
    const lanDue = planned.due.filter((e) => e.contact === lan && e.kind === "reminder");
    expect(lanDue.map((e) => [e.plan, e.point])).toEqual([["BHXH26,BHYT26", "T-7"]]);
    // Earlier points (T-30, T-14) passed before the bot ran: expired, as with one plan.
    const lanSkipped = planned.skipped.filter((e) => e.contact === lan && e.reason !== "expired");
    expect(lanSkipped.map((e) => [e.plan, e.point, e.reason])).toEqual([
      ["BHXH26", "T-7", "merged"],
      ["BHYT26", "T-7", "merged"],
    ]);
    expect(await bot.db.outboxMessage.count()).toBe(0);
  });

  it("writes one message covering both plans, a line each, nearest first, and no row per plan carried", async () => {
    await planDue(bot.db, T7);
    const pending = await bot.db.outboxMessage.findMany({ where: { personId: lan, status: "pending" } });
    expect(pending).toHaveLength(1);
    const text = (JSON.parse(pending[0]!.payload) as { text: string }).text;
    expect(text).toContain("2 kế hoạch");
    const bhxh = text.indexOf("• BHXH26, trước ngày 15/12/2026 (còn 7 ngày): còn IV.4.a");
    expect(bhxh).toBeGreaterThan(0);
    expect(text.indexOf("• BHYT26, trước ngày 15/12/2026 (còn 7 ngày): còn IV.2.a")).toBeGreaterThan(bhxh);
    // The example names a plan, so the line it suggests is read in that plan.
    expect(text).toContain("Báo cáo nhanh (mã kế hoạch trước): BHXH26 IV.4.a 60% đang thực hiện");
    // The merged row is the record of what it carries: the plans' own pushes get no rows.
    expect(await bot.db.outboxMessage.count({ where: { personId: lan, point: "T-7" } })).toBe(1);
    // The commune's contact is in one plan: one reminder, as before.
    const xa = await bot.db.outboxMessage.findMany({
      where: { kind: "reminder", status: "pending", NOT: { personId: lan } },
    });
    expect(xa).toHaveLength(1);
    expect(xa[0]!.key).toMatch(/^reminder:\d+:\d+:\d+:T-7$/);
  });

  it("the example in a merged reminder is a line the bot reads in that plan", async () => {
    const replies = await bot.send("lan", "BHXH26 IV.4.a 60% đang thực hiện: đã hoàn thành rà soát 80 doanh nghiệp");
    expect(texts(replies)).toContain("Đã ghi nhận");
    const latest = await bot.db.dutyReport.findFirstOrThrow({
      where: { personId: lan },
      orderBy: { id: "desc" },
      include: { agency: { include: { plan: true } }, duty: true },
    });
    expect([latest.agency.plan.code, latest.duty.code, latest.percent]).toEqual(["BHXH26", "IV.4.a", 60]);
  });

  it("a second tick at the same time plans nothing more", async () => {
    const before = await bot.db.outboxMessage.count();
    const again = await planDue(bot.db, T7);
    expect(again.due.filter((e) => e.kind === "reminder")).toEqual([]);
    expect(await bot.db.outboxMessage.count()).toBe(before);
  });

  it("once one plan's submission leaves the other due alone, the merged push still covers it", async () => {
    const plan = await bot.db.plan.findUniqueOrThrow({ where: { code: "BHXH26" } });
    const agency = await bot.db.agency.findFirstOrThrow({ where: { planId: plan.id, code: "IV.4" } });
    await bot.db.submission.create({
      data: { agencyId: agency.id, personId: lan, submittedAt: T7, onTime: true },
    });
    const again = await planDue(bot.db, new Date(T7.getTime() + 30 * 60_000));
    expect(again.due.filter((e) => e.contact === lan)).toEqual([]);
    expect(await bot.db.outboxMessage.count({ where: { personId: lan, kind: "reminder", status: "pending" } })).toBe(1);
  });

  it("coordinators get one digest covering both plans", async () => {
    const coord = (
      await bot.db.identity.findUniqueOrThrow({ where: { platform_userId: { platform: "test", userId: "coord" } } })
    ).personId;
    await planDue(bot.db, parseIsoInstant("2026-12-08T16:30")!);
    const digests = await bot.db.outboxMessage.findMany({
      where: { personId: coord, kind: "digest", status: "pending" },
    });
    expect(digests).toHaveLength(1);
    const { text, choices } = JSON.parse(digests[0]!.payload) as OutgoingMessage;
    expect(text.split("\n")[0]).toBe(
      "📊 Tình hình báo cáo ngày 08/12/2026 của 2 kế hoạch Anh/Chị theo dõi (hạn gần nhất trước):",
    );
    // One plan's buttons would act in that plan alone: the merged digest opens /quahan over all of them.
    expect(choices).toEqual([[{ label: "Chưa nộp, theo kế hoạch", value: "plans:quahan:1" }]]);
    const opened = texts(await bot.choose("coord", choices![0]![0]!.value));
    expect(opened).toContain("BHXH26");
    expect(opened).toContain("BHYT26");
    const bhxh = text.indexOf(
      "• BHXH26, trước ngày 15/12/2026 (còn 7 ngày): đã nộp 1/9 cơ quan, 0/95 đơn vị thành viên",
    );
    expect(bhxh).toBeGreaterThan(0);
    expect(text.indexOf("• BHYT26, trước ngày 15/12/2026 (còn 7 ngày): đã nộp 0/")).toBeGreaterThan(bhxh);
    expect(text.length).toBeLessThanOrEqual(VIEW_MAX_CHARS);
    expect(await bot.db.outboxMessage.count({ where: { personId: coord, kind: "digest" } })).toBe(1);
  });

  it("a merged digest with many new difficulties still fits one screen and says how many it leaves out", async () => {
    const plan = await bot.db.plan.findUniqueOrThrow({ where: { code: "BHYT26" } });
    const agency = await bot.db.agency.findFirstOrThrow({ where: { planId: plan.id, code: "IV.2" } });
    await bot.db.difficulty.createMany({
      data: Array.from({ length: 30 }, (_, i) => ({
        agencyId: agency.id,
        text: `Vướng mắc số ${i + 1}: chưa có hướng dẫn chi tiết về việc đối chiếu dữ liệu người tham gia bảo hiểm`,
        createdAt: parseIsoInstant("2026-12-10T10:00")!,
      })),
    });
    await planDue(bot.db, parseIsoInstant("2026-12-10T16:30")!);
    const digest = await bot.db.outboxMessage.findFirstOrThrow({
      where: { kind: "digest", point: "digest-2026-12-10", key: { startsWith: "merged:" } },
    });
    const text = (JSON.parse(digest.payload) as { text: string }).text;
    expect(text.length).toBeLessThanOrEqual(VIEW_MAX_CHARS);
    expect(text).toContain("; 30 vướng mắc mới");
    expect(text).toContain("Vướng mắc mới (30):");
    const shown = text.match(/^BHYT26 • #\d+ /gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(0);
    expect(text).toContain(`… và ${30 - shown} vướng mắc khác: gõ /dsvuongmac để xem.`);
  });

  it("/theodoi narrows a coordinator's digest and views to the plans followed; /theodoi tatca widens them again", async () => {
    const coord = (
      await bot.db.identity.findUniqueOrThrow({ where: { platform_userId: { platform: "test", userId: "coord" } } })
    ).personId;
    expect(texts(await bot.send("coord", "/theodoi"))).toContain("mọi kế hoạch");
    expect(texts(await bot.send("coord", "/theodoi bhyt26"))).toContain("chỉ gồm: BHYT26");
    expect(texts(await bot.send("coord", "/tongquan"))).toContain("Sở Y tế");
    await planDue(bot.db, parseIsoInstant("2026-12-09T16:30")!);
    const digests = await bot.db.outboxMessage.findMany({
      where: { personId: coord, kind: "digest", point: "digest-2026-12-09" },
    });
    expect(digests.map((d) => [d.status, d.planId])).toEqual([
      ["pending", (await bot.db.plan.findUniqueOrThrow({ where: { code: "BHYT26" } })).id],
    ]);
    expect(texts(await bot.send("coord", "/theodoi XX99"))).toContain("BHXH26, BHYT26");
    expect(texts(await bot.send("coord", "/theodoi tatca"))).toContain("mọi kế hoạch");
    expect(texts(await bot.send("coord", "/tongquan"))).not.toContain("Sở Y tế");
  });
});
