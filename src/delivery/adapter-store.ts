import { randomBytes } from "node:crypto";
import type { Clock } from "../lib/clock.ts";
import type { Db } from "../db/db.ts";
import { isDatabaseBusy } from "../db/db-errors.ts";
import type { Serialize } from "./sender.ts";

/**
 * What adapters keep in the database between updates: which updates were handled, the short
 * keys of long button values, the choices last offered in a chat without buttons, and settings
 * learnt at run time. Each call is short and takes the process's turn.
 */
export interface AdapterStore {
  /**
   * True the first time an update id (or a signed request) is seen on a platform; false when it
   * was handled already, by this process or another. It never keeps a chat waiting for a busy
   * database: while another process holds the write lock, the ids this process has seen answer
   * from memory, the row is written with a later update, and the core decides whether the update
   * can be served without writing (a question) or must be refused as busy (a report).
   */
  firstDelivery(platform: string, updateId: string): Promise<boolean>;
  /** True for the first caller of `key` in `scope` across every process; waits out a busy database. */
  claimOnce(scope: string, key: string): Promise<boolean>;
  /** A short key (at most 16 characters) that stands for `value` in a button payload. */
  keyForValue(value: string): Promise<string>;
  /** The value behind a key, or null when it is unknown (or pruned). */
  valueForKey(key: string): Promise<string | null>;
  /** Remembers the values offered in a chat, in order, replacing the previous offer. */
  offerChoices(platform: string, chatId: string, values: readonly string[]): Promise<void>;
  /** The values last offered in a chat ([] when none). */
  offeredChoices(platform: string, chatId: string): Promise<string[]>;
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
  /** Forgets handled update ids and button keys older than a day (choice keys: 30 days). */
  prune(): Promise<void>;
}

/** Where the Telegram adapter keeps the username getMe reported, for links made while it is not running. */
export const TELEGRAM_USERNAME_SETTING = "telegram.username";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Button keys live as long as a message could still be pressed: a month. */
const KEY_TTL_MS = 30 * DAY_MS;

/**
 * Update ids this process has seen, newest last. A platform sends an update again within minutes
 * (Telegram's webhook, Slack's retries, a signature's 5-minute window); the database keeps the
 * day-long record across processes.
 */
const RECENT_IDS = 10_000;
/** Rows not written while the database was busy, written with the next update that gets through. */
const UNWRITTEN_MAX = 1_000;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

interface Seen {
  platform: string;
  updateId: string;
  at: Date;
}

/**
 * `firstDelivery` as its interface says: memory first, then one try at the row in the process's
 * turn, without the busy waits of `serialize` (those would hold a chat that only reads).
 */
function createDedup(db: Db, clock: Clock, once: Serialize): (platform: string, updateId: string) => Promise<boolean> {
  const recent = new Set<string>();
  const unwritten: Seen[] = [];
  const insert = async (seen: Seen): Promise<boolean> => {
    try {
      await db.processedUpdate.create({ data: seen });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  };
  const writeUnwritten = async (): Promise<void> => {
    try {
      while (unwritten.length > 0) {
        await insert(unwritten[0]!);
        unwritten.shift();
      }
    } catch {
      // Busy again (or worse): they wait for the next update; the update at hand is settled.
    }
  };
  return async (platform, updateId) => {
    const key = `${platform}\n${updateId}`;
    if (recent.has(key)) return false;
    recent.add(key);
    if (recent.size > RECENT_IDS) recent.delete(recent.values().next().value!);
    const seen = { platform, updateId, at: clock.now() };
    try {
      return await once(async () => {
        const first = await insert(seen);
        await writeUnwritten();
        return first;
      });
    } catch (error) {
      if (!isDatabaseBusy(error)) {
        // Not handled, so a delivery again must be.
        recent.delete(key);
        throw error;
      }
      if (unwritten.length < UNWRITTEN_MAX) unwritten.push(seen);
      return true;
    }
  };
}

export function createAdapterStore(deps: {
  db: Db;
  clock: Clock;
  /** The process's turn, waiting out a busy database. */
  serialize?: Serialize;
  /** The process's turn, tried once: a busy database fails at once. */
  once?: Serialize;
}): AdapterStore {
  const { db, clock } = deps;
  const serialize: Serialize = deps.serialize ?? ((work) => work());
  return {
    firstDelivery: createDedup(db, clock, deps.once ?? ((work) => work())),
    claimOnce: (scope, key) =>
      serialize(async () => {
        try {
          await db.processedUpdate.create({ data: { platform: scope, updateId: key, at: clock.now() } });
          return true;
        } catch (error) {
          if (isUniqueViolation(error)) return false;
          throw error;
        }
      }),
    keyForValue: (value) =>
      serialize(async () => {
        const existing = await db.choiceKey.findFirst({ where: { value }, select: { key: true } });
        if (existing) return existing.key;
        // 12 bytes in base64url: 16 characters, far inside Telegram's 64-byte callback_data.
        const key = randomBytes(12).toString("base64url");
        await db.choiceKey.create({ data: { key, value, createdAt: clock.now() } });
        return key;
      }),
    valueForKey: (key) => serialize(async () => (await db.choiceKey.findUnique({ where: { key } }))?.value ?? null),
    offerChoices: (platform, chatId, values) =>
      serialize(async () => {
        const data = { choices: JSON.stringify(values), updatedAt: clock.now() };
        await db.offeredChoices.upsert({
          where: { platform_chatId: { platform, chatId } },
          create: { platform, chatId, ...data },
          update: data,
        });
      }),
    offeredChoices: (platform, chatId) =>
      serialize(async () => {
        const row = await db.offeredChoices.findUnique({ where: { platform_chatId: { platform, chatId } } });
        return row ? (JSON.parse(row.choices) as string[]) : [];
      }),
    getSetting: (key) => serialize(async () => (await db.botSetting.findUnique({ where: { key } }))?.value ?? null),
    setSetting: (key, value) =>
      serialize(async () => {
        const data = { value, updatedAt: clock.now() };
        await db.botSetting.upsert({ where: { key }, create: { key, ...data }, update: data });
      }),
    prune: () =>
      serialize(async () => {
        const now = clock.now().getTime();
        await db.processedUpdate.deleteMany({ where: { at: { lt: new Date(now - DAY_MS) } } });
        await db.choiceKey.deleteMany({ where: { createdAt: { lt: new Date(now - KEY_TTL_MS) } } });
      }),
  };
}
