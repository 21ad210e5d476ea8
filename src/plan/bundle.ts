import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Db } from "../db.ts";
import type { Logger } from "../logger.ts";
import { importPlan } from "./import-plan.ts";
import { addMembers, parseMembersCsv } from "./members.ts";
import { parsePlan } from "./parse-plan.ts";
import { parseCalendarCsv } from "../reminders/calendar.ts";
import { importCalendar } from "../reminders/calendar-store.ts";

const seedDir = new URL("../../prisma/seed/", import.meta.url);

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

/** A fresh install gets the real Đồng Nai plan and its 95 communes, so there is something to try. */
export async function ensureBundledPlan(db: Db, logger: Logger): Promise<boolean> {
  if ((await db.plan.count()) > 0) return false;
  const manifest = readBundleManifest();
  const parsed = parsePlan(readBundleFile(manifest.plan));
  const summary = await importPlan(db, parsed);
  for (const m of manifest.members) {
    await addMembers(db, summary.planId, m.group, parseMembersCsv(readBundleFile(m.file)));
  }
  logger.info({ plan: parsed.title, agencies: parsed.agencies.length }, "bundled plan imported into an empty database");
  return true;
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
