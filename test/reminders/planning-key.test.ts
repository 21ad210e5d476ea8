// The minute tick reuses its last planning pass while nothing it decides from has changed
// (src/reminders/planning-key.ts): every kind of change must show in the key, or a contact added at
// 08:05 would never get the reminder of 08:00.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { planningKey } from "../../src/reminders/planning-key.ts";
import { reopenSubmission, submitReport } from "../../src/services/submission-service.ts";
import { deactivateContact, moveContact, setFollows } from "../../src/services/contact-service.ts";
import { setPausedUntil } from "../../src/services/plan-service.ts";
import { toIsoLocal } from "../../src/lib/time.ts";
import { createReminderRig, instant, personId, type ReminderRig } from "../helpers/reminders-harness.ts";

describe("the planning key", () => {
  let rig: ReminderRig;
  beforeAll(async () => {
    rig = await createReminderRig("2026-12-01T09:00");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
    await rig.bot.join("thue", "IV.5", "Lê Hoa");
  });
  afterAll(() => rig.close());

  /** Runs `change` and expects the key at `now` to differ from the one before. */
  async function changes(what: string, change: () => Promise<unknown>, now = instant("2026-12-01T09:00")) {
    const before = await planningKey(rig.db, now);
    expect(await planningKey(rig.db, now), `${what}: read twice`).toBe(before);
    await change();
    expect(await planningKey(rig.db, now), what).not.toBe(before);
  }

  it("changes with everything a reminder or a digest is decided from", async () => {
    const { db } = rig;
    const plan = await db.plan.findFirstOrThrow({ where: { active: true } });
    const agency = (code: string) => db.agency.findFirstOrThrow({ where: { planId: plan.id, code } });
    const bhxh = await personId(rig.bot, "bhxh");
    const person = await db.person.findUniqueOrThrow({ where: { id: bhxh } });
    const iv4 = await agency("IV.4");
    const iv5 = await agency("IV.5");

    await changes("a contact joins", () => rig.bot.join("bhxh2", "IV.4", "Trần Minh"));
    await changes("a contact moves", () => moveContact(db, bhxh, iv5.directoryId));
    await changes("and back", () => moveContact(db, bhxh, iv4.directoryId));
    const second = await personId(rig.bot, "bhxh2");
    await changes("a contact leaves", () => deactivateContact({ db, clock: rig.bot.clock }, second));
    await changes("a contact becomes a coordinator", () =>
      db.person.update({ where: { id: bhxh }, data: { role: "coordinator" } }),
    );
    await changes("and a contact again", () => db.person.update({ where: { id: bhxh }, data: { role: "contact" } }));
    await changes("a coordinator follows one plan", () => setFollows(db, bhxh, [plan.id]));
    await changes("another plan", () => setFollows(db, bhxh, [plan.id + 1]));
    await changes("an agency pauses", () => setPausedUntil(db, iv4.id, "2026-12-05"));
    await changes("to another date", () => setPausedUntil(db, iv4.id, "2026-12-06"));
    await changes("and resumes", () => setPausedUntil(db, iv4.id, null));
    const duty = await db.duty.findFirstOrThrow({ where: { agencyId: iv4.id } });
    const report = (at: string) =>
      db.dutyReport.create({
        data: {
          agencyId: iv4.id,
          dutyId: duty.id,
          personId: bhxh,
          status: "in_progress",
          percent: 50,
          createdAt: instant(at),
        },
      });
    // The latest point at 09:00 is T-14, 08:00 (reports before 15/12): a report before it may skip
    // an agency's reminder there; one after it decides nothing until the next point.
    await changes("a progress report before the latest point", () => report("2026-12-01T07:30"));
    const before = await planningKey(db, instant("2026-12-01T09:00"));
    await report("2026-12-01T08:30");
    expect(await planningKey(db, instant("2026-12-01T09:00")), "a report after the latest point").toBe(before);
    // At the next point it counts.
    const withLate = await planningKey(db, instant("2026-12-08T08:00"));
    await db.dutyReport.deleteMany({ where: { createdAt: instant("2026-12-01T08:30") } });
    expect(await planningKey(db, instant("2026-12-08T08:00")), "counted at the next point").not.toBe(withLate);
    await changes("a formal submission", () =>
      submitReport(
        { db, clock: rig.bot.clock },
        { plan, agency: iv4, person, documentNumber: "12/BC-SNV", documentDate: "2026-12-01", attachment: null },
      ),
    );
    await changes("reopened", async () =>
      reopenSubmission({ db, clock: rig.bot.clock }, { agency: iv4, by: person, comment: "Thiếu số liệu" }),
    );
    const other = await db.duty.findFirstOrThrow({ where: { agencyId: iv5.id } });
    await changes("a duty withdrawn", () => db.duty.update({ where: { id: other.id }, data: { withdrawn: true } }));
    await changes("the deadline moves", () =>
      db.plan.update({ where: { id: plan.id }, data: { reportDeadline: "2026-12-16" } }),
    );
    await changes(
      "a holiday moves a reminder point",
      () => db.calendarDay.create({ data: { date: "2026-12-09", kind: "holiday", name: "Nghỉ bù" } }),
      instant("2026-12-30T09:00"),
    );
  });

  it("changes as time passes a reminder point, its expiry and a digest time, and not in between", async () => {
    const key = (local: string) => planningKey(rig.db, instant(local));
    expect(await key("2026-12-02T09:00")).toBe(await key("2026-12-02T15:00"));
    const keys = ["2026-12-02T09:00", "2026-12-02T16:30", "2026-12-08T08:00", "2026-12-08T20:01"];
    const distinct = new Set(await Promise.all(keys.map(key)));
    expect(distinct.size, keys.join(", ")).toBe(keys.length);
  });
});

describe("the minute tick", () => {
  let rig: ReminderRig;
  beforeAll(async () => {
    rig = await createReminderRig("2026-12-01T08:00");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
  });
  afterAll(() => rig.close());

  it("reads no plan again while nothing changed, and plans for a contact who joins between two ticks", async () => {
    const first = await rig.tick("2026-12-01T08:00");
    expect(first.due.map((e) => [e.contactName, e.point])).toEqual([["Võ Thanh", "T-14"]]);
    const read = vi.spyOn(rig.db.duty, "findMany");
    const again = await rig.tick("2026-12-01T08:01");
    expect(read).not.toHaveBeenCalled();
    // What a pass from scratch reports at that instant, by an engine with nothing to reuse.
    const fresh = await rig.newEngine().tick(instant("2026-12-01T08:01"));
    expect(again).toEqual(fresh);
    expect(again.due).toEqual([]);

    await rig.bot.join("bhxh2", "IV.4", "Trần Minh");
    const later = await rig.tick("2026-12-01T08:02");
    expect(read).toHaveBeenCalled();
    expect(later.due.map((e) => [e.contactName, e.point, e.dueAt])).toEqual([
      ["Trần Minh", "T-14", toIsoLocal(instant("2026-12-01T08:00"))],
    ]);
    expect(rig.deliverer.to("bhxh2")).toHaveLength(1);
    read.mockRestore();
  });
});
