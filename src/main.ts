import { setFlagsFromString } from "node:v8";
import cron from "node-cron";
import { createConsoleAdapter } from "../adapters/console/console-adapter.ts";
import { runConsoleChat } from "../adapters/console/console-chat.ts";
import { createApp, type App } from "./app.ts";
import { createOffsetClock, systemClock, type Clock } from "./clock.ts";
import { ConfigError, loadConfig, type Config } from "./config.ts";
import { HEARTBEAT_EVERY_MS } from "./delivery/presence.ts";
import type { AdapterHost } from "./delivery/adapter-host.ts";
import type { PlatformAdapter } from "./delivery/types.ts";
import { databaseFault, databaseFaultText } from "./db-errors.ts";
import { vi } from "./i18n/vi.ts";
import { createLogger, type Logger } from "./logger.ts";
import { healthReport, healthRoute } from "./server/health.ts";
import { createHttpServer } from "./server/http-server.ts";
import { ensureLocalAdmin } from "./services/contact-service.ts";
import { TIME_ZONE } from "./time.ts";

// Composition root. With a platform configured, or with --server, it runs as a long-lived
// service: every adapter, the reminder tick, the outbox loop and one HTTP server. Otherwise it
// is the local console chat as the built-in administrator.

// Prisma's query compiler is WebAssembly; compiling each of its functions only when first called,
// rather than all at start, keeps about 8 MB of machine code out of a running bot (README,
// "Performance") and costs no measurable latency. Set before the first query compiles it.
setFlagsFromString("--wasm-lazy-compilation");

/** How often the outbox is looked at between the core's own kicks: pushes queued by another process. */
const OUTBOX_POLL_MS = 1000;
/** Sends in flight get this long to finish on shutdown. */
const SHUTDOWN_GRACE_MS = 10_000;

/** node-cron is only the trigger: the engine decides from the clock and the outbox what is due. */
function startTicking(app: App, logger: Logger) {
  let ticking = false;
  return cron.schedule(
    "* * * * *",
    async () => {
      if (ticking) return;
      ticking = true;
      try {
        await app.tick();
        await app.store.prune();
      } catch (error) {
        logger.error({ err: error }, "reminder tick failed");
      } finally {
        ticking = false;
      }
    },
    { timezone: TIME_ZONE },
  );
}

/**
 * One adapter per configured platform. Each is loaded only when configured: grammY, Bolt and the
 * rest cost the running process memory that a bot without that platform should not pay.
 */
async function loadPlatformAdapters(config: Config): Promise<(host: AdapterHost) => PlatformAdapter[]> {
  const telegram = config.telegram && (await import("../adapters/telegram/telegram-adapter.ts"));
  const slack = config.slack && (await import("../adapters/slack/slack-adapter.ts"));
  const zalo = config.zalo && (await import("../adapters/zalo/zalo-adapter.ts"));
  return (host) => {
    const adapters: PlatformAdapter[] = [];
    if (config.telegram && telegram) {
      adapters.push(
        telegram.createTelegramAdapter({
          host,
          settings: config.telegram,
          pace: config.pace.telegram,
          defaultLocale: config.defaultLocale,
        }),
      );
    }
    if (config.slack && slack) {
      adapters.push(slack.createSlackAdapter({ config: config.slack, pace: config.pace.slack, host }));
    }
    if (config.zalo && zalo) {
      adapters.push(
        zalo.createZaloAdapter({
          config: config.zalo,
          publicBaseUrl: config.publicBaseUrl,
          pace: config.pace.zalo,
          host,
          locale: config.defaultLocale,
        }),
      );
    }
    return adapters;
  };
}

async function runServer(config: Config, logger: Logger, clock: Clock): Promise<void> {
  const app = await createApp({
    config,
    logger,
    clock,
    adapters: await loadPlatformAdapters(config),
    waitForDatabase: true,
  });
  const { adapters } = app;
  const http = createHttpServer({
    host: config.http.host,
    port: config.http.port,
    logger,
    routes: [
      healthRoute(() => healthReport(app.db, Object.fromEntries(adapters.map((a) => [a.name, a])))),
      ...adapters.flatMap((a) => a.routes?.() ?? []),
    ],
  });
  await app.heartbeat();
  const beating = setInterval(
    () => void app.heartbeat().catch((error: unknown) => logger.warn({ err: error }, "heartbeat failed")),
    HEARTBEAT_EVERY_MS,
  );
  const address = await http.start();
  logger.info({ host: address.host, port: address.port }, "listening");
  process.stderr.write(`${vi.cli.serverListening(address.host, address.port)}\n`);
  for (const adapter of adapters) await adapter.start();
  const task = startTicking(app, logger);
  const poll = setInterval(() => void app.flush(), OUTBOX_POLL_MS);
  void app.tick().catch((error: unknown) => logger.error({ err: error }, "reminder tick failed"));

  let stopping: Promise<void> | null = null;
  const shutdown = (signal: string) => {
    stopping ??= (async () => {
      logger.info({ signal }, "stopping");
      // New updates stop first; what is in flight finishes, then sends get their grace period.
      for (const adapter of adapters) await adapter.stop();
      clearInterval(poll);
      clearInterval(beating);
      await task.stop();
      await app.close(SHUTDOWN_GRACE_MS);
      await http.stop();
      process.exit(0);
    })().catch((error: unknown) => {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    });
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

async function runConsole(config: Config, logger: Logger, clock: Clock): Promise<void> {
  const console = createConsoleAdapter({ write: (text) => process.stderr.write(text) });
  const app = await createApp({ config, logger, clock, channels: [console] });
  await console.start();
  const task = startTicking(app, logger);
  await app.tick();

  const identity = { platform: console.name, userId: "admin", chatId: "admin", displayName: vi.cli.localAdminName };
  await ensureLocalAdmin({ db: app.db, clock }, identity);
  process.stderr.write(`${vi.cli.chatBanner}\n`);
  await runConsoleChat({
    core: app.core,
    identity,
    input: process.stdin,
    write: (t) => process.stdout.write(t),
    afterEach: app.flush,
  });
  await task.stop();
  await console.stop();
  await app.close();
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${vi.cli.configInvalid(error.message)}\n`);
      process.exit(2);
    }
    throw error;
  }
  const server = process.argv.includes("--server") || Boolean(config.telegram || config.slack || config.zalo);
  // In server mode logs are the only output, so info is on by default; in the terminal chat they
  // would mix with the conversation.
  const logger = createLogger(config.logLevel ?? (server ? "info" : "warn"));
  const clock = config.startAt ? createOffsetClock(config.startAt, systemClock) : systemClock;
  if (server) await runServer(config, logger, clock);
  else await runConsole(config, logger, clock);
}

main().catch((error: unknown) => {
  // One clear line for the operator; the detail goes to the log, never a stack trace on screen.
  const fault = databaseFault(error);
  if (fault) {
    let url = "";
    try {
      url = loadConfig().databaseUrl;
    } catch {
      // The configuration was read once already; if it fails now the fault text still helps.
    }
    process.stderr.write(`${databaseFaultText(vi, fault, url)}\n`);
  } else {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exitCode = 1;
});
