import { readFile } from "node:fs/promises";
import { autoRetry, type AutoRetryOptions } from "@grammyjs/auto-retry";
import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import { Bot, BotError, GrammyError, HttpError, InputFile, type Api, type Context, type Transformer } from "grammy";
import type { CallbackQuery, Chat, Message, Update, User, UserFromGetMe } from "grammy/types";
import { TELEGRAM_USERNAME_SETTING } from "../../src/delivery/adapter-store.ts";
import type { Config } from "../../src/config.ts";
import { MAX_INCOMING_FILE_BYTES, type IncomingAttachment, type IncomingEvent } from "../../src/model/bot-core.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import type { AdapterHost } from "../../src/delivery/adapter-host.ts";
import { commandEvent } from "../../src/core/commands.ts";
import type { AdapterStore } from "../../src/delivery/adapter-store.ts";
import { soleLeadership } from "../../src/delivery/poll-leader.ts";
import { splitMessage } from "../../src/delivery/split-message.ts";
import type {
  AdapterState,
  DeliveryTarget,
  HttpRoute,
  Pace,
  PlatformAdapter,
  PlatformLimits,
} from "../../src/delivery/types.ts";
import { messagesFor, type Locale, type Messages } from "../../src/i18n/index.ts";
import type { Logger } from "../../src/lib/logger.ts";
import { decodeChoice, inlineKeyboard } from "./buttons.ts";
import { isBadToken, isGrammyError, toDeliveryError } from "./errors.ts";
import { createMenuSync, type MenuSync } from "./menus.ts";
import { identityOf, parseCommand, sentFileOf, TELEGRAM_PLATFORM, type SentFile } from "./updates.ts";
import { webhookRoute } from "./webhook.ts";

// Telegram through grammY. The adapter only translates: an update becomes an event for the core,
// the core's replies and the outbox's pushes become Bot API calls. Updates arrive by long polling
// (the runner) or, with TELEGRAM_WEBHOOK_URL, on the shared HTTP server.

export type TelegramSettings = NonNullable<Config["telegram"]>;

export const TELEGRAM_LIMITS: PlatformLimits = {
  maxMessageLength: 4096,
  buttons: true,
  maxButtonPayloadBytes: 64,
  maxButtonsPerRow: 8,
  maxButtons: 100,
  files: true,
  groupChats: true,
};

const DEFAULT_API_ROOT = "https://api.telegram.org";
// Not channel posts: a channel is nobody's chat with the bot, and an answer there would be read by
// every subscriber.
const ALLOWED_UPDATES = ["message", "callback_query"] as const;
/** A file's caption holds at most this much; longer text goes in a message of its own before it. */
const CAPTION_MAX = 1024;
/** sendPhoto takes JPEG and PNG up to 10 MB; anything else is sent as a document. */
const PHOTO_TYPES = new Set(["image/jpeg", "image/png"]);
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** A long poll lasts 30 s; a call that takes longer than this has failed. */
const API_TIMEOUT_SECONDS = 75;
const MENU_SYNC_EVERY_MS = 5 * 60 * 1000;
/**
 * A reply has no outbox behind it: a short "retry after" is waited out once or twice; 5xx gets the
 * plugin's short backoff. Network errors are not retried here (the plugin would retry them forever).
 */
const REPLY_RETRY: Partial<AutoRetryOptions> = {
  maxRetryAttempts: 2,
  maxDelaySeconds: 10,
  rethrowHttpErrors: true,
};

export interface TelegramAdapterDeps {
  host: AdapterHost;
  settings: TelegramSettings;
  pace: Pace;
  /** Language of short answers to people whose Telegram app is neither Vietnamese nor English. */
  defaultLocale: Locale;
  /** Known bot info, so no getMe is needed (tests). */
  botInfo?: UserFromGetMe;
  /** Installed on every Bot API call, replies and pushes alike (tests capture calls with one). */
  transformers?: readonly Transformer[];
  /** How long a menu may lag behind a deactivation made elsewhere (the CLI, another platform). */
  menuSyncEveryMs?: number;
  /** How long to wait before trying Telegram again after the n-th failed start (from 0). */
  reconnectDelayMs?: (attempt: number) => number;
  replyRetry?: Partial<AutoRetryOptions>;
}

export interface TelegramAdapter extends PlatformAdapter {
  readonly bot: Bot;
  /** Brings the coordinators' and administrators' menus in line with their roles now. */
  syncMenus(): Promise<void>;
  /** Resolves once no update, menu sync or start attempt is in progress. */
  idle(): Promise<void>;
}

/** What may go in a log line: never a payload (messages, files) nor a URL (it holds the token). */
export function loggable(error: unknown): unknown {
  if (error instanceof BotError) return loggable(error.error);
  if (error instanceof GrammyError) {
    return { type: "GrammyError", method: error.method, code: error.error_code, description: error.description };
  }
  if (error instanceof HttpError) return { type: "HttpError", message: error.message };
  return error;
}

/** The adapter's parts and what changes while it runs, shared by the functions below. */
interface Telegram {
  deps: TelegramAdapterDeps;
  host: AdapterHost;
  settings: TelegramSettings;
  logger: Logger;
  store: AdapterStore;
  apiRoot: string;
  bot: Bot;
  menus: MenuSync;
  state: AdapterState;
  /** Why the adapter is `failed`, as Telegram said it (for /healthz). */
  reason: string | null;
  runner: RunnerHandle | null;
  /** Aborted on stop: gives up the polling lead, or the wait for it. */
  leading: AbortController | null;
  retryTimer: NodeJS.Timeout | null;
  menuTimer: NodeJS.Timeout | null;
  attempts: number;
  inFlight: Set<Promise<unknown>>;
}

export function createTelegramAdapter(deps: TelegramAdapterDeps): TelegramAdapter {
  const { host, settings } = deps;
  const { logger, store } = host;
  const apiRoot = (settings.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/, "");
  const bot = new Bot(settings.token, {
    ...(deps.botInfo && { botInfo: deps.botInfo }),
    client: { apiRoot, timeoutSeconds: API_TIMEOUT_SECONDS },
  });
  if (deps.transformers?.length) bot.api.config.use(...deps.transformers);
  bot.api.config.use(watchPolling(logger));
  const t: Telegram = {
    deps,
    host,
    settings,
    logger,
    store,
    apiRoot,
    bot,
    menus: createMenuSync({ api: bot.api, host }),
    state: "idle",
    reason: null,
    runner: null,
    leading: null,
    retryTimer: null,
    menuTimer: null,
    attempts: 0,
    inFlight: new Set(),
  };
  installMiddleware(t);
  const routes = settings.webhook ? () => [webhookRouteOf(t, settings.webhook!)] : undefined;

  return {
    name: TELEGRAM_PLATFORM,
    limits: TELEGRAM_LIMITS,
    pace: deps.pace,
    bot,
    state: () => t.state,
    failure: () => (t.state === "failed" ? t.reason : null),
    ...(routes && { routes }),
    async start() {
      if (t.state !== "idle" && t.state !== "stopped") return;
      t.state = "starting";
      await track(t, connect(t));
    },
    stop: () => stopAdapter(t),
    async deliver(target: DeliveryTarget, message: OutgoingMessage) {
      try {
        const id = await send(store, bot.api, target.chatId, message);
        return { messageId: id === null ? null : String(id) };
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
    syncMenus: () => t.menus.sync(),
    idle: () => idle(t),
  };
}

function track<T>(t: Telegram, work: Promise<T>): Promise<T> {
  t.inFlight.add(work);
  void work.finally(() => t.inFlight.delete(work)).catch(() => undefined);
  return work;
}

async function idle(t: Telegram): Promise<void> {
  while (t.inFlight.size > 0) await Promise.allSettled([...t.inFlight]);
}

async function stopAdapter(t: Telegram): Promise<void> {
  if (t.state === "idle" || t.state === "stopped") {
    t.state = "stopped";
    return;
  }
  t.state = "stopping";
  if (t.retryTimer) clearTimeout(t.retryTimer);
  if (t.menuTimer) clearInterval(t.menuTimer);
  t.retryTimer = t.menuTimer = null;
  t.leading?.abort();
  t.leading = null;
  const polling = t.runner;
  t.runner = null;
  // Stops fetching; the updates it handed over finish below, with everything else in flight.
  await polling?.stop();
  await idle(t);
  t.state = "stopped";
}

/** The runner is told to be silent; its failed polls are logged here, once per outage. */
function watchPolling(logger: Logger): Transformer {
  let failing = false;
  return async (prev, method, payload, signal) => {
    if (method !== "getUpdates") return prev(method, payload, signal);
    try {
      const result = await prev(method, payload, signal);
      if (!result.ok && !failing)
        logger.warn({ code: result.error_code, description: result.description }, "telegram polling failed");
      if (result.ok && failing) logger.info("telegram polling works again");
      failing = !result.ok;
      return result;
    } catch (error) {
      if (!signal?.aborted && !failing) logger.warn({ err: loggable(error) }, "telegram polling failed");
      if (!signal?.aborted) failing = true;
      throw error;
    }
  };
}

function textsFor(t: Telegram, user: User | undefined): Messages {
  const language = user?.language_code;
  return messagesFor(language === "en" || language === "vi" ? language : t.deps.defaultLocale);
}

/** Calls whose failure changes nothing for the person (answering a press, removing a keyboard). */
async function quietly(t: Telegram, what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    t.logger.debug({ err: loggable(error) }, `telegram ${what} failed`);
  }
}

/**
 * One message of the core's, as Telegram messages: split at 4,096 characters, buttons and file on
 * the last part, plain text (no parse mode, so what a person typed is shown exactly as typed).
 */
async function send(
  store: AdapterStore,
  api: Api,
  chatId: string | number,
  message: OutgoingMessage,
): Promise<number | null> {
  let last: number | null = null;
  for (const part of splitMessage(message, TELEGRAM_LIMITS.maxMessageLength)) {
    const reply_markup = await inlineKeyboard(store, part.choices, TELEGRAM_LIMITS);
    const markup = reply_markup ? { reply_markup } : {};
    if (part.file) {
      const file = new InputFile(part.file.content, part.file.name);
      const caption = part.text.trim() !== "" && part.text.length <= CAPTION_MAX;
      // The text goes first, on its own; the file after it is the last message.
      if (!caption && part.text.trim()) await api.sendMessage(chatId, part.text);
      const options = { ...markup, ...(caption && { caption: part.text }) };
      const photo = PHOTO_TYPES.has(part.file.mimeType) && part.file.content.byteLength <= PHOTO_MAX_BYTES;
      last = (photo ? await api.sendPhoto(chatId, file, options) : await api.sendDocument(chatId, file, options))
        .message_id;
    } else if (part.text.trim()) {
      last = (await api.sendMessage(chatId, part.text, markup)).message_id;
    }
  }
  return last;
}

/** The core's replies to an event. The event is handled by now, so a failure here is only logged. */
async function answer(t: Telegram, ctx: Context, chatId: number, replies: OutgoingMessage[]): Promise<void> {
  for (const reply of replies) {
    try {
      await send(t.store, ctx.api, chatId, reply);
    } catch (error) {
      t.logger.error({ err: loggable(error), updateId: ctx.update.update_id, chatId }, "telegram reply not sent");
      return;
    }
  }
}

async function download(t: Telegram, fileId: string): Promise<Uint8Array | undefined> {
  const { file_path: path } = await t.bot.api.getFile(fileId);
  if (!path) return undefined;
  // A self-hosted Bot API server started with --local hands out a path on its own disk.
  if (t.settings.apiRoot && path.startsWith("/")) return new Uint8Array(await readFile(path));
  const response = await fetch(`${t.apiRoot}/file/bot${t.settings.token}/${path}`, {
    signal: AbortSignal.timeout(API_TIMEOUT_SECONDS * 1000),
  });
  if (!response.ok) throw new Error(`file download answered HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * The file with its bytes when Telegram hands them over (bots get files up to 20 MB); otherwise
 * with the reason they could not be had, which the core tells the person.
 */
async function attachmentOf(t: Telegram, file: SentFile): Promise<IncomingAttachment> {
  const attachment: IncomingAttachment = {
    name: file.name,
    ref: file.fileId,
    ...(file.mimeType && { mimeType: file.mimeType }),
    ...(file.size !== undefined && { size: file.size }),
  };
  if (file.size !== undefined && file.size > MAX_INCOMING_FILE_BYTES) return { ...attachment, problem: "too_large" };
  try {
    const content = await download(t, file.fileId);
    if (!content) return { ...attachment, problem: "download_failed" };
    if (content.byteLength > MAX_INCOMING_FILE_BYTES) return { ...attachment, problem: "too_large" };
    return { ...attachment, content };
  } catch (error) {
    t.logger.warn({ err: loggable(error), fileId: file.fileId }, "telegram file not downloaded");
    // A file whose size the message did not give is refused by getFile when over the limit.
    const tooBig = isGrammyError(error, 400) && /file is too big/i.test(error.description);
    return { ...attachment, problem: tooBig ? "too_large" : "download_failed" };
  }
}

function requestMenuSync(t: Telegram): void {
  void track(t, t.menus.sync()).catch((error: unknown) =>
    t.logger.warn({ err: loggable(error) }, "telegram menus not synced"),
  );
}

async function onMessage(t: Telegram, ctx: Context, message: Message): Promise<void> {
  const text = message.text ?? message.caption ?? "";
  const file = sentFileOf(message);
  // Members joining, stickers, locations: nothing the core reads.
  if (!text && !file) return;
  const typed = parseCommand(text);
  if (typed?.addressedTo && typed.addressedTo.toLowerCase() !== ctx.me.username.toLowerCase()) return;
  const from = identityOf(message.from, message.chat, message.sender_chat);
  // In a group the core only asks for a private message: no reason to fetch the file.
  const attachment = file && from.privateChat ? await attachmentOf(t, file) : undefined;
  const event: IncomingEvent = typed
    ? commandEvent(from, typed.command, typed.args, attachment)
    : { kind: "text", from, text, ...(attachment && { attachment }) };
  const replies = await t.host.core.handle(event);
  await answer(t, ctx, message.chat.id, replies);
  // Joining, a deactivation or a new role is always a command: the menus may have to follow.
  if (typed && from.privateChat) requestMenuSync(t);
}

async function onPress(t: Telegram, ctx: Context, query: CallbackQuery): Promise<void> {
  const carrier = query.message;
  const chat: Chat = carrier?.chat ?? { id: query.from.id, type: "private", first_name: query.from.first_name };
  const value = query.data ? await decodeChoice(t.store, query.data) : null;
  await quietly(t, "answerCallbackQuery", () =>
    ctx.api.answerCallbackQuery(
      query.id,
      value === null ? { text: textsFor(t, query.from).telegram.buttonExpired } : {},
    ),
  );
  // Pressed once is enough: the keyboard goes, so an old button cannot answer a later question.
  // (A message older than 48 hours comes with date 0 and can no longer be edited.)
  if (carrier && carrier.date !== 0) {
    await quietly(t, "editMessageReplyMarkup", () => ctx.api.editMessageReplyMarkup(chat.id, carrier.message_id));
  }
  if (value === null) return;
  const replies = await t.host.core.handle({ kind: "choice", from: identityOf(query.from, chat), value });
  await answer(t, ctx, chat.id, replies);
}

function installMiddleware(t: Telegram): void {
  const { bot, logger, store } = t;
  // Outermost: nothing escapes. The update and its error go to the log; the person gets the core's
  // short apology, never a stack trace.
  bot.use((ctx, next) =>
    track(
      t,
      (async () => {
        try {
          await next();
        } catch (error) {
          logger.error(
            { err: loggable(error), updateId: ctx.update.update_id, chatId: ctx.chat?.id },
            "telegram update failed",
          );
          const query = ctx.callbackQuery;
          if (query) await quietly(t, "answerCallbackQuery", () => ctx.api.answerCallbackQuery(query.id));
          const chatId = ctx.chat?.id ?? ctx.from?.id;
          const apology = textsFor(t, ctx.from).bot.internalError;
          if (chatId !== undefined) await quietly(t, "apology", () => ctx.api.sendMessage(chatId, apology));
        }
      })(),
    ),
  );
  // One chat's updates in the order they came, other chats alongside. Placed before anything
  // asynchronous, so the order is the order handleUpdate was called in.
  bot.use(
    sequentialize((ctx: Context) => {
      const id = ctx.chat?.id ?? ctx.from?.id;
      return id === undefined ? undefined : String(id);
    }),
  );
  bot.use((ctx, next) => {
    ctx.api.config.use(autoRetry({ ...REPLY_RETRY, ...t.deps.replyRetry }));
    return next();
  });
  // Telegram sends an update again when it got no answer in time, and a restarted poll can hand
  // over the last batch again: an update is handled once, by its id.
  bot.use(async (ctx, next) => {
    if (await store.firstDelivery(TELEGRAM_PLATFORM, `${ctx.me.id}:${ctx.update.update_id}`)) return next();
    logger.info({ updateId: ctx.update.update_id }, "telegram update already handled");
  });
  bot.use(async (ctx) => {
    const update = ctx.update;
    if (update.callback_query) return onPress(t, ctx, update.callback_query);
    // A channel post (one that came anyway, allowed before) is left unanswered.
    if (update.message) return onMessage(t, ctx, update.message);
  });
  bot.catch((error) => logger.error({ err: loggable(error) }, "telegram update failed"));
}

function startPolling(t: Telegram): RunnerHandle {
  const handle = run(t.bot, {
    runner: {
      fetch: { allowed_updates: ALLOWED_UPDATES, timeout: 30 },
      // Logged by watchPolling; an outage of any length is waited out.
      silent: true,
      retryInterval: 3000,
      maxRetryTime: Number.POSITIVE_INFINITY,
    },
  });
  t.runner = handle;
  handle.task()?.catch((error: unknown) => {
    if (t.runner !== handle) return;
    fail(t, error);
    // 401: the token was revoked; 409: another process polls this bot, or a webhook is set.
    t.logger.error({ err: loggable(error) }, "telegram polling stopped");
  });
  return handle;
}

/** Polls only while this process holds the platform's polling lead (one poller per bot). */
function pollWhileLeader(t: Telegram): void {
  const stop = new AbortController();
  t.leading = stop;
  const leadership = t.host.polling ?? soleLeadership;
  const work = leadership.whileLeader(TELEGRAM_PLATFORM, stop.signal, async (lost) => {
    const handle = startPolling(t);
    let failure: unknown = null;
    await Promise.race([handle.task()?.catch((error: unknown) => void (failure = error)), whenAborted(lost)]);
    // Lost the lead (or stopping): a runner that goes on would be a second poller.
    if (t.runner === handle) t.runner = null;
    if (handle.isRunning()) await handle.stop();
    // Among several processes a 409 is a hand-off that overlapped for a moment (the previous
    // poller's last long poll): the lead is given up and taken again after a pause.
    if (t.host.polling && isGrammyError(failure, 409) && !stop.signal.aborted) {
      t.state = "running";
      throw failure;
    }
  });
  void track(t, work).catch((error: unknown) => t.logger.error({ err: loggable(error) }, "telegram polling stopped"));
}

async function publishMenus(t: Telegram): Promise<void> {
  try {
    await t.menus.publishDefault();
    await t.menus.sync();
  } catch (error) {
    t.logger.warn({ err: loggable(error) }, "telegram menus not published");
  }
}

/** Marks the adapter failed, keeping Telegram's reason (never the URL: it holds the token). */
function fail(t: Telegram, error: unknown): void {
  t.state = "failed";
  if (isGrammyError(error)) t.reason = `${error.method}: ${error.description}`;
  else t.reason = error instanceof HttpError ? error.message : "unexpected error (see the log)";
}

const halted = (t: Telegram) => t.state === "stopping" || t.state === "stopped";

/**
 * Connects, and tries again with a growing pause until it works. Telegram refusing a call (a
 * webhook URL it will not take, say) shows as `failed` with its reason meanwhile, not `starting`.
 */
async function connect(t: Telegram): Promise<void> {
  if (halted(t)) return;
  const { bot, settings, logger } = t;
  const webhook = settings.webhook;
  try {
    await bot.init();
    await t.store.setSetting(TELEGRAM_USERNAME_SETTING, bot.botInfo.username);
    if (webhook) {
      await bot.api.setWebhook(webhook.url, {
        secret_token: webhook.secret,
        allowed_updates: ALLOWED_UPDATES,
        drop_pending_updates: false,
      });
    } else {
      // Back from webhook mode: Telegram refuses getUpdates while a webhook is set.
      await bot.api.deleteWebhook({ drop_pending_updates: false });
    }
  } catch (error) {
    if (!halted(t)) retryLater(t, error);
    return;
  }
  if (halted(t)) return;
  const username = bot.botInfo.username;
  if (settings.username && settings.username.replace(/^@/, "").toLowerCase() !== username.toLowerCase()) {
    logger.warn(
      { override: settings.username, username },
      "TELEGRAM_BOT_USERNAME differs from the bot's; links use it",
    );
  }
  if (!webhook) pollWhileLeader(t);
  t.state = "running";
  t.reason = null;
  t.attempts = 0;
  logger.info({ username, mode: webhook ? "webhook" : "polling" }, "telegram connected");
  void track(t, publishMenus(t));
  t.menuTimer = setInterval(() => requestMenuSync(t), t.deps.menuSyncEveryMs ?? MENU_SYNC_EVERY_MS);
  t.menuTimer.unref();
}

/** A start that failed: given up on a refused token, else tried again after a growing pause. */
function retryLater(t: Telegram, error: unknown): void {
  const { logger } = t;
  if (isBadToken(error)) {
    fail(t, error);
    logger.error({ err: loggable(error) }, "telegram refused the bot token: check TELEGRAM_BOT_TOKEN");
    return;
  }
  const reconnectDelayMs = t.deps.reconnectDelayMs ?? ((attempt: number) => Math.min(60_000, 1000 * 2 ** attempt));
  const waitMs = reconnectDelayMs(t.attempts++);
  // A 4xx other than 429 is a refusal that only a change of settings will end.
  const refused = isGrammyError(error) && error.error_code < 500 && error.error_code !== 429;
  if (refused) {
    // Said at error level once; the retries that follow only repeat it.
    const level = t.state === "failed" ? "warn" : "error";
    fail(t, error);
    logger[level]({ err: loggable(error), retryInMs: waitMs }, "telegram refused to start the bot; trying again");
  } else {
    logger.warn({ err: loggable(error), retryInMs: waitMs }, "telegram not reachable; trying again");
  }
  t.retryTimer = setTimeout(() => {
    t.retryTimer = null;
    void track(t, connect(t));
  }, waitMs);
}

function webhookRouteOf(t: Telegram, webhook: NonNullable<TelegramSettings["webhook"]>): HttpRoute {
  return webhookRoute({
    path: new URL(webhook.url).pathname,
    secret: webhook.secret,
    accepting: () => t.state === "running" && (t.host.databaseReachable?.() ?? true),
    take: (update: Update) => {
      t.bot
        .handleUpdate(update)
        .catch((error: unknown) => t.logger.error({ err: loggable(error) }, "telegram update failed"));
    },
  });
}

function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
