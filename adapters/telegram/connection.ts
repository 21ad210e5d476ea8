import { TELEGRAM_USERNAME_SETTING } from "../../src/delivery/adapter-store.ts";
import { exponentialBackoff } from "../kit/backoff.ts";
import { ALLOWED_UPDATES, fail, halted, type Telegram } from "./context.ts";
import { isBadToken, isGrammyError, loggable } from "./errors.ts";
import { publishMenus, requestMenuSync } from "./menus.ts";
import { pollWhileLeader } from "./polling.ts";

// Starting and stopping: connecting to Telegram (webhook or polling), trying again with a growing
// pause while it cannot be reached, and letting go only once every update taken is answered.

const MENU_SYNC_EVERY_MS = 5 * 60 * 1000;
const RECONNECT_DELAY_MS = exponentialBackoff(1000, 60_000);

export async function start(t: Telegram): Promise<void> {
  if (t.state !== "idle" && t.state !== "stopped") return;
  t.state = "starting";
  await t.inFlight.track(connect(t));
}

export async function stop(t: Telegram): Promise<void> {
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
  await t.inFlight.drained();
  t.state = "stopped";
}

/** Webhook mode registers the URL and secret; polling removes a webhook (Telegram refuses getUpdates while one is set). */
async function register(t: Telegram): Promise<void> {
  const { bot, settings } = t;
  await bot.init();
  await t.store.setSetting(TELEGRAM_USERNAME_SETTING, bot.botInfo.username);
  if (settings.webhook) {
    await bot.api.setWebhook(settings.webhook.url, {
      secret_token: settings.webhook.secret,
      allowed_updates: ALLOWED_UPDATES,
      drop_pending_updates: false,
    });
  } else {
    await bot.api.deleteWebhook({ drop_pending_updates: false });
  }
}

/**
 * Connects, and tries again with a growing pause until it works. Telegram refusing a call (a
 * webhook URL it will not take, say) shows as `failed` with its reason meanwhile, not `starting`.
 */
async function connect(t: Telegram): Promise<void> {
  if (halted(t)) return;
  const { bot, settings, logger } = t;
  try {
    await register(t);
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
  if (!settings.webhook) pollWhileLeader(t);
  t.state = "running";
  t.reason = null;
  t.attempts = 0;
  logger.info({ username, mode: settings.webhook ? "webhook" : "polling" }, "telegram connected");
  void t.inFlight.track(publishMenus(t.menus, logger));
  const every = t.deps.menuSyncEveryMs ?? MENU_SYNC_EVERY_MS;
  t.menuTimer = setInterval(() => requestMenuSync(t.menus, t.inFlight, logger), every);
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
  const waitMs = (t.deps.reconnectDelayMs ?? RECONNECT_DELAY_MS)(t.attempts++);
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
    void t.inFlight.track(connect(t));
  }, waitMs);
}
