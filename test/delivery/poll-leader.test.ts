// The polling lead on a real PostgreSQL server: of several contenders (each standing for one bot
// process) exactly one polls a platform, another takes over when the leader stops, when its
// database connection is killed or when the network to the database goes silent, and the one that
// lost its connection waits instead of polling beside the new leader. Every wait below is for a
// condition, with a deadline, never a fixed sleep.
import { once } from "node:events";
import { createServer, connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import type pg from "pg";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createPgLeadership } from "../../src/delivery/poll-leader.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { connectPg } from "../../src/db/migrations-pg.ts";
import { createTestDb, onPostgres } from "../helpers/db.ts";

/** Short, so a takeover takes a tenth of a second rather than the production 2 s. */
const RETRY_MS = 100;
/** How long a connection may stay silent before it counts as lost (10 s in production). */
const SILENCE_MS = 1_000;
const silent = createLogger("silent");
/** A deadline for conditions that take a few retries; generous for a busy 2-core machine. */
const until = { timeout: 20_000, interval: 20 };

/**
 * A TCP relay to the server that can go silent without closing anything, as a network does when
 * it drops packets: neither side hears from the other, and neither learns the connection is gone.
 */
async function startSilenceableRelay(serverUrl: string) {
  const target = new URL(serverUrl);
  const sockets = new Set<Socket>();
  let quiet = false;
  const relay = createServer((near) => {
    const far = connect(Number(target.port || 5432), target.hostname);
    for (const [from, to] of [
      [near, far],
      [far, near],
    ] as const) {
      sockets.add(from);
      from.on("data", (chunk: Buffer) => void (quiet || to.write(chunk)));
      from.on("close", () => void (quiet || to.destroy()));
      from.on("error", () => undefined);
    }
  });
  relay.listen(0, "127.0.0.1");
  await once(relay, "listening");
  const via = new URL(serverUrl);
  via.hostname = "127.0.0.1";
  via.port = String((relay.address() as AddressInfo).port);
  return {
    url: via.toString(),
    silence: () => void (quiet = true),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      relay.close();
      await once(relay, "close");
    },
  };
}

interface Contender {
  name: string;
  platform: string;
  /** Times its poll was started, and the `lost` signal each got. */
  runs: AbortSignal[];
  polling: boolean;
  /** Attempts at the lock, counted on its connections (a waiting contender keeps asking). */
  tries: number;
  /** The server process of every connection it opened, the newest last. */
  backends: number[];
  /** Stops it, as adapter.stop() does: aborts the signal given to whileLeader. */
  stop(): void;
  /** whileLeader's promise. */
  done: Promise<void>;
}

describe.runIf(onPostgres)("the polling lead on PostgreSQL", () => {
  let url: string;
  const contenders: Contender[] = [];
  /** Polls running at once, per platform, and the most ever seen. */
  const running = new Map<string, number>();
  const mostAtOnce = new Map<string, number>();

  beforeAll(async () => {
    const t = await createTestDb();
    await t.db.$disconnect();
    url = t.url;
  });

  afterEach(async () => {
    for (const c of contenders) c.stop();
    await Promise.all(contenders.map((c) => c.done));
    contenders.length = 0;
    running.clear();
    mostAtOnce.clear();
  });

  /** One process's bid for `platform`, on a leadership of its own unless one is shared. */
  function contend(name: string, platform: string, leadership = leadershipFor()): Contender {
    const stopping = new AbortController();
    const c: Contender = {
      name,
      platform,
      runs: [],
      polling: false,
      tries: 0,
      backends: [],
      stop: () => stopping.abort(),
      done: Promise.resolve(),
    };
    leadership.track(c);
    c.done = leadership.whileLeader(platform, stopping.signal, async (lost) => {
      c.runs.push(lost);
      c.polling = true;
      const now = (running.get(platform) ?? 0) + 1;
      running.set(platform, now);
      mostAtOnce.set(platform, Math.max(now, mostAtOnce.get(platform) ?? 0));
      // A poller polls until it is told to stop or loses the lead.
      await new Promise<void>((resolve) =>
        lost.aborted ? resolve() : lost.addEventListener("abort", () => resolve(), { once: true }),
      );
      running.set(platform, running.get(platform)! - 1);
      c.polling = false;
    });
    contenders.push(c);
    return c;
  }

  /**
   * A leadership whose connections, and the lock attempts on them, are recorded on the contenders
   * using it (a leadership shared by two platforms credits both: only unshared ones are counted on).
   */
  function leadershipFor(through = url) {
    const users: Contender[] = [];
    const leadership = createPgLeadership({
      logger: silent,
      retryMs: RETRY_MS,
      silenceMs: SILENCE_MS,
      connect: async () => {
        const client = await connectPg(through);
        const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
        const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
        (client as unknown as { query: typeof query }).query = (...args) => {
          if (String(args[0]).includes("pg_try_advisory_lock")) for (const u of users) u.tries++;
          return query(...args);
        };
        for (const u of users) u.backends.push(rows[0]!.pid);
        return client;
      },
    });
    return Object.assign(leadership, { track: (c: Contender) => void users.push(c) });
  }

  const pollers = (platform: string) => contenders.filter((c) => c.platform === platform && c.polling);

  /** Resolves once `platform` has exactly one poller, and returns it. */
  async function soleLeader(platform: string): Promise<Contender> {
    return vi.waitFor(() => {
      const now = pollers(platform);
      expect(now.map((c) => c.name)).toHaveLength(1);
      return now[0]!;
    }, until);
  }

  /** Resolves once each of `waiting` asked for the lock `n` more times: they had their chances. */
  async function severalRetries(waiting: Contender[], n = 3): Promise<void> {
    const from = waiting.map((c) => c.tries);
    await vi.waitFor(() => waiting.forEach((c, i) => expect(c.tries).toBeGreaterThanOrEqual(from[i]! + n)), until);
  }

  /** The server process holding this database's one granted advisory lock (the leader's connection). */
  async function lockHolderPid(admin: pg.Client): Promise<number> {
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(rows).toHaveLength(1);
    return rows[0]!.pid;
  }

  it("of three contenders for a platform exactly one polls; another platform is led independently", async () => {
    const all = [contend("a", "telegram"), contend("b", "telegram"), contend("c", "telegram")];
    const leader = await soleLeader("telegram");
    const others = all.filter((c) => c !== leader);
    // The others keep asking and keep being refused.
    await severalRetries(others);
    expect(pollers("telegram")).toEqual([leader]);
    expect(others.every((c) => c.runs.length === 0)).toBe(true);

    // A process waiting for Telegram's lead still leads Zalo at once: the locks are per platform.
    const zalo = contend(`${others[0]!.name}-zalo`, "zalo");
    expect(await soleLeader("zalo")).toBe(zalo);
    await severalRetries(others);
    expect(pollers("telegram")).toEqual([leader]);
    expect(mostAtOnce.get("telegram")).toBe(1);
    expect(mostAtOnce.get("zalo")).toBe(1);
  });

  it("one leadership leads two platforms side by side, and stopping one platform's poll frees only that one", async () => {
    const shared = leadershipFor();
    const telegram = contend("shared-telegram", "telegram", shared);
    const zalo = contend("shared-zalo", "zalo", shared);
    expect(await soleLeader("telegram")).toBe(telegram);
    expect(await soleLeader("zalo")).toBe(zalo);

    const rival = contend("rival", "telegram");
    await severalRetries([rival]);
    telegram.stop();
    await telegram.done;
    expect(await soleLeader("telegram")).toBe(rival);
    expect(pollers("zalo")).toEqual([zalo]);
    expect(mostAtOnce.get("telegram")).toBe(1);
  });

  it("when the leader's poll is stopped through its signal, one of the others takes over", async () => {
    const all = [contend("a", "telegram"), contend("b", "telegram"), contend("c", "telegram")];
    const first = await soleLeader("telegram");
    first.stop();
    // whileLeader returns once stopped, and its poll saw the stop.
    await first.done;
    expect(first.runs).toHaveLength(1);
    expect(first.runs[0]!.aborted).toBe(true);

    const second = await soleLeader("telegram");
    expect(second).not.toBe(first);
    const third = all.find((c) => c !== first && c !== second)!;
    await severalRetries([third]);
    expect(pollers("telegram")).toEqual([second]);

    // And once more: the last one left takes the lead too.
    second.stop();
    await second.done;
    expect(await soleLeader("telegram")).toBe(third);
    expect(mostAtOnce.get("telegram")).toBe(1);
  });

  it("a leader whose connection is killed loses the lead: its poll stops, another takes over, it then waits", async () => {
    const admin = await connectPg(url);
    try {
      const all = [contend("a", "telegram"), contend("b", "telegram"), contend("c", "telegram")];
      const killed = await soleLeader("telegram");
      const pid = await lockHolderPid(admin);
      // The lock is held by the leader's own connection, the newest it opened.
      expect(killed.backends.at(-1)).toBe(pid);

      const { rows } = await admin.query<{ ok: boolean }>("SELECT pg_terminate_backend($1) AS ok", [pid]);
      expect(rows[0]!.ok).toBe(true);

      // Its poll was told the lead is lost, and one of the others polls now.
      await vi.waitFor(() => expect(killed.runs[0]!.aborted).toBe(true), until);
      const successor = await vi.waitFor(() => {
        const now = pollers("telegram");
        expect(now).toHaveLength(1);
        expect(now[0]).not.toBe(killed);
        return now[0]!;
      }, until);
      expect(await lockHolderPid(admin)).toBe(successor.backends.at(-1));

      // The killed one reconnects and asks again, and is refused like the third: one poller only.
      await vi.waitFor(() => expect(killed.backends.length).toBeGreaterThanOrEqual(2), until);
      await severalRetries(all.filter((c) => c !== successor));
      expect(pollers("telegram")).toEqual([successor]);
      expect(killed.runs).toHaveLength(1);

      // Its wait is a real one: once the lead is free again it can win it back.
      const third = all.find((c) => c !== killed && c !== successor)!;
      third.stop();
      await third.done;
      successor.stop();
      await successor.done;
      expect(await soleLeader("telegram")).toBe(killed);
      expect(killed.runs).toHaveLength(2);
      expect(killed.runs[1]!.aborted).toBe(false);
    } finally {
      await admin.end();
    }
  });

  it("a contender whose connection is killed while it waits goes on waiting, and the leader keeps the lead", async () => {
    const admin = await connectPg(url);
    try {
      const leader = contend("leader", "telegram");
      expect(await soleLeader("telegram")).toBe(leader);
      const waiting = contend("waiting", "telegram");
      await severalRetries([waiting]);
      const waitingPid = waiting.backends.at(-1);
      await admin.query("SELECT pg_terminate_backend($1)", [waitingPid]);

      // It opens a new connection and keeps asking; nothing changes for the leader.
      await vi.waitFor(() => expect(waiting.backends.length).toBeGreaterThanOrEqual(2), until);
      await severalRetries([waiting]);
      expect(pollers("telegram")).toEqual([leader]);
      expect(leader.runs[0]!.aborted).toBe(false);
      expect(waiting.runs).toHaveLength(0);
    } finally {
      await admin.end();
    }
  });

  it("a leader cut off from the database stops polling, and another takes over once the server ends its silent session", async () => {
    const relay = await startSilenceableRelay(url);
    try {
      const cutOff = contend("cut-off", "telegram", leadershipFor(relay.url));
      expect(await soleLeader("telegram")).toBe(cutOff);
      const other = contend("other", "telegram");
      await severalRetries([other]);

      relay.silence();
      // Nothing tells either side the connection is gone: the leader notices its checks go
      // unanswered, and the server notices the session went quiet and ends it, lock and all.
      await vi.waitFor(() => expect(cutOff.runs[0]!.aborted).toBe(true), until);
      expect(await soleLeader("telegram")).toBe(other);
      // While the network stays silent, the cut-off one does not poll again beside the new leader.
      const bystander = contend("bystander", "telegram");
      await severalRetries([bystander]);
      expect(pollers("telegram")).toEqual([other]);
      expect(cutOff.runs).toHaveLength(1);
      expect(mostAtOnce.get("telegram")).toBe(1);
    } finally {
      for (const c of contenders) c.stop();
      await relay.close();
    }
  });
});
