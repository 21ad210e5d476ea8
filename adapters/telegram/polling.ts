import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Transformer } from "grammy";
import { soleLeadership } from "../../src/delivery/poll-leader.ts";
import type { Logger } from "../../src/lib/logger.ts";
import { whenAborted } from "../kit/backoff.ts";
import { ALLOWED_UPDATES, fail, type Telegram } from "./context.ts";
import { isGrammyError, loggable } from "./errors.ts";
import { TELEGRAM_PLATFORM } from "./updates.ts";

// Long polling with grammY's runner, only while this process holds the platform's polling lead
// (one poller per bot among all processes).

/** The runner is told to be silent; its failed polls are logged here, once per outage. */
export function watchPolling(logger: Logger): Transformer {
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
export function pollWhileLeader(t: Telegram): void {
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
  void t.inFlight
    .track(work)
    .catch((error: unknown) => t.logger.error({ err: loggable(error) }, "telegram polling stopped"));
}
