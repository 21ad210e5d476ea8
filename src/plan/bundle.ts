import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { noCheckpoint } from "../lib/checkpoint.ts";
import { projectRoot } from "../lib/paths.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { Db } from "../db/db.ts";
import type { Logger } from "../lib/logger.ts";
import { importPlan } from "./import-plan.ts";
import { addMembers, parseMembersCsv } from "./members.ts";
import { parsePlan } from "./parse-plan.ts";
import { parseCalendarCsv } from "../schedule/calendar.ts";
import { importCalendar } from "../schedule/calendar-store.ts";

const seedDir = pathToFileURL(join(projectRoot, "prisma", "seed") + "/");

const Manifest = z.object({
  plan: z.string(),
  members: z.array(z.object({ group: z.string(), file: z.string() })).default([]),
  calendars: z.array(z.string()).default([]),
});
export type BundleManifest = z.infer<typeof Manifest>;

export function readBundleFile(name: string): string {
  return readFileSync(new URL(name, seedDir), "utf8");
}

export function readBundleManifest(): BundleManifest {
  return Manifest.parse(JSON.parse(readBundleFile("bundle.json")));
}

/**
 * A fresh install gets the real Đồng Nai plan and its 95 communes, so there is something to try.
 * Each step is checked on its own, so a start interrupted between them finishes the job next time.
 */
export async function ensureBundledPlan(db: Db, logger: Logger, checkpoint = noCheckpoint): Promise<boolean> {
  const manifest = readBundleManifest();
  let planId: number;
  if ((await db.plan.count()) === 0) {
    const parsed = parsePlan(readBundleFile(manifest.plan));
    // A fresh install has an empty directory: the bundled plan brings its agencies, with their mnemonics.
    planId = (await importPlan(db, parsed, { createAgencies: true })).planId;
    logger.info(
      { plan: parsed.title, agencies: parsed.agencies.length },
      "bundled plan imported into an empty database",
    );
    await checkpoint("seed:plan-imported");
  } else {
    const parsed = parsePlan(readBundleFile(manifest.plan));
    const bundled = await db.plan.findUnique({
      where: { province_year_title: { province: parsed.province, year: parsed.year, title: parsed.title } },
    });
    if (!bundled) return false;
    planId = bundled.id;
  }
  let changed = false;
  for (const m of manifest.members) {
    const group = await db.agency.findUnique({ where: { planId_code: { planId, code: m.group } } });
    if (!group || (await db.agency.count({ where: { parentId: group.id } })) > 0) continue;
    await addMembers(db, planId, m.group, parseMembersCsv(readBundleFile(m.file)));
    changed = true;
  }
  return changed;
}

/** Working days need the holiday calendar; a fresh install gets the shipped one. */
export async function ensureBundledCalendar(db: Db, logger: Logger): Promise<boolean> {
  if ((await db.calendarDay.count()) > 0) return false;
  for (const file of readBundleManifest().calendars) {
    const summary = await importCalendar(db, parseCalendarCsv(readBundleFile(file)));
    logger.info({ file, ...summary }, "bundled calendar imported");
  }
  return true;
}

/**
 * What a start puts into a database that lacks it: the bundled plan with its members, and the
 * calendar. Every step looks first, so this is also the check on each later start. Two processes
 * seeding the same file at once (a database migrated by `npm run db:deploy`, then started twice)
 * collide on a unique key or on SQLite's lock; the loser looks again and finds the work done.
 */
export async function seedBundle(db: Db, logger: Logger, checkpoint = noCheckpoint): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureBundledPlan(db, logger, checkpoint);
      await ensureBundledCalendar(db, logger);
      return;
    } catch (error) {
      if (attempt >= 10 || !isCollision(error)) throw error;
      logger.info({ err: error, attempt }, "another process is seeding the database too; looking again");
      await sleep(50 * attempt);
    }
  }
}

/** A unique key taken (P2002), a write conflict (P2034), or SQLite's lock held by another process. */
function isCollision(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    code === "P2002" ||
    code === "P2034" ||
    (typeof message === "string" && /SQLITE_BUSY|database is locked|timed out/i.test(message))
  );
}
