// The second walk: IV.4 submits in the middle and its reminders stop; IV.8's go on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toIsoLocal } from "../../src/lib/time.ts";
import { submitReport } from "../helpers/bot-steps.ts";
import { createReminderRig, instant, outboxOf, type ReminderRig } from "../helpers/reminders-harness.ts";
import { ALL_POINTS, WALK_START, expectPolite, walk, type Walk } from "../helpers/reminders-walk.ts";

describe("walking again, IV.4 submits on Wednesday 9/12 at 10:00", () => {
  let rig: ReminderRig;
  let result: Walk;
  const submitAt = instant("2026-12-09T10:00").getTime();
  beforeAll(async () => {
    rig = await createReminderRig(WALK_START);
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
    await rig.bot.join("ldld", "IV.8", "Trần Công Đoàn");
    result = await walk(rig, async (at) => {
      if (at.getTime() === submitAt) await submitReport(rig.bot, "bhxh", "99/BC-BHXH");
    });
  }, 300_000);
  afterAll(async () => rig.close());

  it("IV.4 got T-30, T-14 and T-7, and nothing after submitting", async () => {
    expect(rig.deliverer.to("bhxh").map((d) => toIsoLocal(d.at))).toEqual(ALL_POINTS.slice(0, 3).map(([, at]) => at));
    const rows = await outboxOf(rig.bot, "bhxh");
    expect(rows.map((r) => [r.point, r.status])).toEqual([
      ["T-30", "sent"],
      ["T-14", "sent"],
      ["T-7", "sent"],
    ]);
    expect(await rig.db.submission.count()).toBe(1);
  });

  it("IV.8 kept getting all 15", async () => {
    expect(rig.deliverer.to("ldld").map((d) => toIsoLocal(d.at))).toEqual(ALL_POINTS.map(([, at]) => at));
    expectPolite(rig.deliverer.to("ldld").map((d) => d.at));
    expect((await outboxOf(rig.bot, "ldld")).every((r) => r.status === "sent")).toBe(true);
  });

  it("lists IV.4 as skipped 'submitted' at the points after the submission, and never due", () => {
    const after = result.results.filter(({ at }) => at.getTime() > submitAt);
    expect(after.map(({ at }) => toIsoLocal(at))).toEqual(ALL_POINTS.slice(3).map(([, at]) => at));
    for (const { result: r } of after) {
      expect(r.due.map((e) => e.agency)).toEqual(["IV.8"]);
      expect(r.skipped.filter((e) => e.agency === "IV.4")).toEqual(
        expect.arrayContaining([expect.objectContaining({ reason: "submitted", contactName: "Võ Thanh" })]),
      );
    }
  });
});
