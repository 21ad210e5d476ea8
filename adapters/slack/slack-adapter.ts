import { App, LogLevel, webApi, type Logger as BoltLogger } from "@slack/bolt";
import type { Config } from "../../src/config.ts";
import type { AdapterHost } from "../../src/delivery/adapter-host.ts";
import { splitMessage } from "../../src/delivery/split-message.ts";
import type {
  AdapterState,
  DeliveryTarget,
  DigestChannel,
  HttpRoute,
  Pace,
  PlatformAdapter,
  PlatformLimits,
} from "../../src/delivery/types.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import type { Logger } from "../../src/lib/logger.ts";
import { toDeliveryError } from "./errors.ts";
import * as actions from "./listeners/actions/index.ts";
import * as commands from "./listeners/commands/index.ts";
import * as events from "./listeners/events/index.ts";
import * as views from "./listeners/views/index.ts";
import { createHttpReceiver, type HttpReceiver } from "./receiver.ts";
import { renderMessage, valueEncoder } from "./render.ts";
import { createSurface, SLACK_MAX_MESSAGE_LENGTH, SLACK_PLATFORM } from "./surface.ts";

export { SLACK_PLATFORM };

export const SLACK_LIMITS: PlatformLimits = {
  maxMessageLength: SLACK_MAX_MESSAGE_LENGTH,
  buttons: true,
  // A button's value; longer choice values travel as a short key from the adapters' store.
  maxButtonPayloadBytes: 2000,
  maxButtonsPerRow: 25,
  maxButtons: 250,
  files: true,
  groupChats: true,
};

/**
 * Small retries: a push that fails goes back to the outbox, which has its own backoff, and a
 * rate limit is never slept on in here (rejectRateLimitedCalls) but handed to the outbox as
 * delivery.rate_limited with Slack's Retry-After.
 */
export const SLACK_RETRY_CONFIG = { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000, randomize: false };
export const SLACK_TIMEOUT_MS = 10_000;
/** Slack waits 3 s for a form's answer; what the core decides within this goes in the answer itself. */
export const FORM_BUDGET_MS = 2000;

export interface SlackAdapter extends PlatformAdapter {
  /** Resolves once every event received so far has been handled completely (tests, shutdown). */
  settled(): Promise<void>;
}

function boltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ platform: SLACK_PLATFORM });
  const line = (parts: unknown[]) => parts.map((p) => (p instanceof Error ? p.message : String(p))).join(" ");
  return {
    debug: (...parts) => log.debug(line(parts)),
    info: (...parts) => log.info(line(parts)),
    warn: (...parts) => log.warn(line(parts)),
    error: (...parts) => log.error(line(parts)),
    // The process's logger has its level already.
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}

/**
 * Slack through Bolt: the slash command /nhacviec, the report and submission forms, App Home and
 * the Messages tab, over HTTP on the shared server (/slack/events) or over Socket Mode when an app
 * token is set. Every decision is the core's; this only translates.
 */
export function createSlackAdapter(deps: {
  config: NonNullable<Config["slack"]>;
  pace: Pace;
  host: AdapterHost;
  formBudgetMs?: number;
}): SlackAdapter {
  const { config, host } = deps;
  const logger = host.logger;
  let state: AdapterState = "idle";
  const { track, settled } = createTracker(logger);
  const { app, client, receiver } = createBoltApp(config, host, track);

  const surface = createSurface({
    host,
    client,
    botToken: config.botToken,
    logger,
    track,
    formBudgetMs: deps.formBudgetMs ?? FORM_BUDGET_MS,
  });
  commands.register(app, surface);
  actions.register(app, surface);
  views.register(app, surface);
  events.register(app, surface);

  const encode = valueEncoder((value) => host.store.keyForValue(value));
  const post = (channel: string, message: OutgoingMessage) => postParts(client, encode, channel, message);
  const digestChannel: DigestChannel | undefined = config.digestChannel
    ? {
        name: SLACK_PLATFORM,
        // The channel is shared by people of every language; the plan's own language it is.
        locale: "vi",
        async post(message) {
          await post(config.digestChannel!, message);
        },
      }
    : undefined;

  return {
    name: SLACK_PLATFORM,
    limits: SLACK_LIMITS,
    pace: deps.pace,
    state: () => state,
    ...(digestChannel && { digestChannel }),
    routes: (): HttpRoute[] => (receiver ? [receiver.route()] : []),
    settled,
    async start() {
      state = "starting";
      try {
        if (!receiver) await app.start();
        else receiver.open();
        state = "running";
      } catch (error) {
        state = "failed";
        throw error;
      }
    },
    async stop() {
      state = "stopping";
      if (receiver) receiver.close();
      else await app.stop().catch((error: unknown) => logger.warn({ err: error }, "slack: socket close failed"));
      await settled();
      state = "stopped";
    },
    async deliver(target: DeliveryTarget, message: OutgoingMessage) {
      try {
        return { messageId: await post(target.chatId, message) };
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
  };
}

/** The adapter's work in flight (events, pushes begun by forms), so stopping can wait for it. */
function createTracker(logger: Logger) {
  const inFlight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const done: Promise<unknown> = work
      .catch((error: unknown) => logger.error({ err: error, platform: SLACK_PLATFORM }, "slack: work failed"))
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };
  async function settled(): Promise<void> {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  }
  return { track, settled };
}

/** Bolt's app and Web API client, receiving over the shared HTTP server or, with an app token, Socket Mode. */
function createBoltApp(
  config: NonNullable<Config["slack"]>,
  host: AdapterHost,
  track: (work: Promise<unknown>) => void,
): { app: App; client: webApi.WebClient; receiver: HttpReceiver | null } {
  const logger = host.logger;
  const slackLogger = boltLogger(logger);
  const clientOptions: webApi.WebClientOptions = {
    ...(config.apiUrl && { slackApiUrl: config.apiUrl }),
    rejectRateLimitedCalls: true,
    retryConfig: SLACK_RETRY_CONFIG,
    timeout: SLACK_TIMEOUT_MS,
    logger: slackLogger,
  };
  const client = new webApi.WebClient(config.botToken, clientOptions);

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
  if (!socketMode && !config.signingSecret) throw new Error("slack: SLACK_SIGNING_SECRET is required in HTTP mode");
  const receiver: HttpReceiver | null = socketMode
    ? null
    : createHttpReceiver({
        signingSecret: config.signingSecret!,
        logger,
        track,
        firstRequest: (signature) => host.store.firstDelivery(SLACK_PLATFORM, `request:${signature}`),
      });
  const app = new App({
    authorize,
    logger: slackLogger,
    clientOptions,
    // Conversations live in the core's database; Bolt's in-memory store would only grow.
    convoStore: false,
    ...(receiver ? { receiver } : { socketMode: true, appToken: config.appToken! }),
  });
  app.error(async (error) => {
    logger.error({ err: error, platform: SLACK_PLATFORM }, "slack: listener failed");
  });
  // Socket Mode calls processEvent itself; this counts its events as in flight too.
  app.use(async ({ next }) => {
    const work = next();
    track(work);
    await work;
  });
  return { app, client, receiver };
}

/** A message as Slack messages: split to Slack's length, each part posted, a file uploaded after its text. */
async function postParts(
  client: webApi.WebClient,
  encode: ReturnType<typeof valueEncoder>,
  channel: string,
  message: OutgoingMessage,
): Promise<string | null> {
  let messageId: string | null = null;
  for (const part of splitMessage(message, SLACK_LIMITS.maxMessageLength)) {
    const rendered = await renderMessage(part, encode);
    const posted = await client.chat.postMessage({ channel, ...rendered, unfurl_links: false, unfurl_media: false });
    messageId = posted.ts ?? messageId;
    if (part.file) {
      await client.filesUploadV2({
        channel_id: channel,
        file: Buffer.from(part.file.content),
        filename: part.file.name,
        title: part.file.name,
      });
    }
  }
  return messageId;
}
