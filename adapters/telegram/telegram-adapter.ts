import { Bot } from "grammy";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import type { DeliveryTarget, PlatformAdapter } from "../../src/delivery/types.ts";
import { createDedup } from "../kit/dedup.ts";
import { createInFlight } from "../kit/in-flight.ts";
import { API_TIMEOUT_SECONDS, type Telegram, type TelegramAdapterDeps } from "./context.ts";
import { start, stop } from "./connection.ts";
import { toDeliveryError } from "./errors.ts";
import { installMiddleware } from "./inbound.ts";
import { createMenuSync } from "./menus.ts";
import { watchPolling } from "./polling.ts";
import { sendPart, TELEGRAM_LIMITS } from "./sending.ts";
import { TELEGRAM_PLATFORM } from "./updates.ts";
import { webhookRoute } from "./webhook.ts";

// Telegram through grammY. The adapter only translates: an update becomes an event for the core,
// the core's replies and the outbox's pushes become Bot API calls. Updates arrive by long polling
// (polling.ts) or, with TELEGRAM_WEBHOOK_URL, on the shared HTTP server (webhook.ts); inbound.ts
// reads them, sending.ts writes, connection.ts starts and stops, menus.ts keeps the "/" menus.

export type { TelegramAdapterDeps, TelegramSettings } from "./context.ts";

const DEFAULT_API_ROOT = "https://api.telegram.org";

export interface TelegramAdapter extends PlatformAdapter {
  readonly bot: Bot;
  /** Brings the coordinators' and administrators' menus in line with their roles now. */
  syncMenus(): Promise<void>;
  /** Resolves once no update, menu sync or start attempt is in progress. */
  idle(): Promise<void>;
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
    inFlight: createInFlight(),
    dedup: createDedup({ store, platform: TELEGRAM_PLATFORM, logger }),
    state: "idle",
    reason: null,
    runner: null,
    leading: null,
    retryTimer: null,
    menuTimer: null,
    attempts: 0,
  };
  installMiddleware(t);
  const webhook = settings.webhook;

  return {
    name: TELEGRAM_PLATFORM,
    limits: TELEGRAM_LIMITS,
    pace: deps.pace,
    bot,
    state: () => t.state,
    failure: () => (t.state === "failed" ? t.reason : null),
    ...(webhook && { routes: () => [webhookRoute(t, webhook)] }),
    start: () => start(t),
    stop: () => stop(t),
    async deliver(target: DeliveryTarget, message: OutgoingMessage) {
      try {
        // One part of the outbox's split (delivery/send-job.ts), within TELEGRAM_LIMITS already.
        const id = await sendPart(store, bot.api, target.chatId, message);
        return { messageId: id === null ? null : String(id) };
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
    syncMenus: () => t.menus.sync(),
    idle: () => t.inFlight.drained(),
  };
}
