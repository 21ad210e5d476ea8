// A database as the releases before the agency directory left it: the bundled plan and a day's
// work (contacts, invites, reports, a submission with a file, a difficulty, a pending push),
// written with plain SQL in that schema, since today's client no longer knows it.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyPendingMigrations, committedMigrations, openSqlite } from "../../src/db/migrations.ts";
import { applyPendingPgMigrations, connectPg, PG_MIGRATIONS_DIR } from "../../src/db/migrations-pg.ts";
import { parseMembersCsv } from "../../src/plan/members.ts";
import { parsePlan } from "../../src/plan/parse-plan.ts";
import { seedFile } from "./db.ts";

/** The first migration of the directory: everything before it is the old schema. */
export const DIRECTORY_MIGRATION = "_agency_directory";

type Row = Record<string, string | number | boolean | Date | Buffer | null>;
interface Writer {
  insert(table: string, row: Row): Promise<number>;
  close(): Promise<void>;
}

/** What was written, by the names a test checks them with. */
export interface LegacyWork {
  planId: number;
  agencyIds: Map<string, number>;
  dutyIds: Map<string, number>;
  people: { lan: number; minh: number; coordinator: number };
  invites: { used: number; unused: number };
  reportId: number;
  submissionId: number;
  fileId: number;
  fileBytes: Buffer;
  difficultyId: number;
  outboxId: number;
}

function sqliteWriter(path: string): Writer {
  const conn = openSqlite(path);
  const value = (v: Row[string]) => (v instanceof Date ? v.getTime() : typeof v === "boolean" ? Number(v) : v);
  return {
    insert: async (table, row) => {
      const cols = Object.keys(row);
      const sql = `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`;
      const result = conn.prepare(sql).run(...cols.map((c) => value(row[c]!))) as { lastInsertRowid: number | bigint };
      return Number(result.lastInsertRowid);
    },
    close: async () => conn.close(),
  };
}

async function pgWriter(url: string): Promise<Writer> {
  const client = await connectPg(url);
  return {
    insert: async (table, row) => {
      const cols = Object.keys(row);
      const sql = `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING "id"`;
      const result = await client.query<{ id: number }>(
        sql,
        cols.map((c) => row[c]),
      );
      return result.rows[0]!.id;
    },
    close: () => client.end(),
  };
}

/** Migrates an empty SQLite file up to the directory and writes the old rows into it. */
export async function legacySqlite(path: string): Promise<LegacyWork> {
  writeFileSync(path, "");
  const all = committedMigrations();
  const before = all.slice(
    0,
    all.findIndex((m) => m.name.endsWith(DIRECTORY_MIGRATION)),
  );
  await applyPendingMigrations(path, { migrations: before });
  const writer = sqliteWriter(path);
  try {
    return await writeLegacyWork(writer);
  } finally {
    await writer.close();
  }
}

/** Migrates an empty PostgreSQL database up to the directory and writes the old rows into it. */
export async function legacyPostgres(url: string): Promise<LegacyWork> {
  const dir = mkdtempSync(join(tmpdir(), "nhacviec-legacy-pg-"));
  for (const m of committedMigrations(PG_MIGRATIONS_DIR)) {
    if (m.name.endsWith(DIRECTORY_MIGRATION)) break;
    mkdirSync(join(dir, m.name));
    cpSync(join(PG_MIGRATIONS_DIR, m.name, "migration.sql"), join(dir, m.name, "migration.sql"));
  }
  await applyPendingPgMigrations(url, dir);
  const writer = await pgWriter(url);
  try {
    return await writeLegacyWork(writer);
  } finally {
    await writer.close();
  }
}

/** The bundled plan and its communes, as an older schema stored them, in a SQLite file migrated that far. */
export async function writeLegacyPlan(path: string): Promise<void> {
  const writer = sqliteWriter(path);
  try {
    await writePlan(writer);
  } finally {
    await writer.close();
  }
}

const AT = new Date("2026-12-01T02:00:00Z");

async function writePlan(w: Writer): Promise<Pick<LegacyWork, "planId" | "agencyIds" | "dutyIds">> {
  const plan = parsePlan(seedFile("ke-hoach-bhxh-dong-nai-2026.txt"));
  const planId = await w.insert("Plan", {
    title: plan.title,
    province: plan.province,
    year: plan.year,
    documentNumber: plan.documentNumber,
    reportDeadline: plan.reportDeadline,
    active: true,
    figureReporters: "IV.4",
    createdAt: AT,
    updatedAt: AT,
  });
  for (const [i, ind] of plan.indicators.entries()) {
    await w.insert("Indicator", {
      planId,
      code: ind.code,
      name: ind.name,
      targetRatePercent: ind.targetRatePercent,
      targetParticipants: ind.targetParticipants,
      eligiblePopulation: ind.eligiblePopulation,
      sortOrder: i,
    });
  }
  const agencyIds = new Map<string, number>();
  const dutyIds = new Map<string, number>();
  for (const [i, a] of plan.agencies.entries()) {
    const id = await w.insert("Agency", { planId, code: a.code, name: a.name, requested: a.requested, sortOrder: i });
    agencyIds.set(a.code, id);
    for (const [j, d] of a.duties.entries())
      dutyIds.set(d.code, await w.insert("Duty", { agencyId: id, code: d.code, text: d.text, sortOrder: j }));
  }
  const group = agencyIds.get("IV.9")!;
  for (const [i, m] of parseMembersCsv(seedFile("dong-nai-cap-xa.csv")).entries()) {
    const code = `IV.9-${m.ma}`;
    agencyIds.set(code, await w.insert("Agency", { planId, code, name: m.ten, parentId: group, sortOrder: i }));
  }
  return { planId, agencyIds, dutyIds };
}

async function person(w: Writer, name: string, role: string, agencyId: number | null, user: string): Promise<number> {
  const id = await w.insert("Person", { displayName: name, role, agencyId, createdAt: AT });
  await w.insert("Identity", {
    personId: id,
    platform: "telegram",
    userId: user,
    chatId: user,
    displayName: name,
    createdAt: AT,
  });
  return id;
}

async function writeLegacyWork(w: Writer): Promise<LegacyWork> {
  const { planId, agencyIds, dutyIds } = await writePlan(w);
  const bhxh = agencyIds.get("IV.4")!;
  const people = {
    lan: await person(w, "Chị Lan", "contact", bhxh, "101"),
    minh: await person(w, "Anh Minh", "contact", agencyIds.get("IV.9-25195")!, "102"),
    coordinator: await person(w, "Điều phối", "coordinator", null, "103"),
  };
  const expires = new Date("2026-12-20T02:00:00Z");
  const invite = (agencyId: number, hash: string, used: boolean) =>
    w.insert("Invite", {
      codeHash: hash,
      planId,
      agencyId,
      role: "contact",
      createdAt: AT,
      expiresAt: expires,
      usedAt: used ? AT : null,
      usedByPersonId: used ? people.lan : null,
    });
  const invites = {
    used: await invite(bhxh, "hash-used", true),
    unused: await invite(agencyIds.get("IV.2")!, "hash-unused", false),
  };
  const duty = dutyIds.get("IV.4.a")!;
  const reportId = await w.insert("DutyReport", {
    agencyId: bhxh,
    dutyId: duty,
    status: "in_progress",
    percent: 60,
    note: "đang rà soát",
    personId: people.lan,
    createdAt: AT,
  });
  const fileBytes = Buffer.from("%PDF-1.4 báo cáo", "utf8");
  const fileId = await w.insert("StoredFile", {
    name: "bao-cao.pdf",
    mimeType: "application/pdf",
    size: fileBytes.length,
    content: fileBytes,
    personId: people.lan,
    platform: "telegram",
    createdAt: AT,
  });
  const submissionId = await w.insert("Submission", {
    agencyId: bhxh,
    personId: people.lan,
    submittedAt: AT,
    onTime: true,
    documentNumber: "12/BC-BHXH",
    attachmentName: "bao-cao.pdf",
    attachmentFileId: fileId,
  });
  await w.insert("SubmissionItem", { submissionId, dutyId: duty, status: "in_progress", percent: 60 });
  const difficultyId = await w.insert("Difficulty", {
    agencyId: bhxh,
    dutyId: duty,
    text: "thiếu dữ liệu doanh nghiệp",
    personId: people.lan,
    reportId,
    createdAt: AT,
  });
  const outboxId = await w.insert("OutboxMessage", {
    key: `reminder:${planId}:${bhxh}:${people.lan}:T-7`,
    kind: "reminder",
    personId: people.lan,
    planId,
    agencyId: bhxh,
    point: "T-7",
    payload: JSON.stringify({ text: "Nhắc việc" }),
    dueAt: AT,
    nextAttemptAt: AT,
    createdAt: AT,
  });
  return {
    planId,
    agencyIds,
    dutyIds,
    people,
    invites,
    reportId,
    submissionId,
    fileId,
    fileBytes,
    difficultyId,
    outboxId,
  };
}
