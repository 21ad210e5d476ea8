// Every chat message reads its sender and the sender's plans by hand, in two statements, instead
// of through Prisma's queries, and a one-line report writes its row and the account's touch so too.
// What is read must be what Prisma would have given, field for field, on either database, through
// the driver and through Prisma's raw query alike (a transaction's client, or a client not yet
// connected); what is written must read back through Prisma as it was meant.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db, type Tx } from "../../src/db/db.ts";
import { inDriverTransaction } from "../../src/db/driver-access.ts";
import { assignmentsOf } from "../../src/services/directory-service.ts";
import { findSender } from "../../src/services/sender-service.ts";
import { markSeen } from "../../src/services/invite-service.ts";
import { recordReport } from "../../src/services/progress-service.ts";
import { createManualClock } from "../../src/lib/clock.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

const at = (iso: string) => new Date(iso);

/** The sender as Prisma reads it, in findSender's shape. */
async function senderThroughPrisma(db: Db, platform: string, userId: string) {
  const row = await db.identity.findUnique({
    where: { platform_userId: { platform, userId } },
    include: {
      conversation: true,
      person: {
        include: {
          directoryAgency: true,
          identities: { select: { id: true, lastSeenAt: true }, orderBy: { id: "asc" } },
        },
      },
    },
  });
  if (!row) return null;
  const { conversation, ...identity } = row;
  return { identity, conversation };
}

async function assignmentsThroughPrisma(db: Db, directoryId: number) {
  const rows = await db.agency.findMany({
    where: { directoryId, withdrawn: false, plan: { active: true } },
    include: { plan: true },
  });
  return rows
    .map(({ plan, ...agency }) => ({ plan, agency }))
    .sort((a, b) => a.plan.reportDeadline.localeCompare(b.plan.reportDeadline) || a.plan.id - b.plan.id);
}

describe("the sender and their plans, read by hand", () => {
  let t: TestDb;
  let directoryId: number;

  beforeAll(async () => {
    t = await createTestDb();
    const { db } = t;
    const directory = await db.directoryAgency.create({ data: { code: "TST", name: "Sở Thử nghiệm" } });
    directoryId = directory.id;
    const contact = await db.person.create({
      data: {
        displayName: "Nguyễn Thị Thử",
        role: "contact",
        directoryAgencyId: directory.id,
        locale: "en",
        follows: "1,2",
        createdAt: at("2026-11-02T01:02:03.456Z"),
      },
    });
    await db.identity.create({
      data: {
        personId: contact.id,
        platform: "zalo",
        userId: "z-1",
        chatId: "zc-1",
        displayName: "Thử (Zalo)",
        createdAt: at("2026-11-02T01:02:03.456Z"),
        unreachableAt: at("2026-11-20T08:00:00.001Z"),
        unreachableReason: "blocked",
        lastSeenAt: at("2026-11-19T23:59:59.999Z"),
      },
    });
    const telegram = await db.identity.create({
      data: {
        personId: contact.id,
        platform: "telegram",
        userId: "t-1",
        chatId: "tc-1",
        displayName: "Thử",
        createdAt: at("2026-11-03T00:00:00.000Z"),
      },
    });
    await db.conversation.create({
      data: {
        identityId: telegram.id,
        flow: "report",
        step: "percent",
        data: '{"duty":"IV.1.đ","$plan":"BHXH26"}',
        updatedAt: at("2026-12-07T09:10:11.012Z"),
      },
    });
    const coordinator = await db.person.create({
      data: {
        displayName: "Điều phối",
        role: "coordinator",
        active: false,
        createdAt: at("2026-11-01T00:00:00.000Z"),
        deactivatedAt: at("2026-12-01T00:00:00.000Z"),
      },
    });
    await db.identity.create({
      data: {
        personId: coordinator.id,
        platform: "slack",
        userId: "U1",
        chatId: "D1",
        displayName: "Điều phối",
        createdAt: at("2026-11-01T00:00:00.000Z"),
      },
    });
    const plan = (code: string, deadline: string, active: boolean) =>
      db.plan.create({
        data: {
          code,
          title: `Kế hoạch ${code}`,
          province: "Thử",
          year: 2026,
          reportDeadline: deadline,
          active,
          ...(code === "B" && { documentNumber: "12/KH-UBND", reminderPolicy: '{"quietHours":false}' }),
          ...(!active && { closedAt: at("2026-12-02T00:00:00.000Z") }),
        },
      });
    const [late, early, closed, other] = [
      await plan("A", "2026-12-20", true),
      await plan("B", "2026-12-15", true),
      await plan("C", "2026-12-01", false),
      await plan("D", "2026-12-10", true),
    ];
    const agency = (planId: number, code: string, extra: object = {}) =>
      db.agency.create({ data: { planId, directoryId: directory.id, code, name: "Sở Thử nghiệm", ...extra } });
    await agency(late.id, "IV.2", { requested: true, sortOrder: 3, pausedUntil: "2026-12-09" });
    await agency(early.id, "IV.5");
    await agency(closed.id, "IV.1");
    await agency(other.id, "IV.3", { withdrawn: true });
  });
  afterAll(() => t.db.$disconnect());

  const inTransaction = <T>(work: (tx: Tx) => Promise<T>) => t.db.$transaction(work);

  it("reads through Prisma's raw query on a client not yet connected, as Prisma would", async () => {
    const fresh = createDb(t.url);
    try {
      // No driver adapter is at hand before the client's first statement.
      expect(await inDriverTransaction(fresh, async () => 1)).toBeNull();
      expect(await findSender(fresh, "telegram", "t-1")).toEqual(await senderThroughPrisma(t.db, "telegram", "t-1"));
    } finally {
      await fresh.$disconnect();
    }
  });

  it("reads an account, its person, agency, accounts and conversation as Prisma does", async () => {
    const expected = await senderThroughPrisma(t.db, "telegram", "t-1");
    const found = await findSender(t.db, "telegram", "t-1");
    expect(found).toEqual(expected);
    // The values a wrong reader would get wrong, spelled out.
    expect(found?.identity.person).toMatchObject({ locale: "en", follows: "1,2", active: true, deactivatedAt: null });
    expect(found?.identity.person.directoryAgency?.code).toBe("TST");
    expect(found?.identity.person.identities.map((i) => i.lastSeenAt)).toEqual([at("2026-11-19T23:59:59.999Z"), null]);
    expect(found?.conversation?.updatedAt).toEqual(at("2026-12-07T09:10:11.012Z"));
    expect(found?.conversation?.data).toBe('{"duty":"IV.1.đ","$plan":"BHXH26"}');
  });

  it("reads an account with no conversation, an unreachable one, and a person with no agency", async () => {
    const zalo = await findSender(t.db, "zalo", "z-1");
    expect(zalo).toEqual(await senderThroughPrisma(t.db, "zalo", "z-1"));
    expect(zalo?.conversation).toBeNull();
    expect(zalo?.identity).toMatchObject({
      unreachableReason: "blocked",
      unreachableAt: at("2026-11-20T08:00:00.001Z"),
    });
    const slack = await findSender(t.db, "slack", "U1");
    expect(slack).toEqual(await senderThroughPrisma(t.db, "slack", "U1"));
    expect(slack?.identity.person).toMatchObject({ active: false, directoryAgency: null, directoryAgencyId: null });
  });

  it("finds nobody for an unknown account, whatever its platform", async () => {
    expect(await findSender(t.db, "telegram", "z-1")).toBeNull();
    expect(await findSender(t.db, "console", "nobody")).toBeNull();
  });

  it("reads the same through a transaction's client", async () => {
    const expected = await senderThroughPrisma(t.db, "telegram", "t-1");
    expect(await inTransaction((tx) => findSender(tx, "telegram", "t-1"))).toEqual(expected);
  });

  it("reads the agency's places in active plans, nearest deadline first, as Prisma does", async () => {
    const expected = await assignmentsThroughPrisma(t.db, directoryId);
    const found = await assignmentsOf(t.db, directoryId);
    expect(found).toEqual(expected);
    // The closed plan and the withdrawn place are not there; the plan's own fields are.
    expect(found.map((p) => `${p.plan.code} ${p.agency.code}`)).toEqual(["B IV.5", "A IV.2"]);
    expect(found[0]?.plan).toMatchObject({ documentNumber: "12/KH-UBND", closedAt: null, active: true });
    expect(found[1]?.agency).toMatchObject({ requested: true, sortOrder: 3, pausedUntil: "2026-12-09" });
    expect(await inTransaction((tx) => assignmentsOf(tx, directoryId))).toEqual(expected);
  });

  it("records that an account was seen as Prisma reads it back, to the millisecond", async () => {
    const zalo = await t.db.identity.findUniqueOrThrow({
      where: { platform_userId: { platform: "zalo", userId: "z-1" } },
    });
    const seen = {
      chatId: "zc-2",
      displayName: "Thử mới",
      lastSeenAt: at("2026-12-08T03:04:05.678Z"),
      unreachableAt: null,
      unreachableReason: null,
    };
    await markSeen(t.db, zalo.id, seen);
    expect(await t.db.identity.findUniqueOrThrow({ where: { id: zalo.id } })).toEqual({ ...zalo, ...seen });
    // Read back by hand too: the touch must not be taken for a newer account's (bot.ts, mustTouch).
    const found = await findSender(t.db, "zalo", "z-1");
    expect(found?.identity.lastSeenAt).toEqual(seen.lastSeenAt);
  });

  it("writes a one-line report's row as Prisma reads it back", async () => {
    const agency = await t.db.agency.findFirstOrThrow({ where: { code: "IV.5" } });
    const duty = await t.db.duty.create({ data: { agencyId: agency.id, code: "IV.5.đ", text: "Thử", sortOrder: 1 } });
    const person = await t.db.person.findFirstOrThrow({ where: { role: "contact" } });
    const clock = createManualClock(at("2026-12-08T09:30:00.123Z"));
    const input = { person, agency, duty, status: "in_progress" as const, percent: 42.4, note: "Đã họp" };
    const { report, difficulty } = await recordReport({ db: t.db, clock }, input);
    expect(difficulty).toBeNull();
    expect(report).toEqual(await t.db.dutyReport.findUniqueOrThrow({ where: { id: report.id } }));
    expect(report).toMatchObject({ percent: 42, note: "Đã họp", createdAt: at("2026-12-08T09:30:00.123Z") });
    const withoutNote = await recordReport({ db: t.db, clock }, { ...input, status: "done", percent: 100, note: null });
    expect(withoutNote.report).toEqual(
      await t.db.dutyReport.findUniqueOrThrow({ where: { id: withoutNote.report.id } }),
    );
    expect(withoutNote.report.id).toBeGreaterThan(report.id);
  });
});
