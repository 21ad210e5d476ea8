import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import type { Logger } from "../logger.ts";

// Telegram answers a second long poller of the same bot with 409 Conflict, and Zalo hands each
// update to whichever poller asked: of several bot processes, exactly one may poll a platform.
// On PostgreSQL that one holds a session advisory lock on a connection of its own. The lock dies
// with the connection, so a killed poller frees it and another process takes over within a retry;
// one cut off from the database (which could not record what it polled anyway) stops polling, and
// the server ends its silent session, within `silenceMs`.
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
  /**
   * How long the lock's connection may stay silent (5 retries by default). A network that drops
   * packets tells neither side the connection is gone: the server ends a session quiet for this
   * long, which frees the lock, and the leader stops polling before that, once a check went
   * unanswered for half of it.
   */
  silenceMs?: number;
}): PollLeadership {
  const retryMs = deps.retryMs ?? LEAD_RETRY_MS;
  const silenceMs = deps.silenceMs ?? 5 * retryMs;
  // Sent at most a retry after the last answer, a check given up after half the silence is given
  // up well before the server could have freed the lock: the old leader stops before a new one starts.
  const answerMs = Math.max(silenceMs / 2, 1);
  const { logger } = deps;
  const pause = (signal: AbortSignal) => sleep(retryMs, undefined, { signal }).catch(() => undefined);

  /**
   * One statement at a time on the lock's connection (node-postgres deprecates queueing them). One
   * left unanswered for answerMs ends the connection, which fails it and aborts `lost`.
   */
  async function ask<R extends pg.QueryResultRow>(client: pg.Client, text: string, values: unknown[] = []) {
    const timer = setTimeout(() => void client.end().catch(() => undefined), answerMs);
    try {
      return await client.query<R>(text, values);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Asks on `client` for the lock until it is granted; false when stopped or the connection broke meanwhile. */
  async function acquire(client: pg.Client, platform: string, stop: AbortSignal): Promise<boolean> {
    while (!stop.aborted) {
      const { rows } = await ask<{ ok: boolean }>(client, "SELECT pg_try_advisory_lock($1, $2) AS ok", [
        LOCK_CLASS,
        lockKey(platform),
      ]);
      if (rows[0]?.ok) return true;
      await pause(stop);
    }
    return false;
  }

  /** While leading, checks the connection every retry; aborts `lost` when a check fails. */
  async function check(client: pg.Client, lost: AbortController, stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      await pause(stop);
      if (stop.aborted) return;
      try {
        await ask(client, "SELECT 1");
      } catch {
        lost.abort();
      }
    }
  }

  return {
    async whileLeader(platform, signal, poll) {
      while (!signal.aborted) {
        let client: pg.Client | null = null;
        const lost = new AbortController();
        try {
          client = await deps.connect();
          client.on("error", () => lost.abort());
          client.on("end", () => lost.abort());
          const stop = AbortSignal.any([signal, lost.signal]);
          // The server's half of the silence rule: it ends a session quiet for longer (PostgreSQL 14+).
          await ask(client, "SELECT set_config('idle_session_timeout', $1, false)", [String(silenceMs)]);
          if (await acquire(client, platform, stop)) {
            logger.info({ platform }, "this process polls the platform");
            const polled = new AbortController();
            const checking = check(client, lost, AbortSignal.any([stop, polled.signal]));
            try {
              await poll(stop);
            } finally {
              polled.abort();
              await checking;
            }
            if (!lost.signal.aborted) return; // stopped, or the poller gave up for good
            logger.warn({ platform }, "lost the database connection that holds the polling lead; polling paused");
          }
        } catch (error) {
          if (signal.aborted) return;
          logger.warn({ err: error, platform }, "cannot take the polling lead yet; trying again");
        } finally {
          // Ending the session releases the lock, also when it was never taken.
          await client?.end().catch(() => undefined);
        }
        await pause(signal);
      }
    },
  };
}
