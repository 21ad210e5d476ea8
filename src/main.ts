import { setFlagsFromString } from "node:v8";
import cron from "node-cron";
import { CONSOLE_PLATFORM, createConsoleSession } from "../adapters/console/console-adapter.ts";
import { promptFor } from "../adapters/console/console-chat.ts";
import { createApp, type App } from "./app.ts";
import { createOffsetClock, systemClock, type Clock } from "./lib/clock.ts";
import { ConfigError, loadConfig, type Config } from "./config.ts";
import type { AdapterHost } from "./delivery/adapter-host.ts";
import type { PlatformAdapter } from "./delivery/types.ts";
import { databaseKind } from "./db/database-url.ts";
import { databaseFault } from "./db/db-errors.ts";
import { databaseFaultText } from "./i18n/error-text.ts";
import { vi } from "./i18n/vi.ts";
import { createLogger, type Logger } from "./lib/logger.ts";
import { healthReport, healthRoute, startingReport } from "./server/health.ts";
import { createHttpServer } from "./server/http-server.ts";
import { ensureLocalAdmin } from "./services/contact-service.ts";
import { TIME_ZONE } from "./lib/time.ts";

// Composition root. With a platform configured, or with --server, it runs as a long-lived
// service: every adapter, the reminder tick, the outbox loop and one HTTP server. Otherwise it
// is the local console chat as the built-in administrator.

// Prisma's query compiler is WebAssembly; compiling each of its functions only when first called,
// rather than all at start, keeps about 8 MB of machine code out of a running bot (README,
// "Performance") and costs no measurable latency. Set before the first query compiles it.
setFlagsFromString("--wasm-lazy-compilation");

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

/**
 * SIGINT and SIGTERM, from wherever they come (a terminal, npm, a supervisor, a container runtime):
 * the first asks the process to stop, and the rest change nothing. Installed before anything is
 * awaited, so no signal finds the process without its handlers and kills it half-way.
 */
interface StopRequests {
  /** The first signal. */
  requested: Promise<NodeJS.Signals>;
  /** Aborted at the first signal: long waits of the start (a PostgreSQL server not up yet) end with it. */
  signal: AbortSignal;
}

function listenForStop(): StopRequests {
  const controller = new AbortController();
  const requested = new Promise<NodeJS.Signals>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      controller.abort();
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return { requested, signal: controller.signal };
}

/**
 * The HTTP server listens first, so /healthz answers (503, "starting") while the process waits for
 * its database or migrates; the adapters' webhooks are added once the app exists. A stop asked for
 * at any point of the start ends it at the next step, and the process exits 0.
 */
async function runServer(config: Config, logger: Logger, clock: Clock, stop: StopRequests): Promise<void> {
  let report = () => Promise.resolve(startingReport(databaseKind(config.databaseUrl)));
  const http = createHttpServer({
    host: config.http.host,
    port: config.http.port,
    logger,
    routes: [healthRoute(() => report())],
    awaitingRoutes: true,
  });
  const address = await http.start();
  logger.info({ host: address.host, port: address.port, pid: process.pid }, "listening");
  let app: App;
  try {
    app = await createApp({
      config,
      logger,
      clock,
      adapters: await loadPlatformAdapters(config),
      waitForDatabase: true,
      signal: stop.signal,
    });
  } catch (error) {
    await http.stop();
    if (!stop.signal.aborted) throw error;
    logger.info({ signal: await stop.requested }, "stopped before the database was open");
    return;
  }
  const { adapters } = app;
  report = () => healthReport(app.db, Object.fromEntries(adapters.map((a) => [a.name, a])));
  http.add(adapters.flatMap((a) => a.routes?.() ?? []));
  try {
    await serve(app, logger, stop, () =>
      process.stderr.write(`${vi.cli.serverListening(address.host, address.port)}\n`),
    );
  } finally {
    await http.stop();
  }
}

/**
 * Runs the adapters, the reminder tick and the outbox until a stop is asked for, then stops them:
 * new updates first, then what is in flight, then sends get their grace period. A start that
 * fails stops what it had started too, so the process does not linger with half a service.
 */
async function serve(app: App, logger: Logger, stop: StopRequests, announce: () => void): Promise<void> {
  const { adapters } = app;
  let stopBeating = () => {};
  let stopSending = () => {};
  let task: ReturnType<typeof startTicking> | undefined;
  try {
    await app.heartbeat();
    stopBeating = app.keepBeating();
    announce();
    for (const adapter of adapters) {
      if (stop.signal.aborted) break;
      // A start still under way when the stop comes is ended by adapter.stop() below.
      const starting = adapter.start();
      starting.catch(() => undefined);
      await Promise.race([starting, stop.requested]);
    }
    if (!stop.signal.aborted) {
      task = startTicking(app, logger);
      stopSending = app.keepSending();
      void app.tick().catch((error: unknown) => logger.error({ err: error }, "reminder tick failed"));
    }
    logger.info({ signal: await stop.requested }, "stopping");
  } finally {
    for (const adapter of adapters) await adapter.stop();
    stopSending();
    stopBeating();
    await task?.stop();
    await app.close(SHUTDOWN_GRACE_MS);
  }
}

async function runConsole(config: Config, logger: Logger, clock: Clock, stop: StopRequests): Promise<void> {
  const identity = { platform: CONSOLE_PLATFORM, userId: "admin", chatId: "admin", displayName: vi.cli.localAdminName };
  const session = createConsoleSession({
    identity,
    write: (t) => process.stdout.write(t),
    prompt: promptFor(process.stdin),
  });
  const app = await createApp({ config, logger, clock, channels: [session.adapter] });
  await session.adapter.start();
  const task = startTicking(app, logger);
  await app.tick();
  await ensureLocalAdmin({ db: app.db, clock }, identity);
  const stopBeating = app.keepBeating();
  const stopSending = app.keepSending();
  process.stderr.write(`${vi.cli.chatBanner}\n`);
  // Ctrl+C (or a signal) ends the chat as the end of the input does.
  await Promise.race([
    session.run({ core: app.core, input: process.stdin, afterEach: () => app.flush() }),
    stop.requested,
  ]);
  stopSending();
  stopBeating();
  await task.stop();
  await session.adapter.stop();
  await app.close();
}

async function main(): Promise<void> {
  const stop = listenForStop();
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
  if (server) await runServer(config, logger, clock, stop);
  else await runConsole(config, logger, clock, stop);
  // Whatever is left (standard input still open after a signal, a platform's socket) must not keep
  // a stopped bot alive.
  process.exit(0);
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
  // A start that failed half-way may still hold a connection or a socket: it must not keep the process.
  process.exit(1);
});
