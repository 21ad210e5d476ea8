// The release that brings the agency directory migrates a database in use: today's single plan
// becomes the first plan of the register, its agencies and communes the directory, and every
// person, invite, report, submission, file, difficulty and pending push keeps its meaning.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, loadDatabaseDriver, migrateDatabase, pendingMigrations, type Db } from "../../src/db/db.ts";
import { applyPendingPgMigrations } from "../../src/db/migrations-pg.ts";
import { importPlan } from "../../src/plan/import-plan.ts";
import { parsePlan } from "../../src/plan/parse-plan.ts";
import { listContacts } from "../../src/services/contact-service.ts";
import { planFor } from "../../src/services/directory-service.ts";
import { onPostgres, seedFile } from "../helpers/db.ts";
import { legacyPostgres, legacySqlite, type LegacyWork } from "../helpers/legacy-db.ts";
import { createEmptyPgDatabase } from "../helpers/postgres.ts";
import { mkdtempSync } from "node:fs";

describe(`migrating a database in use to the agency directory (${onPostgres ? "PostgreSQL" : "SQLite"})`, () => {
  let db: Db;
  let old: LegacyWork;
  let url: string;

  beforeAll(async () => {
    if (onPostgres) {
      url = await createEmptyPgDatabase(inject("templateDbUrl"), inject("testRunId"), "dirmig");
      old = await legacyPostgres(url);
      await applyPendingPgMigrations(url);
    } else {
      const path = join(mkdtempSync(join(inject("testTmpDir"), "dirmig-")), "nhacviec.db");
      url = `file:${path}`;
      old = await legacySqlite(path);
      await migrateDatabase(url);
    }
    await loadDatabaseDriver(url);
    db = createDb(url);
  }, 60_000);
  afterAll(async () => db?.$disconnect());

  it("leaves nothing pending", async () => {
    expect(await pendingMigrations(url)).toEqual([]);
  });

  it("makes the plan the first of the register, with its code, still active", async () => {
    const plans = await db.plan.findMany();
    expect(plans.map((p) => [p.id, p.code, p.active, p.closedAt])).toEqual([[old.planId, "BHXH26", true, null]]);
  });

  it("builds the directory: the bundled agencies' mnemonics and the communes' official codes", async () => {
    const directory = await db.directoryAgency.findMany({ orderBy: { id: "asc" } });
    expect(directory.slice(0, 9).map((d) => d.code)).toEqual([
      "SNV",
      "STC",
      "TTR",
      "BHXH",
      "THUE",
      "BQLKCN",
      "BPTTH",
      "LDLD",
      "UBNDXA",
    ]);
    expect(directory).toHaveLength(9 + 95);
    expect(directory.find((d) => d.code === "25195")?.name).toBe("Phường Bình Phước");
    // Every agency of the plan keeps its id and section number, now tied to its directory agency.
    const agencies = await db.agency.findMany({ include: { directory: true } });
    expect(agencies).toHaveLength(old.agencyIds.size);
    for (const a of agencies) expect(old.agencyIds.get(a.code)).toBe(a.id);
    expect(agencies.find((a) => a.code === "IV.4")?.directory.code).toBe("BHXH");
    expect(agencies.find((a) => a.code === "IV.9-25195")?.directory.code).toBe("25195");
  });

  it("keeps people with their agencies, now in the directory, and their accounts", async () => {
    const people = await db.person.findMany({
      include: { directoryAgency: true, identities: true },
      orderBy: { id: "asc" },
    });
    expect(
      people.map((p) => [p.id, p.displayName, p.role, p.directoryAgency?.code ?? null, p.identities.length]),
    ).toEqual([
      [old.people.lan, "Chị Lan", "contact", "BHXH", 1],
      [old.people.minh, "Anh Minh", "contact", "25195", 1],
      [old.people.coordinator, "Điều phối", "coordinator", null, 1],
    ]);
    expect((await listContacts(db, null)).map((p) => p.id).sort()).toEqual(Object.values(old.people).sort());
  });

  it("keeps used and unused invites, each to its agency", async () => {
    const invites = await db.invite.findMany({ include: { directoryAgency: true }, orderBy: { id: "asc" } });
    expect(
      invites.map((i) => [i.id, i.codeHash, i.directoryAgency?.code, i.usedAt !== null, i.usedByPersonId]),
    ).toEqual([
      [old.invites.used, "hash-used", "BHXH", true, old.people.lan],
      [old.invites.unused, "hash-unused", "STC", false, null],
    ]);
  });

  it("keeps reports, the submission with its file's bytes, the difficulty and the pending push", async () => {
    const bhxh = old.agencyIds.get("IV.4")!;
    const report = await db.dutyReport.findUniqueOrThrow({ where: { id: old.reportId } });
    expect(report).toMatchObject({
      agencyId: bhxh,
      dutyId: old.dutyIds.get("IV.4.a"),
      status: "in_progress",
      percent: 60,
    });
    const submission = await db.submission.findUniqueOrThrow({
      where: { id: old.submissionId },
      include: { items: true, attachmentFile: true },
    });
    expect(submission).toMatchObject({ agencyId: bhxh, documentNumber: "12/BC-BHXH", personId: old.people.lan });
    expect(submission.items).toHaveLength(1);
    expect(Buffer.from(submission.attachmentFile!.content).equals(old.fileBytes)).toBe(true);
    const difficulty = await db.difficulty.findUniqueOrThrow({ where: { id: old.difficultyId } });
    expect(difficulty).toMatchObject({ agencyId: bhxh, reportId: old.reportId, resolvedAt: null });
    const push = await db.outboxMessage.findUniqueOrThrow({ where: { id: old.outboxId } });
    expect(push).toMatchObject({
      status: "pending",
      personId: old.people.lan,
      agencyId: bhxh,
      planId: old.planId,
      attempts: 0,
    });
  });

  it("serves the migrated people as before: the contact's plan and agency, and a re-import changes nothing", async () => {
    const lan = await db.person.findUniqueOrThrow({ where: { id: old.people.lan } });
    const mine = await planFor(db, lan);
    expect([mine.plan?.id, mine.agency?.id]).toEqual([old.planId, old.agencyIds.get("IV.4")]);
    const again = await importPlan(db, parsePlan(seedFile("ke-hoach-bhxh-dong-nai-2026.txt")));
    expect(again.created).toBe(false);
    expect(again.directory.every((d) => d.matched)).toBe(true);
    expect([again.agencies, again.duties]).toEqual([
      { added: 0, updated: 0, withdrawn: 0 },
      { added: 0, updated: 0, withdrawn: 0 },
    ]);
  });
});
