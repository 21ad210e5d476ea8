import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import { createBotCore } from "./core/bot.ts";
import type { BotCore, Notifier } from "./core/types.ts";
import { createDb, migrateDatabase, tuneDb, type Db } from "./db.ts";
import type { Deliverer } from "./delivery/types.ts";
import type { Logger } from "./logger.ts";
import { ensureBundledCalendar, ensureBundledPlan } from "./plan/bundle.ts";
import { createReminderEngine, type ReminderEngine, type TickResult } from "./reminders/engine.ts";
import { createOutboxNotifier } from "./delivery/outbox.ts";

export interface App {
  db: Db;
  core: BotCore;
  notifier: Notifier;
  reminders: ReminderEngine;
  /** A reminder tick (plan, then send), taking its turn with chat events. */
  tick(now?: Date): Promise<TickResult>;
  /** Sends whatever the outbox has due now (the core's notifications right after an event). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Migrates, seeds an empty database with the bundled plan and calendar, and wires the core so
 * that every push (notifications, nudges, reminders, digests) goes through the durable outbox.
 */
export async function createApp(deps: {
  config: Config;
  logger: Logger;
  clock: Clock;
  deliverer: Deliverer;
}): Promise<App> {
  const { config, logger, clock } = deps;
  await migrateDatabase(config.databaseUrl);
  const db = createDb(config.databaseUrl);
  await tuneDb(db);
  await ensureBundledPlan(db, logger);
  await ensureBundledCalendar(db, logger);
  const reminders = createReminderEngine({ db, clock, deliverer: deps.deliverer, logger });

  // One connection serves the whole process, and an open interactive transaction would take in
  // the statements of anything running beside it (a tick marking a row sent could be rolled back
  // with a failed join). So events, ticks and sends take turns; other processes are kept apart by
  // SQLite's own locking and the outbox's claims.
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work);
    turn = result.catch(() => undefined);
    return result;
  };
  const flush = () =>
    inTurn(async () => {
      await reminders.send(clock.now());
    }).catch((error: unknown) => logger.error({ err: error }, "outbox flush failed"));
  const notifier = createOutboxNotifier({ db, clock, onQueued: () => void flush() });
  const core = createBotCore({
    db,
    clock,
    notifier,
    logger,
    inviteTtlDays: config.inviteTtlDays,
    defaultLocale: config.defaultLocale,
    inviteLink: inviteLinkFor(config),
  });
  return {
    db,
    core: { handle: (event) => inTurn(() => core.handle(event)) },
    notifier,
    reminders,
    tick: (now) => inTurn(() => reminders.tick(now)),
    flush,
    close: async () => {
      await turn;
      await db.$disconnect();
    },
  };
}

/** Telegram deep links carry the code as the /start payload; other platforms have no link. */
export function inviteLinkFor(config: Config): (code: string) => string | null {
  const username = config.telegram?.username;
  return (code) => (username ? `https://t.me/${username}?start=${code.replace(/-/g, "")}` : null);
}
