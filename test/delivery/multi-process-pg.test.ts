// Three real bot processes (`npm start` in server mode) on one PostgreSQL database, talking to a
// Bot API stand-in over real HTTP. Each process gets its own TELEGRAM_API_ROOT path, so the
// stand-in tells them apart. 1,000 pushes are due for 1,000 people: each goes out exactly once,
// the stand-in never sees more than the platform's rate in any second, and only one process long
// polls (another once the poller's lock connection is killed). Then the process sending is killed
// with SIGKILL halfway: another takes over, nothing is lost, and only the sends it had in flight
// repeat.
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TELEGRAM_PLATFORM } from "../../adapters/telegram/updates.ts";
import type { Db } from "../../src/db/db.ts";
import { enqueue, type OutboxItem } from "../../src/delivery/outbox.ts";
import { LEASE_MS } from "../../src/delivery/presence.ts";
import { createTestDb, onPostgres, type TestDb } from "../helpers/db.ts";
import { PROCESS_TEST_TIMEOUT, root, watchBotProcess } from "../helpers/processes.ts";
import { BOT_INFO, textUpdate, TOKEN } from "../helpers/telegram.ts";
import { startBotApiStandIn, type BotApiStandIn, type StandInCall } from "../helpers/telegram-standin.ts";

/** A daytime instant in Vietnam, so quiet hours hold nothing back. */
const NOW = "2026-12-01T09:00+07:00";
const COUNT = 1000;
/** Telegram's rate, lowered so 1,000 sends take 20 s rather than 34. */
const PER_SECOND = 50;
const PROCESSES = 3;
/** Sending 1,000 at 50/s, plus starting three processes on a busy 2-core machine. */
const SEND_TIMEOUT = PROCESS_TEST_TIMEOUT;
/** The kill run also waits out the dead sender's lease (up to LEASE_MS) before the rest goes out. */
const KILL_TIMEOUT = PROCESS_TEST_TIMEOUT + LEASE_MS;

interface BotProcess {
  /** The TELEGRAM_API_ROOT path of this process, as the stand-in records it (StandInCall.via). */
  via: string;
  child: ChildProcess;
  port: Promise<number>;
  exited: Promise<number | null>;
  stderr(): string;
}

/** Every process this file started; an aborted test kills those still running. */
const started: BotProcess[] = [];

/** `npm start --server` as one real process (so SIGKILL reaches the bot itself), with its own API root path. */
function startBot(n: number, url: string, api: BotApiStandIn): BotProcess {
  const via = `/p${n}`;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "--server"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: url,
      HOST: "127.0.0.1",
      PORT: "0",
      NOW,
      LOG_LEVEL: "warn",
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: `${api.apiRoot}${via}`,
      TELEGRAM_SEND_PER_SECOND: String(PER_SECOND),
      TELEGRAM_BOT_USERNAME: "",
      TELEGRAM_WEBHOOK_URL: "",
      TELEGRAM_WEBHOOK_SECRET: "",
      SLACK_BOT_TOKEN: "",
      ZALO_BOT_TOKEN: "",
    },
  });
  const bot = { via, child, ...watchBotProcess(child) };
  started.push(bot);
  return bot;
}

const running = (bot: BotProcess) => bot.child.exitCode === null && bot.child.signalCode === null;

/** The Telegram user (and private chat) id of person `i`. */
const userOf = (i: number) => 10_000_000 + i;
const textOf = (i: number) => `nhắc việc số ${i}`;

/**
 * `COUNT` people with a Telegram account each, who wrote to the bot before (so the stand-in lets
 * it write to them), and one push due for each.
 */
async function seed(db: Db, api: BotApiStandIn): Promise<void> {
  const dueAt = new Date(new Date(NOW).getTime() - 60_000);
  const people = await db.person.createManyAndReturn({
    data: Array.from({ length: COUNT }, (_, i) => ({ displayName: `Người ${i}`, role: "contact", createdAt: dueAt })),
    select: { id: true, displayName: true },
  });
  const index = (displayName: string) => Number(displayName.replace("Người ", ""));
  await db.identity.createMany({
    data: people.map((p) => ({
      personId: p.id,
      platform: TELEGRAM_PLATFORM,
      userId: String(userOf(index(p.displayName))),
      chatId: String(userOf(index(p.displayName))),
      displayName: p.displayName,
      createdAt: dueAt,
    })),
  });
  const items: OutboxItem[] = people.map((p) => ({
    key: `push-${index(p.displayName)}`,
    kind: "notification",
    personId: p.id,
    message: { text: textOf(index(p.displayName)) },
    dueAt,
  }));
  expect((await enqueue(db, dueAt, items)).size).toBe(COUNT);
  for (let i = 0; i < COUNT; i++) api.introduce(userOf(i));
}

const sends = (api: BotApiStandIn) => api.calls.filter((c) => c.method === "sendMessage");
const pollers = (calls: readonly StandInCall[]) =>
  [...new Set(calls.filter((c) => c.method === "getUpdates").map((c) => c.via))].sort();

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** The sends the stand-in saw arrive within the busiest 1,000 ms (a sliding window from each arrival). */
function busiestWindow(calls: readonly StandInCall[]): StandInCall[] {
  const sorted = [...calls].sort((a, b) => a.at - b.at);
  let best: StandInCall[] = [];
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (j < sorted.length && sorted[j]!.at < sorted[i]!.at + 1000) j++;
    if (j - i > best.length) best = sorted.slice(i, j);
  }
  return best;
}

const busiestSecond = (calls: readonly StandInCall[]): number => busiestWindow(calls).length;

/** Which processes sent in the busiest second, and how long after the first sends began: what a failure needs to show. */
function busiestDescribed(calls: readonly StandInCall[]): string {
  const window = busiestWindow(calls);
  const first = Math.min(...calls.map((c) => c.at));
  const by = Object.fromEntries(countBy(window, (c) => c.via));
  return `${window.length} sends from ${JSON.stringify(by)}, ${(window[0]?.at ?? first) - first} ms after the first send`;
}

/** Resolves once every outbox row is sent (the senders' condition to reach, with the test's own deadline). */
async function allSent(db: Db, timeout: number): Promise<void> {
  await vi.waitFor(async () => expect(await db.outboxMessage.count({ where: { status: { not: "sent" } } })).toBe(0), {
    timeout,
    interval: 250,
  });
}

/** Every row sent once, to its person's chat, with the message id the platform gave that chat. */
async function expectDeliveredOnceEach(db: Db, calls: readonly StandInCall[]): Promise<void> {
  const rows = await db.outboxMessage.findMany({ include: { person: { include: { identities: true } } } });
  expect(rows).toHaveLength(COUNT);
  expect(rows.filter((r) => r.status !== "sent" || r.claimedBy !== null)).toEqual([]);
  const lastTo = new Map(calls.map((c) => [String(c.payload.chat_id), c]));
  for (const row of rows) {
    const chat = row.person.identities[0]!.chatId;
    const call = lastTo.get(chat);
    expect(call?.payload.text, `outbox row ${row.key}`).toBe(JSON.parse(row.payload).text);
    expect(row.platformMessageId).toBe(String(call?.messageId));
  }
}

/** Stops every process still running with SIGTERM, as a process manager does; each exits cleanly. */
async function stopAll(bots: readonly BotProcess[]): Promise<void> {
  const alive = bots.filter(running);
  for (const bot of alive) bot.child.kill("SIGTERM");
  const codes = await Promise.all(alive.map((bot) => bot.exited));
  alive.forEach((bot, i) => expect(codes[i], bot.stderr()).toBe(0));
}

describe.runIf(onPostgres)("three bot processes on one PostgreSQL database", () => {
  let t: TestDb | undefined;
  let api: BotApiStandIn | undefined;
  afterEach(async () => {
    // Processes a failed test left running go first, then what they talk to.
    const left = started.splice(0).filter(running);
    for (const bot of left) bot.child.kill("SIGKILL");
    await Promise.all(left.map((bot) => bot.exited));
    await api?.close();
    await t?.db.$disconnect();
    t = api = undefined;
  });

  it(
    "send 1,000 due pushes once each within the platform's rate; one of them long polls, another once its lock is lost",
    async () => {
      t = await createTestDb();
      api = await startBotApiStandIn({ token: TOKEN, bot: BOT_INFO });
      await seed(t.db, api);
      const bots = Array.from({ length: PROCESSES }, (_, n) => startBot(n + 1, t!.url, api!));
      await Promise.all(bots.map((bot) => bot.port));

      await allSent(t.db, SEND_TIMEOUT);
      // Every process is up and beating, so each had its chance at the lease and the polling lead.
      expect(await t.db.processHeartbeat.count()).toBe(PROCESSES);
      await vi.waitFor(() => expect(pollers(api!.calls)).toHaveLength(1), { timeout: 30_000 });

      // Exactly once each: the stand-in's log and the outbox agree, one send per chat.
      const sent = sends(api);
      expect(sent).toHaveLength(COUNT);
      expect([...countBy(sent, (c) => String(c.payload.chat_id)).values()].every((n) => n === 1)).toBe(true);
      await expectDeliveredOnceEach(t.db, sent);

      // Arrivals at the stand-in, from all processes together: never more than the rate in a second.
      expect(busiestSecond(sent), busiestDescribed(sent)).toBeLessThanOrEqual(PER_SECOND);

      // One poller among the three, holding the one advisory lock in this database.
      const [poller] = pollers(api.calls);
      expect(pollers(api.calls)).toEqual([poller]);
      const lock = await t.db.$queryRawUnsafe<{ pid: number }[]>(
        `SELECT pid FROM pg_locks
         WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      expect(lock).toHaveLength(1);

      // The poller's lock connection killed from outside (the process lives on): it stops polling,
      // another process polls, and an update sent now is handled once, by the new poller.
      const killedAt = api.calls.length;
      await t.db.$queryRawUnsafe("SELECT pg_terminate_backend($1)", lock[0]!.pid);
      const [next] = await vi.waitFor(
        () => {
          const now = pollers(api!.calls.slice(killedAt));
          expect(now).toHaveLength(1);
          expect(now[0]).not.toBe(poller);
          return now;
        },
        { timeout: 30_000, interval: 50 },
      );
      const newcomer = { id: 77_000_001, name: "Anh Minh" };
      const update = api.push(textUpdate(newcomer, "xin chào"));
      await api.waitFor(
        "reply to the newcomer",
        (c) => c.method === "sendMessage" && c.payload.chat_id === newcomer.id,
      );
      await api.waitFor("update confirmed", (c) => c.method === "getUpdates" && c.payload.offset > update.update_id);
      expect(pollers(api.calls.slice(killedAt))).toEqual([next]);
      expect(api.calls.filter((c) => c.method === "sendMessage" && c.payload.chat_id === newcomer.id)).toHaveLength(1);

      await stopAll(bots);
      for (const bot of bots) expect(bot.stderr()).not.toMatch(/"level":[56]0/);
      expect(await t.db.platformLease.count()).toBe(0);
      console.info(
        "sends per process:",
        Object.fromEntries(countBy(sent, (c) => c.via)),
        `; busiest second at the stand-in: ${busiestSecond(sent)}; poller ${poller}, after its connection was killed ${next}`,
      );
    },
    SEND_TIMEOUT,
  );

  it(
    "the sender killed with SIGKILL halfway: another takes over, nothing is lost, only its sends in flight repeat",
    async () => {
      t = await createTestDb();
      api = await startBotApiStandIn({ token: TOKEN, bot: BOT_INFO });
      const standIn = api;
      await seed(t.db, standIn);
      const bots = Array.from({ length: PROCESSES }, (_, n) => startBot(n + 1, t!.url, standIn));
      await Promise.all(bots.map((bot) => bot.port));

      // Halfway, the stand-in stops answering, so the sender has sends in flight when it dies.
      await standIn.waitFor("the 500th push", () => sends(standIn).length >= COUNT / 2);
      standIn.holdSends(true);
      const heldFrom = sends(standIn).length;
      await standIn.waitFor("sends held", () => sends(standIn).length >= heldFrom + 10);

      // The process sending is the one holding Telegram's lease.
      const lease = await t.db.platformLease.findUniqueOrThrow({ where: { platform: TELEGRAM_PLATFORM } });
      const holder = await t.db.processHeartbeat.findUniqueOrThrow({ where: { id: lease.holder } });
      const victim = bots.find((bot) => bot.child.pid === holder.pid)!;
      expect(victim).toBeDefined();
      expect(new Set(sends(standIn).map((c) => c.via))).toEqual(new Set([victim.via]));
      const pollersBefore = pollers(standIn.calls);
      const killedAt = standIn.calls.length;
      victim.child.kill("SIGKILL");
      await victim.exited;
      expect(victim.child.signalCode).toBe("SIGKILL");

      const byVictim = sends(standIn);
      const inFlight = new Set(byVictim.filter((c) => c.messageId === undefined).map((c) => String(c.payload.chat_id)));
      expect(inFlight.size).toBeGreaterThanOrEqual(10);
      // What it committed as sent before dying: only sends the stand-in answered.
      const committed = await t.db.outboxMessage.findMany({
        where: { status: "sent" },
        include: { person: { include: { identities: true } } },
      });
      const committedChats = new Set(committed.map((r) => r.person.identities[0]!.chatId));
      expect([...committedChats].filter((chat) => inFlight.has(chat))).toEqual([]);
      const uncommitted = new Set(
        byVictim.map((c) => String(c.payload.chat_id)).filter((chat) => !committedChats.has(chat)),
      );
      standIn.holdSends(false);

      // Its lease runs out (it no longer renews it), another process sends the rest.
      await allSent(t.db, KILL_TIMEOUT);
      const all = sends(standIn);
      const after = all.slice(byVictim.length);
      expect(after.length).toBeGreaterThan(0);
      expect(after.filter((c) => c.via === victim.via)).toEqual([]);

      // Nothing lost: every chat got its push. Repeated: only chats the dead sender had sent to
      // without committing, in flight at least, and never more than once more.
      const perChat = countBy(all, (c) => String(c.payload.chat_id));
      expect(perChat.size).toBe(COUNT);
      const repeated = [...perChat].filter(([, n]) => n > 1).map(([chat]) => chat);
      expect([...perChat.values()].every((n) => n <= 2)).toBe(true);
      expect(new Set(repeated)).toEqual(uncommitted);
      for (const chat of inFlight) expect(repeated).toContain(chat);
      // A send's job ends once its result is committed, and jobs not ended count against the rate:
      // never more than a second's worth can be lost with a process.
      expect(uncommitted.size).toBeLessThanOrEqual(PER_SECOND);
      // The successors sent exactly what was not committed.
      expect(new Set(after.map((c) => String(c.payload.chat_id)))).toEqual(
        new Set(Array.from({ length: COUNT }, (_, i) => String(userOf(i))).filter((chat) => !committedChats.has(chat))),
      );
      expect(after).toHaveLength(COUNT - committedChats.size);
      await expectDeliveredOnceEach(t.db, all);
      expect(busiestSecond(all), busiestDescribed(all)).toBeLessThanOrEqual(PER_SECOND);

      // Polling: one process before the kill, and one (the same, or a successor if the dead one
      // polled) after it; never the dead one once it was gone.
      expect(pollersBefore).toHaveLength(1);
      const survivors = bots.filter((bot) => bot !== victim);
      // A long poll lasts up to 30 s, so the next one may take that long to arrive.
      const pollerAfter = await vi.waitFor(
        () => {
          const now = pollers(standIn.calls.slice(killedAt));
          expect(now).toHaveLength(1);
          return now;
        },
        { timeout: 45_000, interval: 250 },
      );
      expect(survivors.map((bot) => bot.via)).toContain(pollerAfter[0]);

      await stopAll(survivors);
      expect(await t.db.platformLease.count()).toBe(0);
      console.info(
        `killed ${victim.via} after ${byVictim.length} sends (${committedChats.size} committed, ${inFlight.size} unanswered);`,
        `then sent by ${[...new Set(after.map((c) => c.via))].join(", ")}: ${after.length}, ${repeated.length} of them twice;`,
        `pollers before ${pollersBefore.join(", ")}, after ${pollerAfter.join(", ")}; busiest second ${busiestSecond(all)}`,
      );
    },
    KILL_TIMEOUT,
  );
});
