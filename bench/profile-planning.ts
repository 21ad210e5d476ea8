// Profiles one reminder point for every commune (a helper for finding where planning time goes):
// `node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-planning.ts`.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createApp } from "../src/app.ts";
import { createManualClock } from "../src/lib/clock.ts";
import { loadConfig } from "../src/config.ts";
import { createDb, migrateDatabase } from "../src/db/db.ts";
import { createLogger } from "../src/lib/logger.ts";
import { seedBundle } from "../src/plan/bundle.ts";
import { addMembers, parseMembersCsv } from "../src/plan/members.ts";
import { parseIsoInstant } from "../src/lib/time.ts";

const logger = createLogger("silent");
const dir = mkdtempSync(join(tmpdir(), "nhacviec-prof-"));
const url = `file:${join(dir, "p.db")}`;
await migrateDatabase(url, (db) => seedBundle(db, logger));
const db = createDb(url);
const plan = await db.plan.findFirstOrThrow({ where: { active: true } });
await addMembers(
  db,
  plan.id,
  "IV.9",
  parseMembersCsv(readFileSync(new URL("data/viet-nam-cap-xa.csv", import.meta.url), "utf8")),
);
const members = await db.agency.findMany({ where: { parent: { code: "IV.9" } } });
const createdAt = new Date();
for (let k = 0; k < 2; k++)
  await db.person.createMany({
    data: members.map((m) => ({ displayName: `Đ ${k} ${m.code}`, role: "contact", agencyId: m.id, createdAt })),
  });
await db.$disconnect();
const clock = createManualClock(parseIsoInstant("2026-12-01T08:00")!);
const app = await createApp({ config: loadConfig({ DATABASE_URL: url }), logger, clock, channels: [] });
const t0 = performance.now();
const dry = await app.reminders.plan(clock.now(), { dryRun: true });
const t1 = performance.now();
const real = await app.reminders.plan(clock.now());
const t2 = performance.now();
process.stdout.write(
  `dry ${dry.due.length} in ${Math.round(t1 - t0)} ms; real ${real.due.length} in ${Math.round(t2 - t1)} ms\n`,
);
await app.close();
