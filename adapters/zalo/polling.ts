import { exponentialBackoff, pause } from "../kit/backoff.ts";
import { fail, type Zalo } from "./context.ts";
import { fatal } from "./errors.ts";
import { take } from "./inbound.ts";
import type { ZaloUpdate } from "./updates.ts";

// getUpdates in a loop, while this process holds the polling lead: Zalo hands each update to
// whoever asked, so one poller per bot among all processes.

const POLL_TIMEOUT_SECONDS = 30;
/** A failed poll is tried again after 1 s, doubling to 30 s while it keeps failing. */
export const RETRY_DELAY_MS = exponentialBackoff(1000, 30_000);

/** Polls while `signal` allows: until stopping, or until this process loses the polling lead. */
export async function poll(z: Zalo, signal: AbortSignal): Promise<void> {
  const timeoutSeconds = z.deps.pollTimeoutSeconds ?? POLL_TIMEOUT_SECONDS;
  let failures = 0;
  while (!signal.aborted) {
    let update: ZaloUpdate | null;
    try {
      update = await z.client.getUpdates({ timeoutSeconds, signal });
      failures = 0;
    } catch (error) {
      if (signal.aborted) break;
      if (fatal(error)) {
        fail(z, error);
        z.logger.error({ err: error }, "Zalo refused the token; polling stopped");
        return;
      }
      z.logger.warn({ err: error }, "getUpdates failed; retrying");
      await pause(RETRY_DELAY_MS(failures++), signal);
      continue;
    }
    if (update) await take(z, update);
  }
}
