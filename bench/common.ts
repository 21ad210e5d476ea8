// What the SQLite run (run.ts) and the PostgreSQL run (pg.ts) share: the sizes, the national data
// set, and the inbound measurements through the core and through the Telegram adapter.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { createApp, type App } from "../src/app.ts";
import type { ManualClock } from "../src/lib/clock.ts";
import { loadConfig } from "../src/config.ts";
import { createDb, migrateDatabase } from "../src/db/db.ts";
import { createLogger } from "../src/lib/logger.ts";
import { addMembers, parseMembersCsv } from "../src/plan/members.ts";
import { seedBundle } from "../src/plan/bundle.ts";
import { BOT_INFO } from "./fan-out.ts";
import { createTelegramAdapter, type TelegramAdapter } from "../adapters/telegram/telegram-adapter.ts";

export const quick = process.argv.includes("--quick");
/** `--fan-out`: only the fan-out cases (and chat during them), for a pacing change measured again. */
export const fanOutOnly = process.argv.includes("--fan-out");
/** `--national`: only the 60-plan case (bench/national.ts). */
export const nationalOnly = process.argv.includes("--national");

export const SIZE = quick
  ? {
      communes: 100,
      reportAgencies: 100,
      reports: 300,
      pacedReports: 150,
      contactsPerCommune: 2,
      idleWaitMs: 3_000,
      exportAgencies: 100,
      exportReports: 500,
    }
  : {
      communes: 3_321,
      reportAgencies: 1_000,
      reports: 10_000,
      /** Reports sent at a steady rate by processes sharing a database (pg.ts). */
      pacedReports: 3_000,
      contactsPerCommune: 2,
      idleWaitMs: 60_000,
      exportAgencies: 200,
      exportReports: 5_000,
    };

/** Missing one fails the run. Absolute times vary by machine; see README "Performance". */
export const TARGETS = {
  inboundP99Ms: 20,
  planningMs: 2_000,
  idleRssMb: 150,
  fanOutCeilingFraction: 0.95,
  /** At 120 ms ± 60 ms one way (bench/fan-out.ts, EUROPE). */
  fanOutCeilingFractionOverNetwork: 0.93,
  /** Answers 429 as a share of the sends, in either network case. */
  rateLimitedShare: 0.005,
  chatDuringFanOutP99Ms: 100,
  xlsxExportMs: 5_000,
  /** A coordinator's /quahan over every plan followed, 60 of them (national.ts). */
  overdueViewP95Ms: 200,
};

export const logger = createLogger("silent");

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** What a fan-out missed of its targets; the quick run checks only what is wrong at any speed. */
export function fanOutMisses(
  label: string,
  f: {
    network: { oneWayMs: number };
    ceilingFraction: number;
    rateLimitedShare: number;
    duplicates: number;
    lost: number;
    chatP99Ms: number;
  },
): string[] {
  const ceiling = f.network.oneWayMs > 0 ? TARGETS.fanOutCeilingFractionOverNetwork : TARGETS.fanOutCeilingFraction;
  return [
    f.duplicates > 0 && `${label}: ${f.duplicates} duplicates`,
    f.lost > 0 && `${label}: ${f.lost} lost`,
    !quick && f.ceilingFraction < ceiling && `${label}: fan-out at ${f.ceilingFraction} of the ceiling`,
    !quick &&
      f.rateLimitedShare > TARGETS.rateLimitedShare &&
      `${label}: ${f.rateLimitedShare} of the sends answered 429`,
    !quick && f.chatP99Ms >= TARGETS.chatDuringFanOutP99Ms && `${label}: chat p99 ${f.chatP99Ms} ms during fan-out`,
  ].filter((m): m is string => typeof m === "string");
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

/** A migrated, seeded database with the national communes under IV.9 and two contacts each. */
export async function buildDatabase(
  url: string,
): Promise<{ url: string; members: { id: number; code: string; directoryId: number }[] }> {
  await migrateDatabase(url, (db) => seedBundle(db, logger));
  const db = createDb(url);
  // PostgreSQL is seeded by the app's start, not by migrating; a second look costs nothing here.
  await seedBundle(db, logger);
  const plan = await db.plan.findFirstOrThrow({ where: { active: true } });
  // The bundle's 95 communes of Đồng Nai are replaced by the national list (same group, IV.9).
  const csv = readFileSync(new URL("data/viet-nam-cap-xa.csv", import.meta.url), "utf8");
  const rows = parseMembersCsv(csv).slice(0, SIZE.communes);
  await addMembers(db, plan.id, "IV.9", rows);
  const members = await db.agency.findMany({
    where: { parent: { code: "IV.9" }, planId: plan.id },
    select: { id: true, code: true, directoryId: true },
    orderBy: { id: "asc" },
  });
  const createdAt = new Date();
  for (let k = 0; k < SIZE.contactsPerCommune; k++) {
    await db.person.createMany({
      data: members.map((m) => ({
        displayName: `Đầu mối ${k + 1} ${m.code}`,
        role: "contact",
        directoryAgencyId: m.directoryId,
        createdAt,
      })),
    });
  }
  const people = await db.person.findMany({ where: { role: "contact" }, select: { id: true } });
  await db.identity.createMany({
    data: people.map((p) => ({
      personId: p.id,
      platform: "telegram",
      userId: String(100_000 + p.id),
      chatId: String(100_000 + p.id),
      displayName: `Người ${p.id}`,
      createdAt,
    })),
  });
  await db.$disconnect();
  return { url, members };
}

/**
 * `reports` and `latencies` let one of several processes run its share and hand back its times
 * (pg.ts). Without `perSecond` each report is sent as soon as the last is answered (the throughput);
 * with it, reports are sent at that steady rate and each one's time runs from when it was due, so a
 * report held up behind a slow one counts its wait too.
 */
export async function inboundThroughCore(
  app: App,
  clock: ManualClock,
  members: { id: number; directoryId: number }[],
  options: { reports?: number; latencies?: number[]; perSecond?: number } = {},
) {
  const reports = options.reports ?? SIZE.reports;
  const people = await app.db.person.findMany({
    where: { directoryAgencyId: { in: members.slice(0, SIZE.reportAgencies).map((m) => m.directoryId) } },
    include: { identities: true },
  });
  const latencies: number[] = options.latencies ?? [];
  const duties = ["a", "b", "c", "d"];
  const started = performance.now();
  for (let i = 0; i < reports; i++) {
    const person = people[i % people.length]!;
    const identity = person.identities[0]!;
    clock.advance(50);
    const due = options.perSecond ? started + (i * 1000) / options.perSecond : performance.now();
    if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
    const replies = await app.core.handle({
      kind: "text",
      from: { platform: identity.platform, userId: identity.userId, chatId: identity.chatId, displayName: "x" },
      text: `9${duties[i % 4]} ${(i % 99) + 1}% đang thực hiện: tiến độ tuần này`,
    });
    if (!replies[0]?.text.includes("Đã ghi nhận")) throw new Error(`report ${i} refused: ${replies[0]?.text}`);
    latencies.push(performance.now() - due);
  }
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    reports,
    contacts: people.length,
    agencies: Math.min(SIZE.reportAgencies, members.length),
    perSecond: round(reports / seconds, 0),
    p50Ms: round(percentile(sorted, 50), 2),
    p95Ms: round(percentile(sorted, 95), 2),
    p99Ms: round(percentile(sorted, 99), 2),
  };
}

/**
 * The same reports through the Telegram adapter's update handler: updates as Telegram would send
 * them, replies answered at once by an API transformer instead of the network.
 */
export async function inboundThroughTelegram(
  url: string,
  members: { id: number; directoryId: number }[],
  clock: ManualClock,
) {
  let adapter: TelegramAdapter | null = null;
  const config = loadConfig({ DATABASE_URL: url, TELEGRAM_BOT_TOKEN: "bench" });
  let messageId = 0;
  const app = await createApp({
    config,
    logger,
    clock,
    adapters: (host) => {
      adapter = createTelegramAdapter({
        host,
        settings: config.telegram!,
        pace: config.pace.telegram,
        defaultLocale: "vi",
        botInfo: BOT_INFO,
        transformers: [
          async (_prev, _method, payload) =>
            ({
              ok: true,
              result: {
                message_id: ++messageId,
                date: 0,
                chat: { id: Number((payload as { chat_id?: unknown }).chat_id), type: "private" },
              },
            }) as never,
        ],
      });
      return [adapter];
    },
  });
  const telegram = adapter as TelegramAdapter | null;
  if (!telegram) throw new Error("no Telegram adapter");
  const people = await app.db.person.findMany({
    where: { directoryAgencyId: { in: members.slice(0, SIZE.reportAgencies).map((m) => m.directoryId) } },
    include: { identities: true },
  });
  const latencies: number[] = [];
  const duties = ["a", "b", "c", "d"];
  const started = performance.now();
  for (let i = 0; i < SIZE.reports; i++) {
    const identity = people[i % people.length]!.identities[0]!;
    const user = { id: Number(identity.userId), is_bot: false, first_name: "Đầu mối", language_code: "vi" };
    clock.advance(50);
    const [, ms] = await timed(() =>
      telegram.bot.handleUpdate({
        update_id: 1_000_000 + i,
        message: {
          message_id: i + 1,
          date: Math.floor(clock.now().getTime() / 1000),
          chat: { id: user.id, type: "private", first_name: user.first_name },
          from: user,
          text: `9${duties[i % 4]} ${(i % 99) + 1}% đang thực hiện: tiến độ tuần này`,
        },
      }),
    );
    latencies.push(ms);
  }
  const seconds = (performance.now() - started) / 1000;
  const stored = await app.db.dutyReport.count();
  await app.close();
  latencies.sort((a, b) => a - b);
  return {
    reports: SIZE.reports,
    stored,
    perSecond: round(SIZE.reports / seconds, 0),
    p50Ms: round(percentile(latencies, 50), 2),
    p95Ms: round(percentile(latencies, 95), 2),
    p99Ms: round(percentile(latencies, 99), 2),
  };
}
