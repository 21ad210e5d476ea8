// The 08:00 fan-out with several real bot processes (`npm start`'s bundle in server mode) on one
// PostgreSQL database, all talking to the same Bot API stand-in (30/s overall, 1/s per chat),
// while a contact reports every 100 ms through another process on the same database.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createApp } from "../src/app.ts";
import { createOffsetClock } from "../src/lib/clock.ts";
import { loadConfig } from "../src/config.ts";
import { toIsoLocal } from "../src/lib/time.ts";
import { percentile, round } from "./common.ts";
import {
  BOT_INFO,
  chatWhile,
  countDeliveries,
  rateLimitedShare,
  startStandIn,
  type FanOutFigures,
  type Network,
} from "./fan-out.ts";
import type { Logger } from "../src/lib/logger.ts";

const root = new URL("..", import.meta.url).pathname;
const CEILING_PER_SECOND = 30;

function startBot(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["dist/main.mjs", "--server"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "error", ...env },
  });
}

export async function runFanOutProcesses(options: {
  url: string;
  at: Date;
  processes: number;
  logger: Logger;
  network: Network;
}): Promise<FanOutFigures & { processes: number }> {
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root });
  const standIn = await startStandIn(options.network);
  // The chatting contact's own process: no platform, the same database.
  const clock = createOffsetClock(options.at);
  const app = await createApp({
    config: loadConfig({ DATABASE_URL: options.url }),
    logger: options.logger,
    clock,
    channels: [],
  });
  const bots: ChildProcess[] = [];
  try {
    const due = await app.db.outboxMessage.count({ where: { kind: "reminder", status: "pending" } });
    const chatter = await app.db.person.findFirstOrThrow({ where: { role: "contact" }, include: { identities: true } });
    const identity = chatter.identities[0]!;
    for (let i = 0; i < options.processes; i++) {
      bots.push(
        startBot({
          DATABASE_URL: options.url,
          NOW: toIsoLocal(options.at),
          TELEGRAM_BOT_TOKEN: "bench",
          TELEGRAM_BOT_USERNAME: BOT_INFO.username,
          TELEGRAM_API_ROOT: standIn.root,
          TELEGRAM_SEND_PER_SECOND: String(CEILING_PER_SECOND),
          TELEGRAM_SEND_CHAT_GAP_MS: "1000",
        }),
      );
    }
    const pending = () => app.db.outboxMessage.count({ where: { kind: "reminder", status: "pending" } });
    const deadline = performance.now() + 15 * 60_000;
    // Every tenth report looks whether the processes are done.
    const chat = await chatWhile(
      app,
      identity,
      async (i) => performance.now() < deadline && (i % 10 !== 9 || (await pending()) > 0),
    );
    // From the first message the platform accepted to the last: the processes' start-up is not sending.
    const times = standIn.accepted.map((a) => a.at);
    const seconds = times.length > 1 ? (Math.max(...times) - Math.min(...times)) / 1000 : 0;
    const perSecond = seconds > 0 ? (standIn.accepted.length - 1) / seconds : 0;
    const { duplicates, lost } = await countDeliveries(app.db, standIn.accepted);
    chat.sort((a, b) => a - b);
    return {
      processes: options.processes,
      network: options.network,
      reminders: due,
      seconds: round(seconds),
      perSecond: round(perSecond),
      ceilingFraction: Math.round((perSecond / CEILING_PER_SECOND) * 1000) / 1000,
      rateLimited: standIn.rateLimited,
      rateLimitedShare: rateLimitedShare(standIn),
      duplicates,
      lost,
      chatMessages: chat.length,
      chatP50Ms: round(percentile(chat, 50), 2),
      chatP99Ms: round(percentile(chat, 99), 2),
    };
  } finally {
    for (const bot of bots) bot.kill("SIGTERM");
    await Promise.all(
      bots.map((bot) => new Promise((resolve) => (bot.exitCode !== null ? resolve(null) : bot.once("exit", resolve)))),
    );
    await app.close();
    await standIn.close();
  }
}
