// `/kehoach`, the combined views and `plan list` count each plan's agencies and submissions in the
// database; the counts must be those of each plan's status, with groups, superseded and reopened
// submissions, and withdrawn agencies as the status sees them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMembers } from "../../src/plan/members.ts";
import { planSummaries } from "../../src/services/plan-service.ts";
import { loadPlanStatus } from "../../src/services/status-service.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { importSecondPlan } from "../helpers/second-plan.ts";

describe("planSummaries", () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await createTestBot({ now: "2026-12-08T09:00" });
    await importSecondPlan(bot.db);
    const at = bot.clock.now();
    const plan = (code: string) => bot.db.plan.findUniqueOrThrow({ where: { code } });
    const [bhxh, bhyt] = [await plan("BHXH26"), await plan("BHYT26")];
    const agency = (planId: number, code: string) => bot.db.agency.findFirstOrThrow({ where: { planId, code } });
    const submit = (agencyId: number, extra: object = {}) =>
      bot.db.submission.create({ data: { agencyId, submittedAt: at, onTime: true, ...extra } });
    // BHXH26: IV.1 submitted; IV.2 submitted then superseded by nothing current; IV.3 reopened;
    // three of the 95 communes under IV.9; IV.8 withdrawn.
    await submit((await agency(bhxh.id, "IV.1")).id);
    await submit((await agency(bhxh.id, "IV.2")).id, { supersededAt: at });
    await submit((await agency(bhxh.id, "IV.3")).id, { reopenedAt: at });
    const communes = await bot.db.agency.findMany({ where: { planId: bhxh.id, parent: { code: "IV.9" } }, take: 3 });
    for (const c of communes) await submit(c.id);
    await bot.db.agency.update({ where: { id: (await agency(bhxh.id, "IV.8")).id }, data: { withdrawn: true } });
    // BHYT26: three communes under its group (IV.4), all submitted, so the group counts as submitted.
    const units = await bot.db.directoryAgency.findMany({ where: { id: { in: communes.map((c) => c.directoryId) } } });
    await addMembers(
      bot.db,
      bhyt.id,
      "IV.4",
      units.map((u) => ({ ma: u.code, ten: u.name })),
    );
    const group = await agency(bhyt.id, "IV.4");
    const members = await bot.db.agency.findMany({ where: { parentId: group.id } });
    await bot.db.submission.createMany({
      data: members.map((m) => ({ agencyId: m.id, submittedAt: at, onTime: true })),
    });
  });
  afterAll(async () => bot.db.$disconnect());

  it("counts as each plan's status does", async () => {
    const summaries = await planSummaries(bot.db);
    expect(summaries.map((s) => s.plan.code)).toEqual(["BHXH26", "BHYT26"]);
    for (const s of summaries) {
      const status = await loadPlanStatus(bot.db, s.plan);
      const top = status.agencies.filter((a) => a.agency.parentId === null);
      const duties = await bot.db.duty.count({ where: { agency: { planId: s.plan.id }, withdrawn: false } });
      expect(s, s.plan.code).toEqual({
        plan: s.plan,
        agencies: top.length,
        duties,
        submitted: top.filter((a) => a.submitted).length,
        members: top.reduce((n, a) => n + a.memberCount, 0),
        membersSubmitted: top.reduce((n, a) => n + a.membersSubmitted, 0),
      });
    }
  });

  it("gives the figures the plans hold", async () => {
    const [bhxh, bhyt] = await planSummaries(bot.db);
    // Nine agencies less the withdrawn IV.8; IV.1 alone has a current submission.
    expect([bhxh!.agencies, bhxh!.submitted, bhxh!.members, bhxh!.membersSubmitted]).toEqual([8, 1, 95, 3]);
    expect([bhyt!.submitted, bhyt!.members, bhyt!.membersSubmitted]).toEqual([1, 3, 3]);
  });
});
