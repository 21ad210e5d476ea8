// The outbox sender on a real database: routing by platform, pacing, split messages resumed at
// the first unsent part, files byte for byte, a platform's "retry after", and dead processes'
// claims.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/db.ts";
import { enqueue, type OutboxItem } from "../../src/delivery/outbox.ts";
import { claimDue } from "../../src/delivery/claim.ts";
import { createPresence, LEASE_MS } from "../../src/delivery/presence.ts";
import { createOutboxSender, type OutboxSender } from "../../src/delivery/sender.ts";
import { createSendQueue } from "../../src/delivery/send-queue.ts";
import {
  DeliveryError,
  UNLIMITED,
  UNPACED,
  type DeliveryChannel,
  type DeliveryTarget,
  type Pace,
  type PlatformLimits,
} from "../../src/delivery/types.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { activePolicy } from "../../src/schedule/policy.ts";
import { parseIsoInstant } from "../../src/lib/time.ts";
import { createTestDb } from "../helpers/db.ts";
import { createVirtualTime } from "../helpers/virtual-time.ts";

const silent = createLogger("silent");
const MORNING = parseIsoInstant("2026-12-01T09:00")!;

interface Sent {
  platform: string;
  chatId: string;
  message: OutgoingMessage;
  at: number;
}

/** A channel that records what it was given, and fails where a test says so. */
function recordingChannel(
  name: string,
  sent: Sent[],
  options: {
    limits?: Partial<PlatformLimits>;
    pace?: Pace;
    now?: () => number;
    fail?: (m: OutgoingMessage) => Error | null;
  } = {},
): DeliveryChannel {
  return {
    name,
    limits: { ...UNLIMITED, ...options.limits },
    pace: options.pace ?? UNPACED,
    async deliver(target: DeliveryTarget, message: OutgoingMessage) {
      const error = options.fail?.(message);
      if (error) throw error;
      sent.push({ platform: name, chatId: target.chatId, message, at: options.now?.() ?? 0 });
      return { messageId: `${name}-${sent.length}` };
    },
  };
}

/** Senders made by a test: each stands for a process, which gives up its leases when it ends. */
const senders: OutboxSender[] = [];
afterEach(async () => {
  await Promise.all(senders.splice(0).map((s) => s.stop(0)));
});

function senderFor(db: Db, channels: DeliveryChannel[], timers?: Parameters<typeof createOutboxSender>[0]["timers"]) {
  const presence = createPresence({ db, processId: randomUUID(), platforms: channels.map((c) => c.name) });
  const sender = createOutboxSender({
    db,
    channels,
    presence,
    logger: silent,
    policy: () => activePolicy(db),
    ...(timers && { timers }),
  });
  senders.push(sender);
  return sender;
}

async function person(db: Db, name: string, accounts: { platform: string; lastSeenAt?: Date }[]) {
  return db.person.create({
    data: {
      displayName: name,
      role: "contact",
      createdAt: MORNING,
      identities: {
        create: accounts.map((a) => ({
          platform: a.platform,
          userId: `${a.platform}-${name}`,
          chatId: `${a.platform}-${name}`,
          displayName: name,
          createdAt: MORNING,
          lastSeenAt: a.lastSeenAt ?? null,
        })),
      },
    },
  });
}

const push = (personId: number, message: OutgoingMessage, key: string = randomUUID()): OutboxItem => ({
  key,
  kind: "notification",
  personId,
  message,
  dueAt: MORNING,
});

describe("routing by platform", () => {
  let db: Db;
  beforeAll(async () => {
    db = (await createTestDb()).db;
  });
  afterAll(async () => db.$disconnect());

  it("sends on the platform the person used most recently among those running", async () => {
    const sent: Sent[] = [];
    const both = await person(db, "Hai", [
      { platform: "alpha", lastSeenAt: new Date(MORNING.getTime() - 60_000) },
      { platform: "beta", lastSeenAt: new Date(MORNING.getTime() - 1_000) },
    ]);
    await enqueue(db, MORNING, [push(both.id, { text: "mới nhất" })]);
    const first = senderFor(db, [recordingChannel("alpha", sent), recordingChannel("beta", sent)]);
    await first.sendDue(MORNING);
    expect(sent.map((s) => [s.platform, s.message.text])).toEqual([["beta", "mới nhất"]]);
    await first.stop();

    // With beta running nowhere any more, alpha is the one used most recently.
    await enqueue(db, MORNING, [push(both.id, { text: "chỉ alpha" })]);
    await senderFor(db, [recordingChannel("alpha", sent)]).sendDue(MORNING);
    expect(sent.at(-1)).toMatchObject({ platform: "alpha", message: { text: "chỉ alpha" } });
  });

  it("keeps a push waiting, not failed, while none of the person's platforms runs", async () => {
    const sent: Sent[] = [];
    const zalo = await person(db, "Ba", [{ platform: "gamma" }]);
    await enqueue(db, MORNING, [push(zalo.id, { text: "chờ" }, "wait-1")]);
    const result = await senderFor(db, [recordingChannel("alpha", sent)]).sendDue(MORNING);
    expect(sent).toEqual([]);
    expect(result.failed).toEqual([]);
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { key: "wait-1" } });
    expect(row).toMatchObject({ status: "pending", attempts: 0, heldReason: "no_platform", claimedBy: null });

    // Once its platform runs, it goes out.
    const later = new Date(MORNING.getTime() + 61_000);
    await senderFor(db, [recordingChannel("gamma", sent)]).sendDue(later);
    expect(sent.map((s) => s.message.text)).toEqual(["chờ"]);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { key: "wait-1" } })).toMatchObject({
      status: "sent",
      platform: "gamma",
      heldReason: null,
    });
  });
});

describe("split messages", () => {
  let db: Db;
  beforeAll(async () => {
    db = (await createTestDb()).db;
  });
  afterAll(async () => db.$disconnect());

  it("a push in 3 parts whose 2nd part fails once is delivered as parts 1, 2, 3 exactly once each", async () => {
    const sent: Sent[] = [];
    const lines = Array.from({ length: 3 }, (_, i) => `Phần ${i + 1}: ${"nội dung ".repeat(9)}`.trim());
    const text = lines.join("\n");
    let failures = 0;
    const channel = recordingChannel("alpha", sent, {
      limits: { maxMessageLength: 100 },
      fail: (m) =>
        m.text.startsWith("Phần 2") && failures++ === 0 ? new DeliveryError("delivery.failed", "502") : null,
    });
    const who = await person(db, "Tư", [{ platform: "alpha" }]);
    await enqueue(db, MORNING, [
      push(who.id, { text, choices: [[{ label: "Báo cáo ngay", value: "start:report" }]] }, "parts"),
    ]);
    const sender = senderFor(db, [channel]);
    await sender.sendDue(MORNING);
    expect(sent.map((s) => s.message.text)).toEqual([lines[0]]);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { key: "parts" } })).toMatchObject({
      status: "pending",
      partsSent: 1,
      attempts: 1,
    });

    await sender.sendDue(new Date(MORNING.getTime() + 60_000));
    expect(sent.map((s) => s.message.text)).toEqual(lines);
    expect(sent.map((s) => Boolean(s.message.choices))).toEqual([false, false, true]);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { key: "parts" } })).toMatchObject({
      status: "sent",
      partsSent: 3,
    });
  });
  it("leaves the room a platform adds to the last part, so the split is the only one", async () => {
    const sent: Sent[] = [];
    const choices = [[{ label: "Báo cáo ngay", value: "start:report" }]];
    // Like Zalo: every choice becomes a numbered line under the last part's text.
    const added = (m: OutgoingMessage) => (m.choices ?? []).flat().reduce((n, c) => n + 4 + c.label.length, 0);
    const channel = recordingChannel("alpha", sent, { limits: { maxMessageLength: 100, lastPartRoom: added } });
    const who = await person(db, "Năm", [{ platform: "alpha" }]);
    const text = Array.from({ length: 2 }, (_, i) => `Dòng ${i + 1}: ${"nội dung ".repeat(4)}`.trim()).join("\n");
    await enqueue(db, MORNING, [push(who.id, { text, choices }, "room")]);
    await senderFor(db, [channel]).sendDue(MORNING);
    // 87 characters fit in one part, but not with the 16 the platform adds.
    expect(sent).toHaveLength(2);
    const last = sent.at(-1)!.message;
    expect(last.choices).toEqual(choices);
    expect(last.text.length + added(last)).toBeLessThanOrEqual(100);
    for (const part of sent) expect(part.message.text.length).toBeLessThanOrEqual(100);
  });
});

describe("files", () => {
  let db: Db;
  beforeAll(async () => {
    db = (await createTestDb()).db;
  });
  afterAll(async () => db.$disconnect());

  it("a chart-sized file comes out of the deliverer byte for byte", async () => {
    const sent: Sent[] = [];
    const content = randomBytes(200 * 1024);
    const who = await person(db, "Năm", [{ platform: "alpha" }]);
    await enqueue(db, MORNING, [
      push(who.id, { text: "Biểu đồ tiến độ", file: { name: "tien-do.png", mimeType: "image/png", content } }),
    ]);
    const row = await db.outboxMessage.findFirstOrThrow({ where: { personId: who.id } });
    expect(row.payload).not.toContain("tien-do.png");
    expect(row.payload.length).toBeLessThan(200);

    await senderFor(db, [recordingChannel("alpha", sent, { limits: { files: true } })]).sendDue(MORNING);
    expect(sent).toHaveLength(1);
    const file = sent[0]!.message.file!;
    expect(file).toMatchObject({ name: "tien-do.png", mimeType: "image/png" });
    expect(Buffer.from(file.content).equals(content)).toBe(true);
  });

  it("a platform without uploads gets a text that says how to get the file", async () => {
    const sent: Sent[] = [];
    const who = await person(db, "Sáu", [{ platform: "beta" }]);
    await enqueue(db, MORNING, [
      push(who.id, {
        text: "Bảng tổng hợp",
        file: { name: "tong-hop.xlsx", mimeType: "application/x", content: randomBytes(10) },
      }),
    ]);
    await senderFor(db, [recordingChannel("beta", sent, { limits: { files: false } })]).sendDue(MORNING);
    expect(sent[0]!.message.file).toBeUndefined();
    expect(sent[0]!.message.text).toContain("Bảng tổng hợp");
    expect(sent[0]!.message.text).toContain('"tong-hop.xlsx"');
    expect(sent[0]!.message.text).toContain("Sở Nội vụ");
  });
});

describe("a platform's retry-after and dead processes", () => {
  let db: Db;
  beforeAll(async () => {
    db = (await createTestDb()).db;
  });
  afterAll(async () => db.$disconnect());

  it("delays the row by the platform's wait without counting a failed attempt", async () => {
    const sent: Sent[] = [];
    let limited = true;
    const channel = recordingChannel("alpha", sent, {
      fail: () => (limited ? new DeliveryError("delivery.rate_limited", "429", 5_000) : null),
    });
    const who = await person(db, "Bảy", [{ platform: "alpha" }]);
    await enqueue(db, MORNING, [push(who.id, { text: "chậm lại" }, "slow")]);
    const time = createVirtualTime();
    const sender = senderFor(db, [channel], time.timers);
    await time.run(sender.sendDue(MORNING));
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { key: "slow" } })).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: new Date(MORNING.getTime() + 5_000),
    });
    limited = false;
    await time.run(sender.sendDue(new Date(MORNING.getTime() + 4_999)));
    expect(sent).toEqual([]);
    await time.run(sender.sendDue(new Date(MORNING.getTime() + 5_000)));
    expect(sent.map((s) => s.message.text)).toEqual(["chậm lại"]);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { key: "slow" } })).toMatchObject({
      status: "sent",
      attempts: 1,
    });
  });

  it("renews the lease from the time as a long pass runs, so no other process takes it half way", async () => {
    const sent: Sent[] = [];
    const who = await person(db, "Chín", [{ platform: "lease" }]);
    await enqueue(db, MORNING, [push(who.id, { text: "vòng sau" }, "late-round")]);
    const holder = createPresence({ db, processId: "holder", platforms: ["lease"] });
    const other = createPresence({ db, processId: "other", platforms: ["lease"] });
    const result = { sent, failed: [], retrying: [], unreachable: [] } as never;
    await holder.beat(MORNING);
    // A claim round 40 s into a pass that began at MORNING (the pass's first rounds took that long).
    const later = new Date(MORNING.getTime() + 40_000);
    const claimed = await claimDue(
      { db, presence: holder, platforms: ["lease"], sessions: new Set() },
      MORNING,
      result,
      later,
    );
    expect(claimed.map((c) => c.row.key)).toEqual(["late-round"]);
    const lease = await db.platformLease.findUniqueOrThrow({ where: { platform: "lease" } });
    expect(lease).toMatchObject({ holder: "holder", expiresAt: new Date(later.getTime() + LEASE_MS) });
    await other.beat(new Date(later.getTime() + 5_000));
    expect(await other.acquireLease("lease", new Date(later.getTime() + 5_000))).toBe(false);
    await Promise.all([holder.leave(), other.leave()]);
  });

  it("retakes at once the claims of a process that left no heartbeat", async () => {
    const sent: Sent[] = [];
    const who = await person(db, "Tám", [{ platform: "alpha" }]);
    await enqueue(db, MORNING, [push(who.id, { text: "mồ côi" }, "orphan")]);
    await db.outboxMessage.update({ where: { key: "orphan" }, data: { claimedBy: "gone", claimedAt: MORNING } });
    await senderFor(db, [recordingChannel("alpha", sent)]).sendDue(MORNING);
    expect(sent.map((s) => s.message.text)).toEqual(["mồ côi"]);
  });

  it("frees its unsent claims and its lease when stopped", async () => {
    const sent: Sent[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const started = new Promise<void>((r) => (entered = r));
    const channel: DeliveryChannel = {
      ...recordingChannel("alpha", sent),
      // One chat at a time and a slow platform: most rows are still queued when the stop comes.
      pace: { perSecond: 1000, perChatMs: 0 },
      async deliver(target, message) {
        entered();
        await held;
        sent.push({ platform: "alpha", chatId: target.chatId, message, at: 0 });
        return { messageId: "x" };
      },
    };
    const people = [];
    for (let i = 0; i < 100; i++) people.push(await person(db, `Dừng ${i}`, [{ platform: "alpha" }]));
    await enqueue(
      db,
      MORNING,
      people.map((p, i) => push(p.id, { text: `dừng ${i}` }, `stop-${i}`)),
    );
    const sender: OutboxSender = senderFor(db, [channel]);
    const sending = sender.sendDue(MORNING);
    await started;
    const heartbeats = await db.processHeartbeat.count();
    const stopping = sender.stop(10_000);
    release();
    await stopping;
    await sending;
    const rows = await db.outboxMessage.findMany({ where: { key: { startsWith: "stop-" } } });
    expect(rows.filter((r) => r.claimedBy !== null)).toEqual([]);
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(sent.length);
    expect(sent.length).toBeLessThan(100);
    expect(await db.platformLease.count()).toBe(0);
    expect(await db.processHeartbeat.count()).toBe(heartbeats - 1);
  });
});

describe("pacing", () => {
  it("300 pushes at 30/s never exceed 30 in any second, and no chat gets two within its spacing", async () => {
    const db = (await createTestDb()).db;
    const time = createVirtualTime();
    const sent: Sent[] = [];
    const channel = recordingChannel("alpha", sent, { pace: { perSecond: 30, perChatMs: 1000 }, now: () => time.now });
    // 100 people, three pushes each: per-chat spacing matters as much as the overall rate.
    const people = [];
    for (let i = 0; i < 100; i++) people.push(await person(db, `Nhịp ${i}`, [{ platform: "alpha" }]));
    await enqueue(
      db,
      MORNING,
      people.flatMap((p, i) => [0, 1, 2].map((k) => push(p.id, { text: `${i}/${k}` }, `pace-${i}-${k}`))),
    );
    await time.run(senderFor(db, [channel], time.timers).sendDue(MORNING));

    expect(sent).toHaveLength(300);
    const times = sent.map((s) => s.at).sort((a, b) => a - b);
    for (let i = 30; i < times.length; i++) expect(times[i]! - times[i - 30]!).toBeGreaterThanOrEqual(1000);
    // 30 in any second, so the 300th goes 9 s after the first at the soonest: the queue sends each
    // second's 30 together rather than spread over it (see createRateWindow), so 9 s, not 9.9 s, is
    // what the rate allows; the window's margin adds at least 20 ms a second. And no slower than
    // 0.93 of the pace.
    expect(times[299]! - times[0]!).toBeGreaterThanOrEqual(9000);
    expect(times[299]! - times[0]!).toBeLessThanOrEqual(300_000 / (0.93 * 30));
    const byChat = new Map<string, number[]>();
    for (const s of sent) byChat.set(s.chatId, [...(byChat.get(s.chatId) ?? []), s.at]);
    for (const [, at] of byChat) {
      expect(at).toHaveLength(3);
      for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(1000);
    }
    expect(await db.outboxMessage.count({ where: { status: "sent" } })).toBe(300);
    await db.$disconnect();
  });

  it("the queue alone spaces a chat's sends and holds a chat back for a retry-after", async () => {
    const time = createVirtualTime();
    const queue = createSendQueue({ pace: { perSecond: 1000, perChatMs: 500 }, timers: time.timers });
    const starts: [string, number][] = [];
    const job = (chat: string) => ({
      chatKey: chat,
      run: async () => {
        starts.push([chat, time.now]);
      },
    });
    queue.delayChat("b", 2000);
    for (const chat of ["a", "a", "b", "a"]) queue.push(job(chat));
    await time.run(queue.drain());
    expect(starts.filter(([c]) => c === "a").map(([, t]) => t)).toEqual([0, 500, 1000]);
    expect(starts.find(([c]) => c === "b")![1]).toBeGreaterThanOrEqual(2000);
  });
});

describe("a fan-out larger than one claim", () => {
  it("sends 2,000 due pushes once each, across several claim rounds", async () => {
    const db = (await createTestDb()).db;
    const sent: Sent[] = [];
    const now = MORNING;
    await db.person.createMany({
      data: Array.from({ length: 2000 }, (_, i) => ({ displayName: `Xã ${i}`, role: "contact", createdAt: now })),
    });
    const people = await db.person.findMany({ select: { id: true } });
    await db.identity.createMany({
      data: people.map((p) => ({
        personId: p.id,
        platform: "alpha",
        userId: `u${p.id}`,
        chatId: `c${p.id}`,
        displayName: "x",
        createdAt: now,
      })),
    });
    await enqueue(
      db,
      now,
      people.map((p) => push(p.id, { text: `nhắc ${p.id}` }, `big-${p.id}`)),
    );
    const result = await senderFor(db, [recordingChannel("alpha", sent)]).sendDue(now);
    expect(result.sent).toHaveLength(2000);
    expect(new Set(sent.map((s) => s.chatId)).size).toBe(2000);
    expect(await db.outboxMessage.count({ where: { status: "sent" } })).toBe(2000);
    await db.$disconnect();
  });
});
