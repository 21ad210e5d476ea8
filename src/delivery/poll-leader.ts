import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import type { Logger } from "../lib/logger.ts";

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

export interface PgLeadershipDeps {
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
}

/** The timings every step of one lead shares. */
interface Timing {
  retryMs: number;
  silenceMs: number;
  /**
   * Sent at most a retry after the last answer, a check given up after half the silence is given
   * up well before the server could have freed the lock: the old leader stops before a new one starts.
   */
  answerMs: number;
}

const pause = (timing: Timing, signal: AbortSignal) =>
  sleep(timing.retryMs, undefined, { signal }).catch(() => undefined);

/**
 * One statement at a time on the lock's connection (node-postgres deprecates queueing them). One
 * left unanswered for answerMs ends the connection, which fails it and aborts `lost`.
 */
async function ask<R extends pg.QueryResultRow>(
  timing: Timing,
  client: pg.Client,
  text: string,
  values: unknown[] = [],
) {
  const timer = setTimeout(() => void client.end().catch(() => undefined), timing.answerMs);
  try {
    return await client.query<R>(text, values);
  } finally {
    clearTimeout(timer);
  }
}

/** Asks on `client` for the lock until it is granted; false when stopped or the connection broke meanwhile. */
async function acquire(timing: Timing, client: pg.Client, platform: string, stop: AbortSignal): Promise<boolean> {
  while (!stop.aborted) {
    const { rows } = await ask<{ ok: boolean }>(timing, client, "SELECT pg_try_advisory_lock($1, $2) AS ok", [
      LOCK_CLASS,
      lockKey(platform),
    ]);
    if (rows[0]?.ok) return true;
    await pause(timing, stop);
  }
  return false;
}

/** While leading, checks the connection every retry; aborts `lost` when a check fails. */
async function check(timing: Timing, client: pg.Client, lost: AbortController, stop: AbortSignal): Promise<void> {
  while (!stop.aborted) {
    await pause(timing, stop);
    if (stop.aborted) return;
    try {
      await ask(timing, client, "SELECT 1");
    } catch {
      lost.abort();
    }
  }
}

/**
 * One connection's try: waits for the lock and polls while it holds it. "done" when stopped or the
 * poller gave up for good; "again" when the connection was lost and the lead must be sought anew.
 */
async function leadOnce(
  deps: PgLeadershipDeps,
  timing: Timing,
  lead: { platform: string; signal: AbortSignal; poll: (lost: AbortSignal) => Promise<void> },
): Promise<"done" | "again"> {
  const { platform, signal } = lead;
  let client: pg.Client | null = null;
  const lost = new AbortController();
  try {
    client = await deps.connect();
    client.on("error", () => lost.abort());
    client.on("end", () => lost.abort());
    const stop = AbortSignal.any([signal, lost.signal]);
    // The server's half of the silence rule: it ends a session quiet for longer (PostgreSQL 14+).
    await ask(timing, client, "SELECT set_config('idle_session_timeout', $1, false)", [String(timing.silenceMs)]);
    if (!(await acquire(timing, client, platform, stop))) return signal.aborted ? "done" : "again";
    deps.logger.info({ platform }, "this process polls the platform");
    const polled = new AbortController();
    const checking = check(timing, client, lost, AbortSignal.any([stop, polled.signal]));
    try {
      await lead.poll(stop);
    } finally {
      polled.abort();
      await checking;
    }
    if (!lost.signal.aborted) return "done";
    deps.logger.warn({ platform }, "lost the database connection that holds the polling lead; polling paused");
    return "again";
  } catch (error) {
    if (signal.aborted) return "done";
    deps.logger.warn({ err: error, platform }, "cannot take the polling lead yet; trying again");
    return "again";
  } finally {
    // Ending the session releases the lock, also when it was never taken.
    await client?.end().catch(() => undefined);
  }
}

export function createPgLeadership(deps: PgLeadershipDeps): PollLeadership {
  const retryMs = deps.retryMs ?? LEAD_RETRY_MS;
  const silenceMs = deps.silenceMs ?? 5 * retryMs;
  const timing: Timing = { retryMs, silenceMs, answerMs: Math.max(silenceMs / 2, 1) };
  return {
    async whileLeader(platform, signal, poll) {
      while (!signal.aborted) {
        if ((await leadOnce(deps, timing, { platform, signal, poll })) === "done") return;
        await pause(timing, signal);
      }
    },
  };
}
