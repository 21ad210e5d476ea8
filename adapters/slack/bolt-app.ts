import { App, LogLevel, webApi, type Logger as BoltLogger } from "@slack/bolt";
import type { Config } from "../../src/config.ts";
import type { AdapterHost } from "../../src/delivery/adapter-host.ts";
import type { Logger } from "../../src/lib/logger.ts";
import { createDedup } from "../kit/dedup.ts";
import type { HttpRoute } from "../../src/delivery/types.ts";
import { createHttpReceiver } from "./receiver.ts";
import { SLACK_PLATFORM } from "./sending.ts";

// Bolt's app and Web API client, set up the way this adapter needs them: Bolt's logs in the
// process's logger, small retries, rate limits handed to the outbox, and the HTTP receiver on the
// shared server (or Socket Mode with an app token).

/**
 * Small retries: a push that fails goes back to the outbox, which has its own backoff, and a
 * rate limit is not slept on by the pushes' client (rejectRateLimitedCalls) but handed to the
 * outbox as delivery.rate_limited with Slack's Retry-After.
 */
export const SLACK_RETRY_CONFIG = { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000, randomize: false };
const SLACK_TIMEOUT_MS = 10_000;

function boltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ platform: SLACK_PLATFORM });
  const at =
    (level: "debug" | "info" | "warn" | "error") =>
    (...parts: unknown[]) =>
      log[level](parts.map((p) => (p instanceof Error ? p.message : String(p))).join(" "));
  // The process's logger has its level already.
  const fixed = { setLevel: () => undefined, getLevel: () => LogLevel.INFO, setName: () => undefined };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), ...fixed };
}

/** Bolt's app and Web API client, receiving over the shared HTTP server or, with an app token, Socket Mode. */
export function createBoltApp(
  config: NonNullable<Config["slack"]>,
  host: AdapterHost,
  runtime: { track: (work: Promise<unknown>) => void; formBudgetMs: number; accepting: () => boolean },
): { app: App; client: webApi.WebClient; pushClient: webApi.WebClient; route: HttpRoute | null } {
  const { track, formBudgetMs } = runtime;
  const logger = host.logger;
  const slackLogger = boltLogger(logger);
  const clientOptions: webApi.WebClientOptions = {
    ...(config.apiUrl && { slackApiUrl: config.apiUrl }),
    rejectRateLimitedCalls: true,
    retryConfig: SLACK_RETRY_CONFIG,
    timeout: SLACK_TIMEOUT_MS,
    logger: slackLogger,
  };
  const pushClient = new webApi.WebClient(config.botToken, clientOptions);
  // A reply has no outbox to wait in: its client waits out Slack's Retry-After itself.
  const client = new webApi.WebClient(config.botToken, { ...clientOptions, rejectRateLimitedCalls: false });

  // One auth.test for the bot's own ids (so its own messages are ignored), retried on the next
  // event if Slack could not be reached.
  let botIds: Promise<{ botUserId?: string; botId?: string }> | null = null;
  const authorize = async () => {
    botIds ??= client.auth
      .test()
      .then((r) => ({ ...(r.user_id && { botUserId: r.user_id }), ...(r.bot_id && { botId: r.bot_id }) }))
      .catch((error: unknown) => {
        botIds = null;
        throw error;
      });
    return { botToken: config.botToken, ...(await botIds) };
  };

  const socketMode = Boolean(config.appToken);
  const requests = createDedup({ store: host.store, platform: SLACK_PLATFORM, logger });
  if (!socketMode && !config.signingSecret) throw new Error("slack: SLACK_SIGNING_SECRET is required in HTTP mode");
  const http = socketMode
    ? null
    : createHttpReceiver({
        signingSecret: config.signingSecret!,
        logger,
        boltLogger: slackLogger,
        ackTimeoutMs: formBudgetMs + 1000,
        firstRequest: (signature) => requests.first(`request:${signature}`),
        accepting: runtime.accepting,
      });
  const app = new App({
    authorize,
    logger: slackLogger,
    clientOptions,
    // Conversations live in the core's database; Bolt's in-memory store would only grow.
    convoStore: false,
    ...(http ? { receiver: http.receiver } : { socketMode: true, appToken: config.appToken! }),
  });
  app.error(async (error) => {
    logger.error({ err: error, platform: SLACK_PLATFORM }, "slack: listener failed");
  });
  app.use(async ({ body, next }) => {
    // Slack sends an event again (x-slack-retry-num) when its 200 came late or not at all; the event
    // id is remembered in the database, so a retry, even to another process, is handled once.
    const eventId = (body as { event_id?: string }).event_id;
    // Bolt's receivers call processEvent themselves; this counts their events as in flight.
    const work = (async () => {
      if (!eventId || (await requests.first(eventId, { eventId }))) await next();
    })();
    track(work);
    await work;
  });
  return { app, client, pushClient, route: http?.route ?? null };
}
