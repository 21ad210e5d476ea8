// Speed and memory at national scale: the bundled plan with all 3,321 communes of Vietnam as members
// of IV.9, each with a contact and some reports. Prints one JSON object and exits non-zero when a
// target is missed. Run with `npm run bench`.
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createManualClock } from "../src/clock.ts";
import { createBotCore } from "../src/core/bot.ts";
import { createDb, migrateDatabase, tuneDb } from "../src/db.ts";
import { createPresence } from "../src/delivery/presence.ts";
import { createOutboxSender } from "../src/delivery/sender.ts";
import { UNLIMITED, UNPACED, type DeliveryChannel } from "../src/delivery/types.ts";
import { activePolicy } from "../src/schedule/policy.ts";
import { createLogger } from "../src/logger.ts";
import { ensureBundledCalendar, readBundleFile } from "../src/plan/bundle.ts";
import { importPlan } from "../src/plan/import-plan.ts";
import { addMembers, parseMembersCsv } from "../src/plan/members.ts";
import { parsePlan } from "../src/plan/parse-plan.ts";
import { createReminderEngine } from "../src/reminders/engine.ts";
import { createOutboxNotifier } from "../src/delivery/outbox.ts";
import { loadPlanStatus } from "../src/services/status-service.ts";
import { parseIsoInstant } from "../src/time.ts";

const TARGETS_MS = {
  importMembers: 30_000,
  planStatus: 2_000,
  remindersDryRun: 10_000,
  reminderTick: 20_000,
  reportP95: 100,
  dutiesP95: 100,
};

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "nhacviec-bench-"));
  const url = `file:${join(dir, "bench.db")}`;
  const logger = createLogger("silent");
  await migrateDatabase(url);
  const db = createDb(url);
  await tuneDb(db);
  const clock = createManualClock(parseIsoInstant("2026-11-25T09:00")!);
  let peakRss = process.memoryUsage().rss;
  const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

  const plan = await importPlan(db, parsePlan(readBundleFile("ke-hoach-bhxh-dong-nai-2026.txt")));
  await ensureBundledCalendar(db, logger);
  const rows = parseMembersCsv(readFileSync(new URL("data/viet-nam-cap-xa.csv", import.meta.url), "utf8"));
  const [, importMembers] = await timed(() => addMembers(db, plan.planId, "IV.9", rows));
  sample();

  // One contact per commune, created directly: invites are not what is being measured.
  const members = await db.agency.findMany({ where: { parent: { code: "IV.9" } } });
  const now = clock.now();
  await db.$transaction(async (tx) => {
    for (const m of members) {
      const person = await tx.person.create({
        data: { displayName: `Đầu mối ${m.name}`, role: "contact", agencyId: m.id, createdAt: now },
      });
      await tx.identity.create({
        data: {
          personId: person.id,
          platform: "bench",
          userId: `u${m.id}`,
          chatId: `c${m.id}`,
          displayName: person.displayName,
          createdAt: now,
        },
      });
    }
  });

  const core = createBotCore({
    db,
    clock,
    notifier: createOutboxNotifier({ db, clock }),
    logger,
    inviteTtlDays: 14,
    defaultLocale: "vi",
  });
  const latencies: number[] = [];
  for (const [i, m] of members.slice(0, 300).entries()) {
    clock.advance(1000);
    const [, ms] = await timed(() =>
      core.handle({
        kind: "text",
        from: { platform: "bench", userId: `u${m.id}`, chatId: `c${m.id}`, displayName: "x" },
        text: `${["a", "b", "c", "d"][i % 4]} ${(i % 99) + 1}% đang thực hiện: tiến độ tuần này`,
      }),
    );
    latencies.push(ms);
  }
  latencies.sort((a, b) => a - b);
  const dutiesLatencies: number[] = [];
  for (const m of members.slice(0, 100)) {
    const [, ms] = await timed(() =>
      core.handle({
        kind: "command",
        from: { platform: "bench", userId: `u${m.id}`, chatId: `c${m.id}`, displayName: "x" },
        command: "nhiemvu",
        args: "",
      }),
    );
    dutiesLatencies.push(ms);
  }
  dutiesLatencies.sort((a, b) => a - b);
  sample();

  const planRow = await db.plan.findFirstOrThrow({ where: { active: true } });
  const [status, planStatus] = await timed(() => loadPlanStatus(db, planRow));
  sample();

  let delivered = 0;
  const channel: DeliveryChannel = {
    name: "bench",
    limits: UNLIMITED,
    pace: UNPACED,
    deliver: async () => ({ messageId: String(++delivered) }),
  };
  const presence = createPresence({ db, processId: randomUUID(), platforms: [channel.name] });
  const sender = createOutboxSender({ db, channels: [channel], presence, logger, policy: () => activePolicy(db) });
  const engine = createReminderEngine({ db, clock, sender, logger });
  const t14 = parseIsoInstant("2026-12-01T08:00")!;
  const [dry, remindersDryRun] = await timed(() => engine.plan(t14, { dryRun: true }));
  sample();
  const [tick, reminderTick] = await timed(() => engine.tick(t14));
  sample();

  const result = {
    communes: members.length,
    agencies: status.agencies.length,
    reportsSent: latencies.length,
    ms: {
      importMembers: Math.round(importMembers),
      planStatus: Math.round(planStatus),
      remindersDryRun: Math.round(remindersDryRun),
      reminderTick: Math.round(reminderTick),
      reportP50: Number(latencies[Math.floor(latencies.length * 0.5)]!.toFixed(1)),
      reportP95: Number(latencies[Math.floor(latencies.length * 0.95)]!.toFixed(1)),
      dutiesP95: Number(dutiesLatencies[Math.floor(dutiesLatencies.length * 0.95)]!.toFixed(1)),
    },
    reminders: { due: dry.due.length, sent: tick.sent.length, delivered },
    peakRssMiB: Math.round(peakRss / 1024 / 1024),
    targetsMs: TARGETS_MS,
  };
  const missed = (Object.keys(TARGETS_MS) as (keyof typeof TARGETS_MS)[]).filter((k) => result.ms[k] > TARGETS_MS[k]);
  process.stdout.write(`${JSON.stringify({ ...result, missed }, null, 2)}\n`);
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
  if (missed.length > 0 || delivered !== members.length) process.exitCode = 1;
}

await main();
