// The outbox sender: retries with backoff, giving up, unreachable accounts, how failures reach the
// coordinators' digest, and quiet hours for the core's own notifications.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBotCore } from "../../src/core/bot.ts";
import { createOutboxNotifier } from "../../src/delivery/outbox.ts";
import { toIsoLocal } from "../../src/lib/time.ts";
import { texts } from "../helpers/bot.ts";
import { sendVia } from "../helpers/bot-steps.ts";
import {
  MINUTE,
  createReminderRig,
  instant,
  iso,
  outboxOf,
  reminderRow,
  type ReminderRig,
} from "../helpers/reminders-harness.ts";

const at = (local: string) => instant(local);
const attemptTimes = (rig: ReminderRig, user: string) =>
  rig.deliverer.attempts.filter((a) => a.target.userId === user).map((a) => [toIsoLocal(a.at), a.error]);

describe("a delivery that fails twice, then succeeds", () => {
  let rig: ReminderRig;
  beforeAll(async () => {
    rig = await createReminderRig("2026-11-30T09:00");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
    rig.deliverer.fail("delivery.failed", { userId: "bhxh", times: 2 });
  });
  afterAll(async () => rig.close());

  it("first attempt fails: pending, 1 attempt, next try a minute later", async () => {
    const result = await rig.tick("2026-12-01T08:00");
    expect(result.sent).toEqual([]);
    expect(result.due.map((e) => e.point)).toEqual(["T-14"]);
    const row = await reminderRow(rig.bot, "bhxh", "T-14");
    expect(row).toMatchObject({
      status: "pending",
      attempts: 1,
      nextAttemptAt: at("2026-12-01T08:01"),
      sentAt: null,
      claimedAt: null,
      claimedBy: null,
    });
    expect(row!.lastError).toContain("delivery.failed");
  });

  it("waits out the backoff: nothing at +30 s", async () => {
    const result = await rig.tick(new Date(at("2026-12-01T08:00").getTime() + 30_000));
    expect(result.sent).toEqual([]);
    expect(attemptTimes(rig, "bhxh")).toHaveLength(1);
    expect(await reminderRow(rig.bot, "bhxh", "T-14")).toMatchObject({ attempts: 1, status: "pending" });
  });

  it("second attempt at +1 min fails: next try 2 minutes later", async () => {
    expect((await rig.tick("2026-12-01T08:01")).sent).toEqual([]);
    expect(await reminderRow(rig.bot, "bhxh", "T-14")).toMatchObject({
      status: "pending",
      attempts: 2,
      nextAttemptAt: at("2026-12-01T08:03"),
    });
    expect((await rig.tick("2026-12-01T08:02")).sent).toEqual([]);
    expect(attemptTimes(rig, "bhxh")).toHaveLength(2);
  });

  it("third attempt succeeds: sent, 3 attempts, one successful delivery", async () => {
    const result = await rig.tick("2026-12-01T08:03");
    expect(result.sent.map((e) => [e.agency, e.point, e.dueAt])).toEqual([
      ["IV.4", "T-14", "2026-12-01T08:00:00+07:00"],
    ]);
    const row = await reminderRow(rig.bot, "bhxh", "T-14");
    expect(row).toMatchObject({
      status: "sent",
      attempts: 3,
      sentAt: at("2026-12-01T08:03"),
      lastError: null,
      platform: "test",
      platformMessageId: "fake-1",
    });
    await rig.tick("2026-12-01T08:10");
    await rig.tick("2026-12-01T09:00");
    expect(attemptTimes(rig, "bhxh")).toEqual([
      [iso("2026-12-01T08:00"), "delivery.failed"],
      [iso("2026-12-01T08:01"), "delivery.failed"],
      [iso("2026-12-01T08:03"), null],
    ]);
    expect(rig.deliverer.delivered).toHaveLength(1);
  });
});

describe("permanent failures and unreachable accounts, and the digest that reports them", () => {
  let rig: ReminderRig;
  beforeAll(async () => {
    rig = await createReminderRig("2026-11-30T09:00");
    await rig.bot.join("coord", null, "Điều Phối");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
    await rig.bot.join("ldld", "IV.8", "Trần Công Đoàn");
    rig.deliverer.fail("delivery.failed", { userId: "bhxh", reason: "network" });
    rig.deliverer.fail("delivery.unreachable", { userId: "ldld", reason: "blocked" });
  });
  afterAll(async () => rig.close());

  it("an unreachable account ends as 'unreachable' at once and the identity is marked", async () => {
    await rig.tick("2026-12-01T08:00");
    const row = await reminderRow(rig.bot, "ldld", "T-14");
    expect(row).toMatchObject({ status: "unreachable", attempts: 1, sentAt: null });
    expect(row!.lastError).toContain("delivery.unreachable");
    const identity = await rig.db.identity.findUniqueOrThrow({
      where: { platform_userId: { platform: "test", userId: "ldld" } },
    });
    expect(identity.unreachableAt).toEqual(at("2026-12-01T08:00"));
    // The reason in stable words; the platform's own text stays in the row's lastError.
    expect(identity.unreachableReason).toBe("blocked");
    expect(row!.failureReason).toBe("blocked");
    expect(attemptTimes(rig, "ldld")).toEqual([[iso("2026-12-01T08:00"), "delivery.unreachable"]]);
  });

  it("a failing one is tried 5 times with exponential backoff, then 'failed'", async () => {
    // 08:00 was the first attempt; the ticks in between must not try.
    const steps: [string, number, string][] = [
      ["2026-12-01T08:01", 2, "2026-12-01T08:03"],
      ["2026-12-01T08:03", 3, "2026-12-01T08:07"],
      ["2026-12-01T08:07", 4, "2026-12-01T08:15"],
      // A final failure keeps the moment it failed (what the digest selects on), not a retry time.
      ["2026-12-01T08:15", 5, "2026-12-01T08:15"],
    ];
    for (const [t, attempts, next] of steps) {
      await rig.tick(new Date(at(t).getTime() - MINUTE / 2));
      await rig.tick(t);
      expect(await reminderRow(rig.bot, "bhxh", "T-14"), t).toMatchObject({
        attempts,
        nextAttemptAt: at(next),
        status: attempts < 5 ? "pending" : "failed",
      });
    }
    for (const t of ["2026-12-01T08:31", "2026-12-01T09:00", "2026-12-01T12:00"]) await rig.tick(t);
    const row = await reminderRow(rig.bot, "bhxh", "T-14");
    expect(row).toMatchObject({ status: "failed", attempts: 5, sentAt: null });
    expect(attemptTimes(rig, "bhxh")).toEqual(
      ["08:00", "08:01", "08:03", "08:07", "08:15"].map((t) => [iso(`2026-12-01T${t}`), "delivery.failed"]),
    );
    expect(rig.deliverer.delivered).toEqual([]);
    // Meanwhile the unreachable row was left alone.
    expect(attemptTimes(rig, "ldld")).toHaveLength(1);
    expect(await reminderRow(rig.bot, "ldld", "T-14")).toMatchObject({ status: "unreachable", attempts: 1 });
  });

  it("the coordinator's digest that afternoon lists both deliveries", async () => {
    const result = await rig.tick("2026-12-01T16:30");
    expect(result.sent.map((e) => [e.kind, e.contactName])).toEqual([["digest", "Điều Phối"]]);
    const [digest] = rig.deliverer.to("coord");
    const text = digest!.message.text;
    expect(text).toContain("Tin nhắn không gửi được (2):");
    expect(text).toContain(
      "• Võ Thanh (BHXH Bảo hiểm xã hội tỉnh), lời nhắc (còn 14 ngày) lúc 01/12/2026 08:00: gửi lỗi (lỗi mạng), đã thử 5 lần, hệ thống không gửi lại nữa",
    );
    expect(text).toContain(
      "• Trần Công Đoàn (LDLD Liên đoàn Lao động tỉnh), lời nhắc (còn 14 ngày) lúc 01/12/2026 08:00: không liên lạc được, đã chặn bot",
    );
    expect((await outboxOf(rig.bot, "coord", "digest"))[0]).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("the next digest does not repeat them", async () => {
    await rig.tick("2026-12-02T16:30");
    const digests = rig.deliverer.to("coord");
    expect(digests.map((d) => toIsoLocal(d.at))).toEqual([iso("2026-12-01T16:30"), iso("2026-12-02T16:30")]);
    expect(digests[1]!.message.text).not.toContain("Tin nhắn không gửi được");
  });

  it("an account known to be unreachable is not tried again: the next reminder is 'unreachable' at once", async () => {
    await rig.tick("2026-12-08T08:00");
    expect(await reminderRow(rig.bot, "ldld", "T-7")).toMatchObject({ status: "unreachable", attempts: 1 });
    expect(attemptTimes(rig, "ldld")).toHaveLength(1);
    expect(await reminderRow(rig.bot, "bhxh", "T-7")).toMatchObject({ status: "pending", attempts: 1 });
    const digest = (await rig.tick("2026-12-08T16:30")).sent.filter((e) => e.kind === "digest");
    expect(digest).toHaveLength(1);
    expect(rig.deliverer.to("coord").at(-1)!.message.text).toContain(
      "• Trần Công Đoàn (LDLD Liên đoàn Lao động tỉnh), lời nhắc (còn 7 ngày) lúc 08/12/2026 08:00: không liên lạc được, đã chặn bot",
    );
  });
});

describe("two engines racing over failing deliveries", () => {
  // Seven contacts, every delivery failing. The engines share one connection (two better-sqlite3
  // connections in one thread would deadlock on SQLite's lock) but their queries interleave as
  // two processes' would: the one that skipped a claimed row runs ahead, the other catches up.
  const users = ["c1", "c2", "c3", "c5", "c6", "c7", "c8"];
  let rig: ReminderRig;
  beforeAll(async () => {
    rig = await createReminderRig("2026-11-30T09:00");
    for (const [i, user] of users.entries()) await rig.bot.join(user, `IV.${user.slice(1)}`, `Đầu mối ${i + 1}`);
    rig.deliverer.fail("delivery.failed");
  });
  afterAll(async () => rig.close());

  async function rows() {
    return rig.db.outboxMessage.findMany({ where: { point: "T-14" }, orderBy: { id: "asc" } });
  }

  it("tries each row once per instant and keeps its backoff and attempt count", async () => {
    const [a, b] = [rig.newEngine(), rig.newEngine()];
    const now = rig.at("2026-12-01T08:00");
    expect((await a.plan(now)).due).toHaveLength(7);
    const [ra, rb] = await Promise.all([a.send(now), b.send(now)]);
    expect(ra.retrying.length + rb.retrying.length).toBe(7);
    expect(rig.deliverer.attempts.map((x) => x.target.userId).sort()).toEqual(users);
    for (const row of await rows()) {
      expect(row).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: at("2026-12-01T08:01") });
    }

    const next = rig.at("2026-12-01T08:01");
    await Promise.all([a.send(next), b.send(next)]);
    expect(rig.deliverer.attempts).toHaveLength(14);
    for (const row of await rows()) {
      expect(row).toMatchObject({ status: "pending", attempts: 2, nextAttemptAt: at("2026-12-01T08:03") });
    }
  });
});

describe("quiet hours for the core's notifications", () => {
  let rig: ReminderRig;
  let core: ReturnType<typeof createBotCore>;
  beforeAll(async () => {
    rig = await createReminderRig("2026-12-02T20:00");
    await rig.bot.join("coord", null, "Điều Phối");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
    // This core pushes through the durable outbox, as the app's does.
    core = createBotCore({ ...rig.bot.deps, notifier: createOutboxNotifier({ db: rig.db, clock: rig.bot.clock }) });
  });
  afterAll(async () => rig.close());

  it("a /nhac at 22:00 is queued, not sent at 22:00 or 06:59, and sent at 07:00", async () => {
    rig.at("2026-12-02T22:00");
    const reply = texts(await sendVia(core, rig.bot.identity("coord", "Điều Phối"), "/nhac IV.4"));
    expect(reply).toContain("vì đang ngoài giờ, tin sẽ được gửi lúc 03/12/2026 07:00.");
    const [row, ...more] = await outboxOf(rig.bot, "bhxh");
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      kind: "nudge",
      status: "pending",
      attempts: 0,
      dueAt: at("2026-12-02T22:00"),
      nextAttemptAt: at("2026-12-02T22:00"),
    });
    expect(row!.key).toMatch(/^nudge:/);

    for (const t of ["2026-12-02T22:00", "2026-12-02T23:59", "2026-12-03T03:00", "2026-12-03T06:59"]) {
      const result = await rig.engine.send(rig.at(t));
      expect(result.sent, t).toEqual([]);
    }
    expect(rig.deliverer.attempts).toEqual([]);
    expect(await rig.db.outboxMessage.findUniqueOrThrow({ where: { id: row!.id } })).toMatchObject({
      status: "pending",
      attempts: 0,
    });

    const morning = await rig.engine.send(rig.at("2026-12-03T07:00"));
    expect(morning.sent.map((r) => r.id)).toEqual([row!.id]);
    expect(rig.deliverer.to("bhxh").map((d) => toIsoLocal(d.at))).toEqual([iso("2026-12-03T07:00")]);
    expect(rig.deliverer.to("bhxh")[0]!.message.text).toContain("🔔 Nhắc việc: kế hoạch yêu cầu Bảo hiểm xã hội tỉnh");
    expect(await rig.db.outboxMessage.findUniqueOrThrow({ where: { id: row!.id } })).toMatchObject({
      status: "sent",
      attempts: 1,
      sentAt: at("2026-12-03T07:00"),
    });
    await rig.engine.send(rig.at("2026-12-03T07:01"));
    expect(rig.deliverer.attempts).toHaveLength(1);
  });

  it("a notification queued in the evening before 21:00 goes out at once", async () => {
    rig.at("2026-12-03T20:59");
    await sendVia(core, rig.bot.identity("coord", "Điều Phối"), "/nhac IV.4");
    const result = await rig.engine.send(rig.at("2026-12-03T20:59"));
    expect(result.sent.map((r) => r.kind)).toEqual(["nudge"]);
    expect(rig.deliverer.to("bhxh").map((d) => toIsoLocal(d.at))).toEqual([
      iso("2026-12-03T07:00"),
      iso("2026-12-03T20:59"),
    ]);
  });
});

describe("the first digest of the season", () => {
  let rig: ReminderRig;
  beforeAll(async () => {
    rig = await createReminderRig("2026-11-10T09:00");
    await rig.bot.join("coord", null, "Điều Phối");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
    rig.deliverer.fail("delivery.unreachable", { userId: "bhxh" });
  });
  afterAll(async () => rig.close());

  it("reports a failure from weeks before, which nobody had been told of", async () => {
    await rig.tick("2026-11-13T08:00");
    expect(await reminderRow(rig.bot, "bhxh", "T-30")).toMatchObject({ status: "unreachable" });
    await rig.tick("2026-12-01T16:30");
    const [digest] = rig.deliverer.to("coord");
    expect(toIsoLocal(digest!.at)).toBe(iso("2026-12-01T16:30"));
    expect(digest!.message.text).toContain(
      "• Võ Thanh (BHXH Bảo hiểm xã hội tỉnh), lời nhắc (còn 30 ngày) lúc 13/11/2026 08:00: không liên lạc được",
    );
  });
});

describe("a contact deactivated with a message still queued", () => {
  let rig: ReminderRig;
  beforeAll(async () => {
    rig = await createReminderRig("2026-11-30T09:00");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
  });
  afterAll(async () => rig.close());

  it("is skipped as deactivated, not reported as unreachable", async () => {
    const now = rig.at("2026-12-01T08:00");
    await rig.engine.plan(now);
    const person = await rig.db.person.findFirstOrThrow({ where: { displayName: "Võ Thanh" } });
    await rig.db.person.update({ where: { id: person.id }, data: { active: false } });
    await rig.engine.send(now);
    expect(await reminderRow(rig.bot, "bhxh", "T-14")).toMatchObject({ status: "skipped", skipReason: "deactivated" });
    expect(rig.deliverer.attempts).toEqual([]);
  });
});

describe("a push for a platform that is not running", () => {
  let rig: ReminderRig;
  beforeAll(async () => {
    rig = await createReminderRig("2026-11-30T09:00");
    await rig.bot.join("coord", null, "Điều Phối");
    await rig.bot.join("ldld", "IV.8", "Trần Công Đoàn");
    // Trần Công Đoàn is on Zalo only, and no process here runs Zalo.
    await rig.db.identity.updateMany({ where: { userId: "ldld" }, data: { platform: "zalo" } });
  });
  afterAll(async () => rig.close());

  it("waits without an attempt, and the coordinators' digest lists it as not deliverable", async () => {
    const morning = await rig.tick("2026-12-01T08:00");
    expect(morning.sent).toEqual([]);
    const row = (await rig.db.outboxMessage.findMany({ where: { kind: "reminder", point: "T-14" } }))[0];
    expect(row).toMatchObject({ status: "pending", attempts: 0, heldReason: "no_platform" });

    await rig.tick("2026-12-01T16:30");
    const digest = rig.deliverer.to("coord").at(-1)!.message.text;
    expect(digest).toContain("Tin nhắn đang chờ vì nền tảng của người nhận chưa chạy (1):");
    expect(digest).toContain("• Trần Công Đoàn (LDLD Liên đoàn Lao động tỉnh): 1 tin, chờ Zalo");
    expect(digest).not.toContain("Tin nhắn không gửi được");
  });
});
