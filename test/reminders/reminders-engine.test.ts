// The reminder engine on a real database: idempotence across ticks, processes and restarts; points
// that are too old; the reasons a reminder is skipped; the coordinators' afternoon digest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../src/db/db.ts";
import type { ReminderEntry } from "../../src/reminders/engine.ts";
import { toIsoLocal } from "../../src/lib/time.ts";
import { texts } from "../helpers/bot.ts";
import { submitReport } from "../helpers/bot-steps.ts";
import { tableSnapshot } from "../helpers/db.ts";
import {
  createReminderRig,
  engineOver,
  instant,
  iso,
  outboxOf,
  personId,
  reminderRow,
  type ReminderRig,
} from "../helpers/reminders-harness.ts";

const brief = (entries: ReminderEntry[]) => entries.map((e) => [e.agency, e.contactName, e.point, e.reason ?? null]);

describe("idempotence", () => {
  let rig: ReminderRig;
  const others: Db[] = [];
  beforeAll(async () => {
    rig = await createReminderRig("2026-11-30T09:00");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
  });
  afterAll(async () => {
    for (const db of others) await db.$disconnect();
    await rig.close();
  });

  /** A second process: its own Prisma client on the same SQLite file, its own engine. */
  function otherProcess() {
    const db = createDb(rig.bot.url);
    others.push(db);
    return engineOver(db, rig.bot.clock, rig.deliverer);
  }

  it("ticking twice at the same instant delivers the reminder once, with one row for its key", async () => {
    const first = await rig.tick("2026-12-01T08:00");
    expect(brief(first.sent)).toEqual([["IV.4", "Võ Thanh", "T-14", null]]);
    expect(brief(first.due)).toEqual([["IV.4", "Võ Thanh", "T-14", null]]);
    const again = await rig.tick("2026-12-01T08:00");
    expect(again.sent).toEqual([]);
    expect(again.due).toEqual([]);

    expect(rig.deliverer.to("bhxh").map((d) => toIsoLocal(d.at))).toEqual([iso("2026-12-01T08:00")]);
    const row = await reminderRow(rig.bot, "bhxh", "T-14");
    expect(row).toMatchObject({ status: "sent", attempts: 1, sentAt: instant("2026-12-01T08:00") });
    expect(await rig.db.outboxMessage.count({ where: { key: row!.key } })).toBe(1);
  });

  it("a second process ticking at the same instant, after or alongside the first, sends nothing more", async () => {
    // Later, same instant, another connection: already sent.
    expect((await otherProcess().tick(instant("2026-12-01T08:00"))).sent).toEqual([]);
    // T-7 with two engines racing, their queries interleaved. They share one connection: two
    // better-sqlite3 connections in one thread would deadlock on SQLite's lock, which separate
    // processes do not.
    const a = rig.newEngine();
    const b = rig.newEngine();
    const t7 = rig.at("2026-12-08T08:00");
    const [ra, rb] = await Promise.all([a.tick(t7), b.tick(t7)]);
    expect([...ra.sent, ...rb.sent].map((e) => e.point)).toEqual(["T-7"]);
    expect(rig.deliverer.to("bhxh").map((d) => toIsoLocal(d.at))).toEqual([
      iso("2026-12-01T08:00"),
      iso("2026-12-08T08:00"),
    ]);
    expect(await rig.db.outboxMessage.count({ where: { point: "T-7" } })).toBe(1);
    expect(await reminderRow(rig.bot, "bhxh", "T-7")).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("a process killed between planning and sending: the restarted one sends exactly once", async () => {
    const now = rig.at("2026-12-11T08:00");
    const planned = await rig.engine.plan(now);
    expect(brief(planned.due)).toEqual([["IV.4", "Võ Thanh", "T-3", null]]);
    expect(rig.deliverer.to("bhxh")).toHaveLength(2);
    expect(await reminderRow(rig.bot, "bhxh", "T-3")).toMatchObject({
      status: "pending",
      attempts: 0,
      sentAt: null,
      dueAt: now,
      nextAttemptAt: now,
    });

    const restarted = otherProcess();
    const result = await restarted.tick(now);
    expect(result.due).toEqual([]); // already planned before the "crash"
    expect(brief(result.sent)).toEqual([["IV.4", "Võ Thanh", "T-3", null]]);
    expect(rig.deliverer.to("bhxh").map((d) => toIsoLocal(d.at))).toEqual([
      iso("2026-12-01T08:00"),
      iso("2026-12-08T08:00"),
      iso("2026-12-11T08:00"),
    ]);
    expect(await reminderRow(rig.bot, "bhxh", "T-3")).toMatchObject({ status: "sent", attempts: 1, sentAt: now });
    expect((await otherProcess().tick(now)).sent).toEqual([]);
    expect(rig.deliverer.to("bhxh")).toHaveLength(3);
  });

  it("a process killed mid-send leaves a claim that another takes over once its heartbeat is 30 s old", async () => {
    const now = rig.at("2026-12-14T08:00");
    await rig.engine.plan(now);
    const row = await reminderRow(rig.bot, "bhxh", "T-1");
    await rig.db.processHeartbeat.create({
      data: { id: "dead", host: "h", pid: 1, platforms: "test", startedAt: now, beatAt: now },
    });
    await rig.db.outboxMessage.update({ where: { id: row!.id }, data: { claimedAt: now, claimedBy: "dead" } });

    // One surviving process ticks throughout: a fresh process at each instant would also wait for
    // the platform lease the previous one renewed, by however long its pass really took.
    const survivor = otherProcess();
    // The pass judges liveness as it runs (its instant plus the time it has taken), so the last look
    // stays a little short of 30 s: a pass that took 1 ms at exactly 30 s is rightly past it.
    for (const offset of [0, 10_000, 29_900]) {
      const at = new Date(now.getTime() + offset);
      expect((await survivor.tick(at)).sent, `+${offset} ms`).toEqual([]);
    }
    expect(rig.deliverer.to("bhxh")).toHaveLength(3);
    const later = new Date(now.getTime() + 30_001);
    const result = await survivor.tick(rig.at(later));
    expect(brief(result.sent)).toEqual([["IV.4", "Võ Thanh", "T-1", null]]);
    expect(rig.deliverer.to("bhxh").at(-1)!.at).toEqual(later);
    expect(await reminderRow(rig.bot, "bhxh", "T-1")).toMatchObject({
      status: "sent",
      attempts: 1,
      claimedAt: null,
      claimedBy: null,
      sentAt: later,
    });
  });

  it("plan with dryRun lists what is due and writes nothing", async () => {
    const now = rig.at("2026-12-15T08:00");
    const before = await tableSnapshot(rig.db);
    const result = await rig.engine.plan(now, { dryRun: true });
    expect(brief(result.due)).toEqual([["IV.4", "Võ Thanh", "overdue-1", null]]);
    expect(result.due[0]).toMatchObject({
      kind: "reminder",
      dueAt: "2026-12-15T08:00:00+07:00",
      contact: expect.any(Number),
    });
    expect(await tableSnapshot(rig.db)).toEqual(before);
    expect(rig.deliverer.to("bhxh")).toHaveLength(4);
  });
});

describe("points that are too old are recorded as expired, never sent", () => {
  let rig: ReminderRig;
  beforeAll(async () => {
    rig = await createReminderRig("2026-11-24T08:30");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
  });
  afterAll(async () => rig.close());

  it("a bot started on 24/11 skips T-30 of 13/11 as expired and stores it as skipped", async () => {
    const dry = await rig.engine.plan(instant("2026-11-24T09:00"), { dryRun: true });
    expect(brief(dry.skipped)).toContainEqual(["IV.4", "Võ Thanh", "T-30", "expired"]);
    expect(await rig.db.outboxMessage.count()).toBe(0);

    const result = await rig.tick("2026-11-24T09:00");
    expect(result.sent).toEqual([]);
    expect(result.due).toEqual([]);
    expect(brief(result.skipped.filter((e) => e.contact !== null))).toEqual([["IV.4", "Võ Thanh", "T-30", "expired"]]);
    expect(result.skipped.find((e) => e.reason === "expired")).toMatchObject({
      dueAt: "2026-11-13T08:00:00+07:00",
      contact: await personId(rig.bot, "bhxh"),
    });
    const row = await reminderRow(rig.bot, "bhxh", "T-30");
    expect(row).toMatchObject({
      kind: "reminder",
      status: "skipped",
      skipReason: "expired",
      attempts: 0,
      sentAt: null,
      dueAt: instant("2026-11-13T08:00"),
    });
    expect(row!.key).toMatch(/^reminder:\d+:\d+:\d+:T-30$/);
    expect(rig.deliverer.attempts).toEqual([]);
  });

  it("later ticks neither list it again nor send it", async () => {
    for (const at of ["2026-11-24T09:30", "2026-11-25T08:00", "2026-11-30T10:00"]) {
      const result = await rig.tick(at);
      expect(
        result.skipped.filter((e) => e.contact !== null),
        at,
      ).toEqual([]);
      expect(result.sent, at).toEqual([]);
    }
    expect(rig.deliverer.attempts).toEqual([]);
    expect(await rig.db.outboxMessage.count()).toBe(1);
  });

  it("a point up to 12 hours late is still sent (T-14 at 19:00 for 08:00)", async () => {
    const result = await rig.tick("2026-12-01T19:00");
    expect(brief(result.sent)).toEqual([["IV.4", "Võ Thanh", "T-14", null]]);
    expect(rig.deliverer.to("bhxh").map((d) => toIsoLocal(d.at))).toEqual([iso("2026-12-01T19:00")]);
    expect(await reminderRow(rig.bot, "bhxh", "T-14")).toMatchObject({
      status: "sent",
      dueAt: instant("2026-12-01T08:00"),
      sentAt: instant("2026-12-01T19:00"),
    });
  });

  it("exactly 12 hours late is sent, a minute more is expired", async () => {
    expect(brief((await rig.tick("2026-12-08T20:00")).sent)).toEqual([["IV.4", "Võ Thanh", "T-7", null]]);
    const late = await rig.tick("2026-12-11T20:01");
    expect(late.sent).toEqual([]);
    expect(brief(late.skipped.filter((e) => e.contact !== null))).toEqual([["IV.4", "Võ Thanh", "T-3", "expired"]]);
    expect(await reminderRow(rig.bot, "bhxh", "T-3")).toMatchObject({ status: "skipped", skipReason: "expired" });
    expect(rig.deliverer.to("bhxh")).toHaveLength(2);
  });
});

describe("skip reasons on T-14 (1/12 08:00)", () => {
  let rig: ReminderRig;
  const users = {
    bhxh: ["IV.4", "Võ Thanh"],
    thue: ["IV.5", "Lê Thuế"],
    bql: ["IV.6", "Phạm Khu"],
    stc: ["IV.2", "Ngô Tài"],
    ldld: ["IV.8", "Trần Công Đoàn"],
    xa: ["IV.9-25195", "Đỗ Bình Phước"],
  } as const;
  let at0800: Awaited<ReturnType<ReminderRig["tick"]>>;

  beforeAll(async () => {
    rig = await createReminderRig("2026-11-25T09:00");
    await rig.bot.join("coord", null, "Điều Phối");
    for (const [user, [agency, name]] of Object.entries(users)) await rig.bot.join(user, agency, name);
    rig.at("2026-11-26T10:00");
    await submitReport(rig.bot, "thue");
    rig.at("2026-11-27T10:00");
    expect(texts(await rig.bot.send("stc", "2a 50%"))).toContain("IV.2.a");
    rig.at("2026-11-29T10:00");
    expect(texts(await rig.bot.send("bql", "6a 50%"))).toContain("IV.6.a");
    rig.at("2026-11-30T09:00");
    expect(texts(await rig.bot.send("coord", "/tamdung IV.4 02/12"))).toContain("đến hết ngày 02/12/2026");
    expect(texts(await rig.bot.send("coord", "/tamdung IV.9 02/12"))).toContain("đến hết ngày 02/12/2026");
    at0800 = await rig.tick("2026-12-01T08:00");
  });
  afterAll(async () => rig.close());

  const t14 = (entries: ReminderEntry[]) => entries.filter((e) => e.point === "T-14" && e.kind === "reminder");

  it("sends only to the contacts with nothing to skip", async () => {
    expect(brief(at0800.sent)).toEqual([
      ["IV.2", "Ngô Tài", "T-14", null],
      ["IV.8", "Trần Công Đoàn", "T-14", null],
    ]);
    expect(rig.deliverer.delivered.map((d) => d.target.userId).sort()).toEqual(["ldld", "stc"]);
    for (const user of ["bhxh", "thue", "bql", "xa"]) expect(await reminderRow(rig.bot, user, "T-14"), user).toBeNull();
    for (const user of ["stc", "ldld"]) {
      expect(await reminderRow(rig.bot, user, "T-14"), user).toMatchObject({ status: "sent", skipReason: null });
    }
  });

  it("gives the reason for each skipped contact", () => {
    const skipped = brief(t14(at0800.skipped));
    expect(skipped).toContainEqual(["IV.4", "Võ Thanh", "T-14", "paused"]);
    expect(skipped).toContainEqual(["IV.5", "Lê Thuế", "T-14", "submitted"]);
    // Reported 29/11, less than 3 days before 1/12 08:00.
    expect(skipped).toContainEqual(["IV.6", "Phạm Khu", "T-14", "recent_report"]);
    // A commune is paused through its group.
    expect(skipped).toContainEqual(["IV.9-25195", "Đỗ Bình Phước", "T-14", "paused"]);
    expect(skipped).toContainEqual(["IV.9-25210", null, "T-14", "paused"]);
    // No contact at all.
    expect(skipped).toContainEqual(["IV.1", null, "T-14", "no_contact"]);
    expect(skipped).toContainEqual(["IV.3", null, "T-14", "no_contact"]);
    // Reported 27/11: more than 3 days before, so reminded (listed above as sent, not here).
    expect(skipped.filter(([agency]) => agency === "IV.2" || agency === "IV.8")).toEqual([]);
    expect(t14(at0800.skipped)).toHaveLength(8 - 2 + 95);
  });

  it("/tieptuc restores the paused agency's reminder at the next tick", async () => {
    rig.at("2026-12-01T08:30");
    expect(texts(await rig.bot.send("coord", "/tieptuc IV.4"))).toContain("Đã bật lại nhắc việc");
    const result = await rig.tick("2026-12-01T09:00");
    expect(brief(result.sent)).toEqual([["IV.4", "Võ Thanh", "T-14", null]]);
    expect(await reminderRow(rig.bot, "bhxh", "T-14")).toMatchObject({
      status: "sent",
      sentAt: instant("2026-12-01T09:00"),
      dueAt: instant("2026-12-01T08:00"),
    });
    expect(rig.deliverer.to("bhxh").map((d) => toIsoLocal(d.at))).toEqual([iso("2026-12-01T09:00")]);
    // The others are unchanged.
    const skipped = brief(t14(result.skipped));
    expect(skipped).toContainEqual(["IV.9-25195", "Đỗ Bình Phước", "T-14", "paused"]);
    expect(skipped).toContainEqual(["IV.5", "Lê Thuế", "T-14", "submitted"]);
    expect(skipped.filter(([agency]) => agency === "IV.4")).toEqual([]);
    expect(rig.deliverer.delivered).toHaveLength(3);
  });

  it("the pause ends after its last day: T-7 reaches the commune", async () => {
    const result = await rig.tick("2026-12-08T08:00");
    expect(result.sent.map((e) => e.agency).sort()).toEqual(["IV.2", "IV.4", "IV.6", "IV.8", "IV.9-25195"]);
    expect(await reminderRow(rig.bot, "xa", "T-7")).toMatchObject({ status: "sent" });
    // The same agency is named alike in what was due and what was sent.
    const named = (entries: ReminderEntry[]) =>
      entries.filter((e) => e.agency?.startsWith("IV.9") || e.agency === "IV.4").map((e) => [e.agency, e.agencyName]);
    expect(named(result.sent)).toEqual(named(result.due));
    expect(named(result.sent)).toContainEqual(["IV.4", "Bảo hiểm xã hội tỉnh"]);
    expect(await reminderRow(rig.bot, "thue", "T-7")).toBeNull();
  });
});

describe("the coordinators' digest", () => {
  let rig: ReminderRig;
  const digestsTo = (user: string) => rig.deliverer.to(user).filter((d) => d.message.text.startsWith("📊"));

  beforeAll(async () => {
    rig = await createReminderRig("2026-11-20T09:00");
    await rig.bot.join("coord", null, "Điều Phối");
    await rig.bot.join("coord2", null, "Phó Điều Phối");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
    await rig.bot.join("ldld", "IV.8", "Trần Công Đoàn");
  });
  afterAll(async () => rig.close());

  it("has none on 20/11, before the 14-day window", async () => {
    const result = await rig.tick("2026-11-20T16:30");
    expect(result.due.filter((e) => e.kind === "digest")).toEqual([]);
    expect(await rig.db.outboxMessage.count({ where: { kind: "digest" } })).toBe(0);
    expect(digestsTo("coord")).toEqual([]);
  });

  it("on 2/12 at 16:30 sends each coordinator the counts, who is missing and the new difficulties", async () => {
    rig.at("2026-11-30T10:00");
    await rig.bot.send("ldld", "/vuongmac Vướng mắc cũ đã báo từ tuần trước");
    rig.at("2026-12-02T09:30");
    await submitReport(rig.bot, "bhxh");
    rig.at("2026-12-02T10:00");
    expect(texts(await rig.bot.send("ldld", "/vuongmac Chưa nhận được số liệu lao động từ doanh nghiệp"))).toMatch(
      /#\d+/,
    );

    expect((await rig.tick("2026-12-02T16:00")).due.filter((e) => e.kind === "digest")).toEqual([]);
    const result = await rig.tick("2026-12-02T16:30");
    expect(result.sent.filter((e) => e.kind === "digest").map((e) => [e.contactName, e.point, e.dueAt])).toEqual([
      ["Điều Phối", "digest-2026-12-02", "2026-12-02T16:30:00+07:00"],
      ["Phó Điều Phối", "digest-2026-12-02", "2026-12-02T16:30:00+07:00"],
    ]);

    const [digest, ...more] = digestsTo("coord");
    expect(more).toEqual([]);
    expect(toIsoLocal(digest!.at)).toBe(iso("2026-12-02T16:30"));
    const text = digest!.message.text;
    expect(text).toContain("📊 Tình hình báo cáo ngày 02/12/2026 (hạn trước ngày 15/12/2026");
    expect(text).toContain("Cơ quan, đơn vị cấp tỉnh: 1/8 đã nộp báo cáo");
    expect(text).toContain("IV.9 Ủy ban nhân dân cấp xã: 0/95 đã nộp báo cáo");
    expect(text).toContain("Chưa nộp báo cáo (8 cơ quan):");
    expect(text).toContain("• IV.8 Liên đoàn Lao động tỉnh");
    expect(text).toContain("• IV.1 Sở Nội vụ");
    // The communes on one line, with how many have nobody to remind; /quahan lists them.
    expect(text).toMatch(/• IV\.9 Ủy ban nhân dân cấp xã: 95\/95 đơn vị chưa nộp báo cáo; \d+ đơn vị chưa có đầu mối/);
    expect(text).not.toContain("IV.9-25195");
    expect(text.length).toBeLessThanOrEqual(1500);
    expect(text).not.toContain("Bảo hiểm xã hội tỉnh");
    expect(text).toContain("Vướng mắc mới (1):");
    expect(text).toContain("IV.8 Liên đoàn Lao động tỉnh: Chưa nhận được số liệu lao động từ doanh nghiệp");
    expect(text).not.toContain("Vướng mắc cũ");
    expect(text).not.toContain("Tin nhắn không gửi được");
    expect(digestsTo("coord2")[0]!.message.text).toBe(text);
    expect(digestsTo("bhxh")).toEqual([]);

    // What to do next is a button away, as in /quahan: the full list, and the communes' own.
    const choices = (digest!.message.choices ?? []).flat();
    expect(choices.map((c) => c.label)).toEqual(["Danh sách chưa nộp (8)", "Danh sách IV.9 (95)"]);
    const overdue = texts(await rig.bot.choose("coord", choices[0]!.value));
    expect(overdue).toMatch(/^8 cơ quan chưa nộp báo cáo \(hạn trước ngày 15\/12\/2026/);
    const members = texts(await rig.bot.choose("coord", choices[1]!.value));
    expect(members).toContain("IV.9 Ủy ban nhân dân cấp xã: 95 đơn vị chưa nộp báo cáo, 95 đơn vị chưa có đầu mối:");

    const rows = await outboxOf(rig.bot, "coord", "digest");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: "sent",
      attempts: 1,
      point: "digest-2026-12-02",
      dueAt: instant("2026-12-02T16:30"),
      sentAt: instant("2026-12-02T16:30"),
    });
    expect(rows[0]!.key).toBe(`digest:${rows[0]!.planId}:${await personId(rig.bot, "coord")}:2026-12-02`);
  });

  it("is sent once however often the cron ticks", async () => {
    await rig.tick("2026-12-02T17:00");
    await rig.tick("2026-12-02T20:59");
    expect(digestsTo("coord")).toHaveLength(1);
    expect(await rig.db.outboxMessage.count({ where: { kind: "digest" } })).toBe(2);
  });

  it("has none on Saturday 5/12, and the next working day's lists only what is new since the last one", async () => {
    const friday = await rig.tick("2026-12-04T16:30");
    expect(friday.sent.filter((e) => e.kind === "digest")).toHaveLength(2);
    const saturday = await rig.tick("2026-12-05T16:30");
    expect(saturday.due).toEqual([]);
    expect(await rig.db.outboxMessage.count({ where: { point: "digest-2026-12-05" } })).toBe(0);
    expect(digestsTo("coord").map((d) => toIsoLocal(d.at))).toEqual([iso("2026-12-02T16:30"), iso("2026-12-04T16:30")]);
    const text = digestsTo("coord")[1]!.message.text;
    expect(text).toContain("Không có vướng mắc mới.");
    expect(text).toContain("Cơ quan, đơn vị cấp tỉnh: 1/8 đã nộp báo cáo");
  });

  it("goes on after the deadline on working days while someone has not submitted", async () => {
    const result = await rig.tick("2026-12-16T16:30");
    expect(result.sent.filter((e) => e.kind === "digest").map((e) => e.point)).toEqual([
      "digest-2026-12-16",
      "digest-2026-12-16",
    ]);
    const text = digestsTo("coord").at(-1)!.message.text;
    expect(text).toContain("📊 Tình hình báo cáo ngày 16/12/2026");
    expect(text).toContain("• IV.8 Liên đoàn Lao động tỉnh");
    expect((await rig.tick("2026-12-19T16:30")).due).toEqual([]); // Saturday
  });

  it("stops after the deadline once everyone has submitted", async () => {
    const plan = await rig.db.plan.findFirstOrThrow({ where: { active: true } });
    const missing = await rig.db.agency.findMany({
      where: { planId: plan.id, members: { none: {} }, submissions: { none: {} } },
    });
    expect(missing).toHaveLength(102);
    await rig.db.submission.createMany({
      data: missing.map((a) => ({ agencyId: a.id, submittedAt: instant("2026-12-17T09:00"), onTime: false })),
    });
    const before = digestsTo("coord").length;
    const result = await rig.tick("2026-12-17T16:30");
    expect(result.due).toEqual([]);
    expect(result.skipped.filter((e) => e.kind === "digest").map((e) => [e.contactName, e.reason])).toEqual([
      ["Điều Phối", "all_submitted"],
      ["Phó Điều Phối", "all_submitted"],
    ]);
    expect(await rig.db.outboxMessage.count({ where: { point: "digest-2026-12-17" } })).toBe(0);
    expect(digestsTo("coord")).toHaveLength(before);
  });
});

describe("a report sent after a skipped point", () => {
  let rig: ReminderRig;
  beforeAll(async () => {
    rig = await createReminderRig("2026-11-25T09:00");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
  });
  afterAll(async () => rig.close());

  it("does not bring back the reminder that an earlier report made unnecessary", async () => {
    rig.at("2026-11-29T09:00");
    await rig.bot.send("bhxh", "4a 20%");
    const at0800 = await rig.tick("2026-12-01T08:00");
    expect(at0800.skipped.map((e) => [e.agency, e.point, e.reason])).toContainEqual(["IV.4", "T-14", "recent_report"]);
    rig.at("2026-12-01T09:00");
    await rig.bot.send("bhxh", "4b 30%");
    const later = await rig.tick("2026-12-01T09:05");
    expect(later.sent).toEqual([]);
    expect(later.skipped.map((e) => [e.agency, e.point, e.reason])).toContainEqual(["IV.4", "T-14", "recent_report"]);
    expect(rig.deliverer.to("bhxh")).toEqual([]);
  });
});
