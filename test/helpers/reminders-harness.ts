// Shared steps for the reminders-*.test.ts files: a real engine over the test bot's database, a
// scriptable fake deliverer and instants written the way people say them ("2026-12-01T08:00").
import { randomUUID } from "node:crypto";
import type { Clock, ManualClock } from "../../src/lib/clock.ts";
import { createPresence } from "../../src/delivery/presence.ts";
import { createOutboxSender } from "../../src/delivery/sender.ts";
import { activePolicy } from "../../src/schedule/policy.ts";
import type { OutgoingMessage, DeliveryFailureReason } from "../../src/model/messages.ts";
import type { Db } from "../../src/db/db.ts";
import {
  DeliveryError,
  UNLIMITED,
  UNPACED,
  type Deliverer,
  type DeliveryChannel,
  type DeliveryErrorCode,
  type DeliveryTarget,
} from "../../src/delivery/types.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { ensureBundledCalendar } from "../../src/plan/bundle.ts";
import { createReminderEngine, type ReminderEngine } from "../../src/reminders/engine.ts";
import { parseIsoInstant, toIsoLocal } from "../../src/lib/time.ts";
import { createTestBot, type TestBot } from "./bot.ts";
import type { TestDb } from "./db.ts";

export const silent = createLogger("silent");
export const MINUTE = 60 * 1000;

/** Local time in Vietnam when no offset is written. */
export function instant(iso: string): Date {
  const parsed = parseIsoInstant(iso);
  if (!parsed) throw new Error(`bad instant in a test: ${iso}`);
  return parsed;
}

/** "2026-12-01T08:00" → "2026-12-01T08:00:00+07:00", how entries and assertions spell instants. */
export function iso(local: string): string {
  return toIsoLocal(instant(local));
}

export interface Attempt {
  target: DeliveryTarget;
  message: OutgoingMessage;
  /** The clock's instant when the deliverer was called. */
  at: Date;
  /** The error thrown, or null when the delivery succeeded. */
  error: DeliveryErrorCode | null;
}

export interface FakeDeliverer extends Deliverer {
  /** Every call, failed or not, in order. */
  attempts: Attempt[];
  /** Successful deliveries only. */
  readonly delivered: Attempt[];
  /** The next `times` deliveries to `userId` (any user when omitted) throw `code`, with `reason` if given. */
  fail(code: DeliveryErrorCode, options?: { userId?: string; times?: number; reason?: DeliveryFailureReason }): void;
  /** Successful deliveries to one platform user. */
  to(userId: string): Attempt[];
}

export function createFakeDeliverer(clock: ManualClock): FakeDeliverer {
  const rules: {
    code: DeliveryErrorCode;
    userId: string | undefined;
    remaining: number;
    reason: DeliveryFailureReason | undefined;
  }[] = [];
  const attempts: Attempt[] = [];
  let sequence = 0;
  return {
    attempts,
    get delivered() {
      return attempts.filter((a) => a.error === null);
    },
    fail(code, options = {}) {
      rules.push({ code, userId: options.userId, remaining: options.times ?? Infinity, reason: options.reason });
    },
    to(userId) {
      return attempts.filter((a) => a.error === null && a.target.userId === userId);
    },
    async deliver(target, message) {
      const at = clock.now();
      const rule = rules.find((r) => r.remaining > 0 && (r.userId === undefined || r.userId === target.userId));
      if (rule) {
        rule.remaining--;
        attempts.push({ target, message, at, error: rule.code });
        throw new DeliveryError(rule.code, `${rule.code} (scripted) for ${target.userId}`, undefined, rule.reason);
      }
      attempts.push({ target, message, at, error: null });
      return { messageId: `fake-${++sequence}` };
    },
  };
}

export interface ReminderRig {
  bot: TestBot;
  db: Db;
  deliverer: FakeDeliverer;
  engine: ReminderEngine;
  /** Another process over the same database (own engine, same deliverer so sends are counted together). */
  newEngine(deliverer?: Deliverer): ReminderEngine;
  /** Sets the clock to `local` and ticks there. */
  tick(local: string | Date): ReturnType<ReminderEngine["tick"]>;
  /** Sets the clock to `local` (for commands typed in the bot) and returns the instant. */
  at(local: string | Date): Date;
  close(): Promise<void>;
}

/**
 * An engine as one process would run it: its own heartbeat and claims, sending through one
 * unpaced, unlimited channel for the test platform.
 */
export function engineOver(db: Db, clock: Clock, deliverer: Deliverer): ReminderEngine {
  const channel: DeliveryChannel = {
    name: "test",
    limits: UNLIMITED,
    pace: UNPACED,
    deliver: (target, message) => deliverer.deliver(target, message),
  };
  const presence = createPresence({ db, processId: randomUUID(), platforms: [channel.name] });
  const sender = createOutboxSender({
    db,
    channels: [channel],
    presence,
    logger: silent,
    policy: () => activePolicy(db),
  });
  return createReminderEngine({ db, clock, sender, logger: silent });
}

/** A test bot (clock at `now`) whose database has the bundled calendar, with an engine and a fake deliverer. */
export async function createReminderRig(now: string, database?: TestDb): Promise<ReminderRig> {
  const bot = await createTestBot({ now, ...(database && { database }) });
  await ensureBundledCalendar(bot.db, silent);
  const deliverer = createFakeDeliverer(bot.clock);
  const newEngine = (d: Deliverer = deliverer) => engineOver(bot.db, bot.clock, d);
  const engine = newEngine();
  const at = (local: string | Date) => {
    const t = typeof local === "string" ? instant(local) : local;
    bot.clock.set(t);
    return t;
  };
  return {
    bot,
    db: bot.db,
    deliverer,
    engine,
    newEngine,
    at,
    tick: (local) => engine.tick(at(local)),
    close: () => bot.db.$disconnect(),
  };
}

export async function personId(bot: TestBot, user: string): Promise<number> {
  const identity = await bot.db.identity.findUniqueOrThrow({
    where: { platform_userId: { platform: "test", userId: user } },
  });
  return identity.personId;
}

/** Outbox rows of one person (all kinds unless given), oldest due first. */
export async function outboxOf(bot: TestBot, user: string, kind?: string) {
  return bot.db.outboxMessage.findMany({
    where: { personId: await personId(bot, user), ...(kind && { kind }) },
    orderBy: [{ dueAt: "asc" }, { id: "asc" }],
  });
}

export async function reminderRow(bot: TestBot, user: string, point: string) {
  const rows = (await outboxOf(bot, user, "reminder")).filter((r) => r.point === point);
  if (rows.length > 1) throw new Error(`${rows.length} rows for ${user} ${point}`);
  return rows[0] ?? null;
}
