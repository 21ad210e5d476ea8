// Reminder planning and digest planning on their own, without the engine, the sender or a tick:
// what each decides from one reading of the plan, and what it writes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../../src/generated/prisma/client.ts";
import { ensureBundledCalendar } from "../../src/plan/bundle.ts";
import { digestNotNeeded, liveDigestDates, planDigests } from "../../src/reminders/plan-digests.ts";
import { decideReminders, planReminders, type ReminderFacts } from "../../src/reminders/plan-reminders.ts";
import { readPlannings, type Planning, type ReminderEntry } from "../../src/reminders/planning.ts";
import type { ReminderPoint } from "../../src/schedule/schedule.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { instant, personId, silent } from "../helpers/reminders-harness.ts";

const brief = (entries: ReminderEntry[]) => entries.map((e) => [e.agency, e.contactName, e.point, e.reason ?? null]);

async function planningAt(bot: TestBot, local: string, dryRun = true): Promise<Planning> {
  for await (const planning of readPlannings(bot.db, instant(local), dryRun)) return planning;
  throw new Error("no active plan");
}

describe("planReminders", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot({ now: "2026-11-30T09:00", members: false });
    await ensureBundledCalendar(bot.db, silent);
    await bot.join("bhxh", "IV.4", "Võ Thanh");
  });
  afterAll(async () => bot.db.$disconnect());

  it("plans nothing before the first point", async () => {
    expect(await planReminders(bot.db, await planningAt(bot, "2026-11-12T09:00"))).toEqual({ due: [], skipped: [] });
  });

  it("in a dry run lists the contact's reminder and the agencies without a contact, and writes nothing", async () => {
    const { due, skipped } = await planReminders(bot.db, await planningAt(bot, "2026-12-01T08:00"));
    expect(brief(due)).toEqual([["IV.4", "Võ Thanh", "T-14", null]]);
    expect(due[0]!.duties.length).toBeGreaterThan(0);
    const reasons = skipped.filter((e) => e.reason !== "no_contact");
    // T-30 (13/11) is past the policy's expiry: recorded, never sent, and no reasons repeated for it.
    expect(brief(reasons)).toEqual([["IV.4", "Võ Thanh", "T-30", "expired"]]);
    const noContact = skipped.filter((e) => e.reason === "no_contact");
    expect(noContact.every((e) => e.point === "T-14")).toBe(true);
    expect(noContact.map((e) => e.agency)).toContain("IV.1");
    expect(await bot.db.outboxMessage.count()).toBe(0);
  });

  it("writes the reminder once: planning the same instant again finds it planned", async () => {
    const first = await planReminders(bot.db, await planningAt(bot, "2026-12-01T08:00", false));
    expect(brief(first.due)).toEqual([["IV.4", "Võ Thanh", "T-14", null]]);
    const row = await bot.db.outboxMessage.findFirstOrThrow({ where: { kind: "reminder", point: "T-14" } });
    expect(row).toMatchObject({ personId: await personId(bot, "bhxh"), point: "T-14", status: "pending" });
    expect(JSON.parse(row.payload).text).toMatch(/^🔔/);
    const again = await planReminders(bot.db, await planningAt(bot, "2026-12-01T08:00", false));
    expect(again.due).toEqual([]);
    expect(await bot.db.outboxMessage.count({ where: { kind: "reminder", point: "T-14" } })).toBe(1);
    expect(await bot.db.outboxMessage.findFirst({ where: { point: "T-30" } })).toMatchObject({
      status: "skipped",
      skipReason: "expired",
    });
  });
});

describe("decideReminders", () => {
  let bot: TestBot;
  let planning: Planning;
  let point: ReminderPoint;
  const contact = { id: 41, displayName: "Võ Thanh", locale: "vi" } as Person;
  const facts = (over: Partial<ReminderFacts> = {}): ReminderFacts => ({
    contactsByAgency: new Map([[ivFour(), [contact]]]),
    planned: new Set(),
    reportedBefore: () => false,
    ...over,
  });
  const ivFour = () => planning.status.agencies.find((a) => a.agency.code === "IV.4")!.agency.id;
  const forIvFour = (entries: ReminderEntry[]) => brief(entries.filter((e) => e.agency === "IV.4"));

  beforeAll(async () => {
    bot = await createTestBot({ now: "2026-12-01T08:00", members: false });
    planning = await planningAt(bot, "2026-12-01T08:00");
    point = { label: "T-14", date: "2026-12-01", dueAt: instant("2026-12-01T08:00"), kind: "before", daysBefore: 14 };
  });
  afterAll(async () => bot.db.$disconnect());

  it("reminds each contact of an agency that has not submitted, in the contact's language", () => {
    const { pending, expired } = decideReminders(planning, [point], facts());
    expect(expired).toEqual([]);
    expect(pending.map((p) => [p.item.key, p.item.personId, p.entry.contactName])).toEqual([
      [`reminder:${planning.plan.id}:${ivFour()}:41:T-14`, 41, "Võ Thanh"],
    ]);
    expect(pending[0]!.item.message.text).toMatch(/^🔔 Nhắc việc/);
  });

  it("skips a reminder already planned, silently", () => {
    const key = `reminder:${planning.plan.id}:${ivFour()}:41:T-14`;
    const decision = decideReminders(planning, [point], facts({ planned: new Set([key]) }));
    expect(decision.pending).toEqual([]);
    expect(forIvFour(decision.skipped)).toEqual([]);
  });

  it("skips an agency that reported in the window before the point, saying why", () => {
    const decision = decideReminders(planning, [point], facts({ reportedBefore: (id) => id === ivFour() }));
    expect(decision.pending).toEqual([]);
    expect(forIvFour(decision.skipped)).toEqual([["IV.4", "Võ Thanh", "T-14", "recent_report"]]);
  });

  it("from T-7 on, and after the deadline, reminds an agency that reported lately, thanking it", () => {
    const reported = facts({ reportedBefore: (id) => id === ivFour() });
    const near = [
      { label: "T-8", date: "2026-12-07", daysBefore: 8 },
      { label: "T-7", date: "2026-12-08", daysBefore: 7 },
      { label: "T-3", date: "2026-12-11", daysBefore: 3 },
    ].map((p) => ({ ...p, kind: "before" as const, dueAt: instant(`${p.date}T08:00`) }));
    const overdue = {
      label: "overdue-1",
      date: "2026-12-15",
      dueAt: instant("2026-12-15T08:00"),
      kind: "overdue" as const,
      daysBefore: 0,
    };
    const decideAt = (p: ReminderPoint) => decideReminders({ ...planning, now: p.dueAt }, [p], reported);
    expect(forIvFour(decideAt(near[0]!).skipped)).toEqual([["IV.4", "Võ Thanh", "T-8", "recent_report"]]);
    for (const p of [...near.slice(1), overdue]) {
      const decision = decideAt(p);
      expect(forIvFour(decision.skipped), p.label).toEqual([]);
      expect(decision.pending.map((d) => d.entry.point)).toEqual([p.label]);
      expect(decision.pending[0]!.item.message.text).toContain("Cảm ơn Anh/Chị đã cập nhật tiến độ");
    }
    // The policy moves the line: skipped down to T-3 when it says 3.
    const strict = { ...planning, now: near[2]!.dueAt, policy: { ...planning.policy, recentReportSkipUntilDays: 3 } };
    expect(forIvFour(decideReminders(strict, [near[2]!], reported).skipped)).toEqual([
      ["IV.4", "Võ Thanh", "T-3", "recent_report"],
    ]);
    expect(decideAt(near[2]!).pending.length).toBe(1);
    // Without a recent report, no thanks.
    expect(
      decideReminders({ ...planning, now: near[2]!.dueAt }, [near[2]!], facts()).pending[0]!.item.message.text,
    ).not.toContain("Cảm ơn");
  });

  it("records a point older than the policy's expiry as expired, with no text, and no reasons for it", () => {
    const old = { ...point, label: "T-30", date: "2026-11-13", dueAt: instant("2026-11-13T08:00") };
    const decision = decideReminders(planning, [old], facts());
    expect(decision.pending).toEqual([]);
    expect(decision.skipped).toEqual([]);
    expect(decision.expired.map((e) => [e.item.point, e.item.message.text, e.entry.reason])).toEqual([
      ["T-30", "", "expired"],
    ]);
  });
});

describe("planDigests", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot({ now: "2026-11-30T09:00", members: false });
    await ensureBundledCalendar(bot.db, silent);
    await bot.join("coord", null, "Điều Phối");
  });
  afterAll(async () => bot.db.$disconnect());

  it("has no live date before the digest time or before the 14-day window", async () => {
    const before = await planningAt(bot, "2026-12-02T16:00");
    expect(liveDigestDates(before.plan, before.policy, before.calendar, before.now, 12)).toEqual([]);
    expect(await planDigests(bot.db, await planningAt(bot, "2026-11-20T16:30"))).toEqual({ due: [], skipped: [] });
  });

  it("plans one digest per coordinator at 16:30 of a working day, written once", async () => {
    const planning = await planningAt(bot, "2026-12-02T16:30", false);
    // The day before's is 24 hours old, past the policy's 12-hour expiry.
    expect(liveDigestDates(planning.plan, planning.policy, planning.calendar, planning.now, 12)).toEqual([
      { date: "2026-12-02", dueAt: instant("2026-12-02T16:30") },
    ]);
    const first = await planDigests(bot.db, planning);
    expect(first.due.map((e) => [e.kind, e.contactName, e.point])).toEqual([
      ["digest", "Điều Phối", "digest-2026-12-02"],
    ]);
    const row = await bot.db.outboxMessage.findFirstOrThrow({ where: { kind: "digest" } });
    expect(JSON.parse(row.payload).text).toMatch(/^📊/);
    expect((await planDigests(bot.db, planning)).due).toEqual([]);
  });

  it("is not needed after the deadline once every agency has submitted, and only then", async () => {
    const planning = await planningAt(bot, "2026-12-02T16:30");
    const allIn = {
      ...planning.status,
      agencies: planning.status.agencies.map((a) => ({ ...a, submitted: true })),
    };
    expect(digestNotNeeded(planning.plan, allIn, "2026-12-15")).toBe(true);
    expect(digestNotNeeded(planning.plan, allIn, "2026-12-14")).toBe(false);
    expect(digestNotNeeded(planning.plan, planning.status, "2026-12-15")).toBe(false);
  });
});
