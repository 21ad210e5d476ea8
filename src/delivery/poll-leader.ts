import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import type { Logger } from "../logger.ts";

// Telegram answers a second long poller of the same bot with 409 Conflict, and Zalo hands each
// update to whichever poller asked: of several bot processes, exactly one may poll a platform.
// On PostgreSQL that one holds a session advisory lock on a connection of its own. The lock dies
// with the connection, so a killed poller (or one cut off from the database, which could not
// record what it polled anyway) frees it, and another process takes over within a retry.
// Webhooks need none of this: any process may take any update, deduplicated by its id.

export interface PollLeadership {
  /**
   * Runs `poll` while this process is the platform's only poller: waits for the lead, and runs it
   * again after the lead was lost (`lost` aborts then), until `signal` aborts or `poll` returns
   * on its own.
   */
  whileLeader(platform: string, signal: AbortSignal, poll: (lost: AbortSignal) => Promise<void>): Promise<void>;
}

/** One process per database (SQLite): it is always the poller. */
export const soleLeadership: PollLeadership = {
  whileLeader: (_platform, signal, poll) => poll(signal),
};

/** The class half of the two-part advisory lock key, so other users of advisory locks never collide. */
const LOCK_CLASS = 0x4e56_4c44; // "NVLD"
/** How often a waiting process asks for the lead, and a leader checks its connection. */
export const LEAD_RETRY_MS = 2_000;

/** A small stable number per platform, the object half of the key. */
function lockKey(platform: string): number {
  let hash = 0;
  for (const char of platform) hash = (Math.imul(hash, 31) + char.codePointAt(0)!) | 0;
  return hash;
}

export function createPgLeadership(deps: {
  connect: () => Promise<pg.Client>;
  logger: Logger;
  retryMs?: number;
}): PollLeadership {
  const retryMs = deps.retryMs ?? LEAD_RETRY_MS;
  const { logger } = deps;
  const pause = (signal: AbortSignal) => sleep(retryMs, undefined, { signal }).catch(() => undefined);

  /** Waits on `client` for the lock; false when stopped or the connection broke meanwhile. */
  async function acquire(client: pg.Client, platform: string, stop: AbortSignal): Promise<boolean> {
    while (!stop.aborted) {
      const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS ok", [
        LOCK_CLASS,
        lockKey(platform),
      ]);
      if (rows[0]?.ok) return true;
      await pause(stop);
    }
    return false;
  }

  /** Aborts `lost` when the connection ends or stops answering. */
  function watch(client: pg.Client, lost: AbortController, stop: AbortSignal): () => void {
    const drop = () => lost.abort();
    client.on("error", drop);
    client.on("end", drop);
    const timer = setInterval(() => {
      if (stop.aborted) return;
      client.query("SELECT 1").catch(drop);
    }, retryMs);
    return () => clearInterval(timer);
  }

  return {
    async whileLeader(platform, signal, poll) {
      while (!signal.aborted) {
        let client: pg.Client | null = null;
        const lost = new AbortController();
        let unwatch = () => {};
        try {
          client = await deps.connect();
          unwatch = watch(client, lost, signal);
          const stop = AbortSignal.any([signal, lost.signal]);
          if (await acquire(client, platform, stop)) {
            logger.info({ platform }, "this process polls the platform");
            await poll(stop);
            if (!lost.signal.aborted) return; // stopped, or the poller gave up for good
            logger.warn({ platform }, "lost the database connection that holds the polling lead; polling paused");
          }
        } catch (error) {
          if (signal.aborted) return;
          logger.warn({ err: error, platform }, "cannot take the polling lead yet; trying again");
        } finally {
          unwatch();
          // Ending the session releases the lock, also when it was never taken.
          await client?.end().catch(() => undefined);
        }
        await pause(signal);
      }
    },
  };
}
