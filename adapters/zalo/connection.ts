import { soleLeadership } from "../../src/delivery/poll-leader.ts";
import { pause } from "../kit/backoff.ts";
import { fail, ZALO_PLATFORM, type Zalo } from "./context.ts";
import { fatal, refused } from "./errors.ts";
import { poll, RETRY_DELAY_MS } from "./polling.ts";

// Starting and stopping: setting Zalo up for polling or the webhook, again with a growing pause
// while it fails, in the background (a Zalo that is down at start-up must not hold the server).

/** A refusal shows as `failed` on /healthz until a retry works; anything else is waited out as `starting`. */
function setupFailed(z: Zalo, error: unknown): void {
  if (refused(error)) {
    // Said at error level once; the retries that follow only repeat it.
    z.logger[z.state === "failed" ? "warn" : "error"]({ err: error }, "Zalo refused the setup; retrying");
    fail(z, error);
  } else {
    z.logger.warn({ err: error }, "Zalo setup failed; retrying");
  }
}

/**
 * Polling and a webhook exclude each other: webhook mode registers the URL and secret, polling
 * removes a webhook left from webhook mode (getUpdates does not work while one is set).
 */
async function setup(z: Zalo): Promise<void> {
  const { config, client, logger } = z;
  if (config.webhook) {
    await client.setWebhook(config.webhook.url, config.webhook.secret);
    return;
  }
  let remove: boolean;
  try {
    remove = (await client.getWebhookInfo()).url !== null;
    if (remove) logger.warn("a webhook was set; removing it to poll");
  } catch (error) {
    if (fatal(error)) throw error;
    // Not knowing must not keep polling from starting: whatever is set is removed all the same.
    logger.warn({ err: error }, "getWebhookInfo could not be read; removing any webhook to poll");
    remove = true;
  }
  if (remove) await client.deleteWebhook();
}

/** Sets up again with a growing pause until it works, the adapter stops, or the token is refused. */
async function retrySetup(z: Zalo): Promise<boolean> {
  const { signal } = z.stopping;
  const delayMs = z.deps.reconnectDelayMs ?? RETRY_DELAY_MS;
  for (let attempt = 0; !signal.aborted; attempt++) {
    await pause(delayMs(attempt), signal);
    if (signal.aborted) return false;
    try {
      await setup(z);
      return true;
    } catch (error) {
      if (signal.aborted) return false;
      if (fatal(error)) throw error;
      setupFailed(z, error);
    }
  }
  return false;
}

/** Once set up: running, and polling while this process leads (webhook mode waits for posts). */
async function run(z: Zalo, ready: boolean): Promise<void> {
  if (!ready && !(await retrySetup(z))) return;
  if (z.stopping.signal.aborted) return;
  z.state = "running";
  z.reason = null;
  if (!z.config.webhook) {
    const leadership = z.host.polling ?? soleLeadership;
    await leadership.whileLeader(ZALO_PLATFORM, z.stopping.signal, (signal) => poll(z, signal));
  }
}

export async function start(z: Zalo): Promise<void> {
  if (z.state !== "idle") return;
  z.state = "starting";
  let ready = false;
  try {
    await setup(z);
    ready = true;
  } catch (error) {
    if (fatal(error)) {
      fail(z, error);
      throw error;
    }
    setupFailed(z, error);
  }
  z.running = run(z, ready).catch((error: unknown) => {
    fail(z, error);
    z.logger.error({ err: error }, "Zalo adapter stopped");
  });
}

export async function stop(z: Zalo): Promise<void> {
  if (z.state === "stopped") return;
  z.state = "stopping";
  z.stopping.abort();
  await z.running;
  await z.inFlight.drained();
  z.state = "stopped";
}
