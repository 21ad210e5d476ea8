// Outbox senders as separate OS processes on one SQLite file, sending to a stand-in platform over
// real HTTP: the platform lease keeps two processes from sending for one platform at once (so each
// push goes out once, within the platform's rate), and a process killed with SIGKILL mid-send
// leaves claims that another process retakes, repeating at most the sends it had in flight.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createDb, tuneDb, type Db } from "../../src/db/db.ts";
import { enqueue, type OutboxItem } from "../../src/delivery/outbox.ts";
import { createPresence, HEARTBEAT_STALE_MS, LEASE_MS } from "../../src/delivery/presence.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { root } from "../helpers/processes.ts";

const fixture = join(root, "test/fixtures/outbox-process.ts");
const PLATFORM = "standin";
/** A daytime instant in Vietnam, so quiet hours hold nothing back. */
const NOW = "2026-12-01T09:00+07:00";
const PACE = { perSecond: 50, perChatMs: 1000 };

interface Received {
  chatId: string;
  text: string;
  /** The sending process's clock when it started the send. */
  sentAt: number;
  pid: number;
}

/** The platform: records every POST and answers 200 { messageId }, or holds the answer when told. */
interface StandIn {
  base: string;
  received: Received[];
  /** Requests whose answer is being held; they are never answered. */
  held: Received[];
  /** While on, every request arriving is held instead of answered. */
  hold(on: boolean): void;
  /** Resolves once `n` requests have arrived (a condition the senders must reach, not a timer). */
  receivedAtLeast(n: number): Promise<void>;
  close(): Promise<void>;
}

async function startStandIn(): Promise<StandIn> {
  const received: Received[] = [];
  const held: Received[] = [];
  const heldResponses: ServerResponse[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let holding = false;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Received;
      received.push(body);
      for (const w of waiters.filter((w) => received.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      if (holding) {
        held.push(body);
        heldResponses.push(response);
        return;
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ messageId: `m-${received.length}` }));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    held,
    hold(on) {
      holding = on;
    },
    receivedAtLeast(n) {
      return received.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }));
    },
    async close() {
      for (const r of heldResponses) r.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

interface OutboxProcess {
  pid: number;
  kill(): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * Starts test/fixtures/outbox-process.ts as its own OS process. It runs as `node --import tsx`
 * rather than through node_modules/.bin/tsx, which would start the sender as a child of its own:
 * SIGKILL must reach the process that sends, and the pid it reports must be the one we kill.
 */
function startOutboxProcess(url: string, base: string, now: string): OutboxProcess {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      fixture,
      "--db",
      url,
      "--base",
      base,
      "--platform",
      PLATFORM,
      "--per-second",
      String(PACE.perSecond),
      "--per-chat-ms",
      String(PACE.perChatMs),
      "--now",
      now,
    ],
    { cwd: root, env: { ...process.env, LOG_LEVEL: "silent" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    },
  );
  running.add(child.pid!);
  void exited.finally(() => running.delete(child.pid!));
  return { pid: child.pid!, kill: () => child.kill("SIGKILL"), exited };
}

/** Pids of the processes this file started that have not exited; an aborted test kills them. */
const running = new Set<number>();
afterEach(() => {
  for (const pid of running) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // It exited meanwhile.
    }
  }
});

/** What a fixture process reports on its last line: the sends the platform answered. */
function report({ stdout }: { stdout: string }): { pid: number; delivered: number; pending: number } {
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

/** `count` people with one account each on the stand-in, and one push due at `dueAt` for each. */
async function seed(db: Db, count: number, dueAt: Date): Promise<string[]> {
  const items: OutboxItem[] = [];
  for (let i = 0; i < count; i++) {
    const person = await db.person.create({
      data: {
        displayName: `Người ${i}`,
        role: "contact",
        createdAt: dueAt,
        identities: {
          create: {
            platform: PLATFORM,
            userId: `u${i}`,
            chatId: `chat-${i}`,
            displayName: `Người ${i}`,
            createdAt: dueAt,
          },
        },
      },
    });
    items.push({
      key: `push-${i}`,
      kind: "notification",
      personId: person.id,
      message: { text: `nhắc việc số ${i}` },
      dueAt,
    });
  }
  expect((await enqueue(db, dueAt, items)).size).toBe(count);
  return items.map((item) => item.message.text);
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe("outbox senders in separate processes on one database", () => {
  let t: TestDb;
  let standIn: StandIn;
  afterEach(async () => {
    await standIn?.close();
    await t?.db.$disconnect();
  });

  it("two processes send 200 due pushes once each, and the platform never sees more than its rate", async () => {
    t = await createTestDb();
    await tuneDb(t.db);
    standIn = await startStandIn();
    const texts = await seed(t.db, 200, new Date(NOW));

    const processes = [startOutboxProcess(t.url, standIn.base, NOW), startOutboxProcess(t.url, standIn.base, NOW)];
    const exits = await Promise.all(processes.map((p) => p.exited));
    for (const exit of exits) expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });

    // Each push reached the platform exactly once: none lost, none doubled.
    const received = standIn.received;
    expect(received).toHaveLength(200);
    expect([...countBy(received, (r) => r.text)].filter(([, n]) => n > 1)).toEqual([]);
    expect(new Set(received.map((r) => r.text))).toEqual(new Set(texts));
    expect(new Set(received.map((r) => r.chatId)).size).toBe(200);

    const rows = await t.db.outboxMessage.findMany();
    expect(rows).toHaveLength(200);
    expect(rows.filter((r) => r.status !== "sent" || r.claimedBy !== null || r.attempts !== 1)).toEqual([]);
    expect(await t.db.platformLease.count()).toBe(0);
    expect(await t.db.processHeartbeat.count()).toBe(0);

    // Whichever processes sent, the sends taken together keep the pace: no 1000 ms holds more
    // than 50. The times are the senders' own clock (one machine), so HTTP jitter plays no part.
    const times = received.map((r) => r.sentAt).sort((a, b) => a - b);
    const crowded: number[] = [];
    for (let i = 0; i + PACE.perSecond < times.length; i++) {
      if (times[i + PACE.perSecond]! - times[i]! < 1000) crowded.push(i);
    }
    expect(crowded).toEqual([]);

    // Each process's own count of answered sends matches what the platform got from it.
    const byPid = countBy(received, (r) => String(r.pid));
    expect([...byPid.keys()].sort()).toEqual(
      exits
        .map(report)
        .filter((r) => r.delivered > 0)
        .map((r) => String(r.pid))
        .sort(),
    );
    for (const r of exits.map(report)) expect(byPid.get(String(r.pid)) ?? 0).toBe(r.delivered);
    const busiest = Math.max(...times.map((t0) => times.filter((t) => t >= t0 && t < t0 + 1000).length));
    console.info("sends per process:", Object.fromEntries(byPid), `; busiest 1000 ms: ${busiest} sends`);
  }, 120_000);

  it("a process killed with SIGKILL mid-send: another retakes its claims and repeats only what was in flight", async () => {
    t = await createTestDb();
    await tuneDb(t.db);
    standIn = await startStandIn();
    const count = 100;
    const texts = await seed(t.db, count, new Date(NOW));

    // The first 10 sends are answered; from the 11th on the platform holds its answer, so those
    // sends are in flight when the process dies.
    const first = startOutboxProcess(t.url, standIn.base, NOW);
    await standIn.receivedAtLeast(10);
    standIn.hold(true);
    await standIn.receivedAtLeast(20);
    first.kill();
    const killed = await first.exited;
    expect(killed.signal).toBe("SIGKILL");
    standIn.hold(false);
    expect(standIn.received.every((r) => r.pid === first.pid)).toBe(true);
    const answered = new Set(standIn.received.filter((r) => !standIn.held.includes(r)).map((r) => r.text));
    const inFlight = new Set(standIn.held.map((r) => r.text));
    expect(inFlight.size).toBeGreaterThanOrEqual(10);

    // What the dead process left: the rows it committed as sent (only answered ones), and every
    // other row still claimed by it.
    const dead = await t.db.processHeartbeat.findFirstOrThrow({ where: { pid: first.pid } });
    const leftBehind = await t.db.outboxMessage.findMany();
    const committed = new Set(leftBehind.filter((r) => r.status === "sent").map((r) => JSON.parse(r.payload).text));
    expect([...committed].filter((text) => !answered.has(text))).toEqual([]);
    expect(leftBehind.filter((r) => r.status === "pending" && r.claimedBy !== dead.id)).toEqual([]);
    expect(leftBehind.filter((r) => r.status === "pending")).toHaveLength(count - committed.size);

    // The dead process's heartbeat and lease look alive for HEARTBEAT_STALE_MS (30 s) after its
    // last beat, judged against the `now` given to sendDue. The fixture keeps `now` fixed, so the
    // second process is told it is 2 minutes later: its predecessor is then plainly dead (its
    // last beat was at most seconds after 09:00), and its claims and lease are retaken at once.
    const second = startOutboxProcess(t.url, standIn.base, "2026-12-01T09:02+07:00");
    const exit = await second.exited;
    expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });

    const fromFirst = standIn.received.filter((r) => r.pid === first.pid);
    const fromSecond = standIn.received.filter((r) => r.pid === second.pid);
    expect(fromSecond.length + fromFirst.length).toBe(standIn.received.length);
    // The second process sent exactly what the first had not committed: nothing committed repeats.
    expect(new Set(fromSecond.map((r) => r.text))).toEqual(new Set(texts.filter((text) => !committed.has(text))));
    expect(fromSecond).toHaveLength(count - committed.size);
    expect(report(exit)).toMatchObject({ pid: second.pid, delivered: fromSecond.length, pending: 0 });

    // Everything arrived; what arrived twice is what was in flight, never more than once per chat.
    const deliveries = countBy(standIn.received, (r) => r.text);
    expect(new Set(deliveries.keys())).toEqual(new Set(texts));
    const duplicates = [...deliveries].filter(([, n]) => n > 1).map(([text]) => text);
    expect([...deliveries.values()].every((n) => n <= 2)).toBe(true);
    const uncommitted = fromFirst.filter((r) => !committed.has(r.text)).map((r) => r.text);
    expect(new Set(duplicates)).toEqual(new Set(uncommitted));
    expect(duplicates.length).toBeLessThanOrEqual(fromFirst.length - committed.size);
    for (const text of inFlight) expect(duplicates).toContain(text);

    const rows = await t.db.outboxMessage.findMany();
    expect(rows.filter((r) => r.status !== "sent" || r.claimedBy !== null)).toEqual([]);
    expect(await t.db.platformLease.count()).toBe(0);
    console.info(
      `killed after ${fromFirst.length} sends (${committed.size} committed, ${inFlight.size} unanswered);`,
      `the second process sent ${fromSecond.length}, ${duplicates.length} of them twice`,
    );
  }, 120_000);
});

describe("the platform lease between two processes starting together", () => {
  it("goes to one of them, even when the other looked for live processes before the first ever beat", async () => {
    const { url } = await createTestDb();
    // Two connections, as two processes have, with their steps interleaved as they can be: a
    // sender reads which processes are live before it takes its leases, and the second process
    // read that before the first one had ever beaten.
    const dbs = [createDb(url), createDb(url)] as const;
    const now = new Date(NOW);
    const first = createPresence({ db: dbs[0], processId: "first", platforms: [PLATFORM] });
    const second = createPresence({ db: dbs[1], processId: "second", platforms: [PLATFORM] });
    try {
      await second.beat(now);
      expect((await second.live(now)).ids).toEqual(["second"]);
      await first.beat(now);
      expect((await first.live(now)).ids.sort()).toEqual(["first", "second"]);

      const holds = [await first.acquireLease(PLATFORM, now), await second.acquireLease(PLATFORM, now)];
      expect(holds).toEqual([true, false]);
      expect(await dbs[0].platformLease.findMany()).toEqual([
        { platform: PLATFORM, holder: "first", expiresAt: new Date(now.getTime() + LEASE_MS) },
      ]);

      // A holder that stops beating keeps its lease exactly as long as it still counts as live.
      const lastLive = new Date(now.getTime() + HEARTBEAT_STALE_MS);
      await second.beat(lastLive);
      expect((await second.live(lastLive)).ids.sort()).toEqual(["first", "second"]);
      expect(await second.acquireLease(PLATFORM, lastLive)).toBe(false);
      const dead = new Date(lastLive.getTime() + 1);
      await second.beat(dead);
      expect((await second.live(dead)).ids).toEqual(["second"]);
      expect(await second.acquireLease(PLATFORM, dead)).toBe(true);
      expect(await dbs[0].platformLease.findMany()).toMatchObject([{ holder: "second" }]);
    } finally {
      await Promise.all(dbs.map((db) => db.$disconnect()));
    }
  });
});
