// Walks the real 2026 calendar tick by tick, the way the cron would, and checks exactly when each
// contact was reminded. Nothing waits on the wall clock: every tick gets its instant. A tick costs
// about 10 ms, so the walk ticks every hour plus 16:30 (the digest time) rather than every half
// hour: ~1,500 ticks per walk instead of ~2,900; 08:00, 21:00 and 07:00 are all on the hour.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toIsoLocal } from "../../src/lib/time.ts";
import { createReminderRig, outboxOf, type ReminderRig } from "../helpers/reminders-harness.ts";
import { ALL_POINTS, WALK_START, expectPolite, walk, type Walk } from "../helpers/reminders-walk.ts";

describe("walking November and December 2026, nobody submits", () => {
  let rig: ReminderRig;
  let result: Walk;
  beforeAll(async () => {
    rig = await createReminderRig(WALK_START);
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
    await rig.bot.join("ldld", "IV.8", "Trần Công Đoàn");
    result = await walk(rig);
  }, 300_000);
  afterAll(async () => rig.close());

  it("ticked every hour of the 61 days and at 16:30", () => {
    expect(result.ticks).toBe(61 * 25);
  });

  it("reminded each contact at exactly the 15 expected instants, in order", () => {
    for (const user of ["bhxh", "ldld"]) {
      const got = rig.deliverer.to(user).map((d) => toIsoLocal(d.at));
      expect(got, user).toEqual(ALL_POINTS.map(([, at]) => at));
    }
    // Nothing else was attempted: no failures, nobody else reached.
    expect(rig.deliverer.attempts).toHaveLength(30);
  });

  it("never on a weekend, never at night, never twice", () => {
    for (const user of ["bhxh", "ldld"]) expectPolite(rig.deliverer.to(user).map((d) => d.at));
  });

  it("stored one sent row per contact and point, sent at its due instant on the first attempt", async () => {
    for (const user of ["bhxh", "ldld"]) {
      const rows = await outboxOf(rig.bot, user);
      expect(rows.map((r) => [r.kind, r.point, toIsoLocal(r.dueAt)])).toEqual(
        ALL_POINTS.map(([label, at]) => ["reminder", label, at]),
      );
      for (const r of rows) {
        expect(r).toMatchObject({ status: "sent", attempts: 1, skipReason: null, lastError: null });
        expect(r.sentAt).toEqual(r.dueAt);
        expect(r.key).toMatch(new RegExp(`^reminder:\\d+:\\d+:${r.personId}:${r.point}$`));
      }
      expect(new Set(rows.map((r) => r.key)).size).toBe(15);
    }
    expect(await rig.db.outboxMessage.count()).toBe(30);
  });

  it("each tick's result lists what it sent, with the point and the agency", () => {
    const sent = result.results.flatMap(({ at, result: r }) =>
      r.sent.map((e) => [toIsoLocal(at), e.agency, e.point, e.dueAt]),
    );
    expect(sent).toHaveLength(30);
    for (const [at, , , dueAt] of sent) expect(at).toBe(dueAt);
    expect(sent.filter(([, agency]) => agency === "IV.8").map(([, , point]) => point)).toEqual(
      ALL_POINTS.map(([label]) => label),
    );
  });

  it("asks the requested body (IV.8) and requires the assigned agency (IV.4)", () => {
    for (const d of rig.deliverer.to("ldld")) {
      expect(d.message.text).toContain("kế hoạch đề nghị Liên đoàn Lao động tỉnh báo cáo");
      expect(d.message.text).not.toContain("kế hoạch yêu cầu");
    }
    for (const d of rig.deliverer.to("bhxh")) {
      expect(d.message.text).toContain("kế hoạch yêu cầu Bảo hiểm xã hội tỉnh báo cáo");
      expect(d.message.text).not.toContain("kế hoạch đề nghị");
    }
    const [first] = rig.deliverer.to("bhxh");
    expect(first!.message.text).toContain("trước ngày 15/12/2026");
    expect(first!.message.choices?.flat().map((c) => c.value)).toEqual(["start:report", "start:submit"]);
    expect(first!.target).toMatchObject({
      platform: "test",
      userId: "bhxh",
      chatId: "chat-bhxh",
      displayName: "Võ Thanh",
    });
  });

  it("had no report during the walk, so no reminder could have been skipped as recent_report", async () => {
    expect(await rig.db.dutyReport.count()).toBe(0);
    const reasons = new Set(
      result.results.flatMap(({ result: r }) => r.skipped.filter((s) => s.contact !== null).map((s) => s.reason)),
    );
    expect(reasons).toEqual(new Set());
  });
});
