import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { createDb, migrateDatabase, pendingMigrations, tuneDb } from "../../src/db/db.ts";
import { loadConfig } from "../../src/config.ts";

describe("database set-up", () => {
  it("migrates an empty file, then every model works through the client", async () => {
    const url = `file:${join(inject("testTmpDir"), "fresh", "sub", "nhacviec.db")}`;
    expect((await pendingMigrations(url)).length).toBeGreaterThanOrEqual(3);
    await migrateDatabase(url); // also creates the missing folders
    expect(await pendingMigrations(url)).toEqual([]);
    const db = createDb(url);
    await tuneDb(db);
    const now = new Date("2026-11-25T02:00:00Z");
    const plan = await db.plan.create({
      data: { code: "T26", title: "T", province: "P", year: 2026, reportDeadline: "2026-12-15", active: true },
    });
    const indicator = await db.indicator.create({
      data: {
        planId: plan.id,
        code: "II.1",
        name: "n",
        targetRatePercent: 95,
        targetParticipants: 95,
        eligiblePopulation: 100,
      },
    });
    const directory = await db.directoryAgency.create({ data: { code: "A", name: "A" } });
    const agency = await db.agency.create({
      data: { planId: plan.id, directoryId: directory.id, code: "IV.1", name: "A" },
    });
    const duty = await db.duty.create({ data: { agencyId: agency.id, code: "IV.1.đ", text: "x" } });
    const person = await db.person.create({
      data: { displayName: "P", role: "contact", directoryAgencyId: directory.id, createdAt: now },
    });
    const identity = await db.identity.create({
      data: { personId: person.id, platform: "test", userId: "u", chatId: "c", displayName: "P", createdAt: now },
    });
    await db.invite.create({
      data: { codeHash: "h", directoryAgencyId: directory.id, role: "contact", createdAt: now, expiresAt: now },
    });
    await db.joinAttempt.create({ data: { platform: "test", userId: "x", at: now } });
    const report = await db.dutyReport.create({
      data: { agencyId: agency.id, dutyId: duty.id, status: "done", percent: 100, personId: person.id, createdAt: now },
    });
    await db.indicatorFigure.create({ data: { indicatorId: indicator.id, participants: 90, createdAt: now } });
    await db.submission.create({
      data: {
        agencyId: agency.id,
        submittedAt: now,
        onTime: true,
        items: { create: [{ dutyId: duty.id, status: "done", percent: 100 }] },
      },
    });
    await db.difficulty.create({
      data: { agencyId: agency.id, dutyId: duty.id, text: "t", reportId: report.id, createdAt: now },
    });
    await db.conversation.create({
      data: { identityId: identity.id, flow: "report", step: "duty", data: "{}", updatedAt: now },
    });
    await db.calendarDay.create({ data: { date: "2026-09-02", kind: "holiday", name: "Quốc khánh" } });
    await db.outboxMessage.create({
      data: {
        key: "k",
        kind: "notification",
        personId: person.id,
        payload: "{}",
        dueAt: now,
        nextAttemptAt: now,
        createdAt: now,
      },
    });
    const loaded = await db.agency.findUniqueOrThrow({
      where: { id: agency.id },
      include: {
        duties: true,
        directory: { include: { people: true } },
        reports: true,
        submissions: { include: { items: true } },
        difficulties: true,
      },
    });
    expect(loaded.duties[0]!.code).toBe("IV.1.đ");
    expect(loaded.submissions[0]!.items).toHaveLength(1);
    expect(loaded.directory.people.map((p) => p.id)).toEqual([person.id]);
    expect(await db.outboxMessage.count()).toBe(1);
    const [mode] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    expect(mode!.journal_mode).toBe("wal");
    // Migrating an up-to-date database while a client holds it open is a no-op, not a failure.
    await expect(migrateDatabase(url)).resolves.toBeUndefined();
    await db.$disconnect();
  });
});

describe("configuration", () => {
  it("defaults everything, treats empty values as unset, keeps a PostgreSQL URL and refuses any other clearly", () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: "", DATABASE_URL: "", LOG_LEVEL: " " });
    expect(config.databaseUrl).toMatch(/^file:\/.*\/data\/nhacviec\.db$/);
    expect(config).toMatchObject({
      defaultLocale: "vi",
      inviteTtlDays: 14,
      telegram: null,
      slack: null,
      logLevel: undefined,
    });
    expect(loadConfig({ DATABASE_URL: " postgresql://bot:secret@db.local:5433/nhacviec " }).databaseUrl).toBe(
      "postgresql://bot:secret@db.local:5433/nhacviec",
    );
    expect(loadConfig({ DATABASE_URL: "postgres://x/y" }).databaseUrl).toBe("postgres://x/y");
    expect(() => loadConfig({ DATABASE_URL: "mysql://x/y" })).toThrow(
      /DATABASE_URL: must be a SQLite file URL .* or a PostgreSQL URL/,
    );
    expect(() => loadConfig({ INVITE_TTL_DAYS: "zero" })).toThrow(/INVITE_TTL_DAYS/);
  });
});
