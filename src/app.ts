import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import { createBotCore } from "./core/bot.ts";
import type { BotCore, Notifier } from "./core/types.ts";
import { createDb, migrateDatabase, tuneDb, type Db } from "./db.ts";
import type { Deliverer } from "./delivery/types.ts";
import type { Logger } from "./logger.ts";
import { ensureBundledCalendar, ensureBundledPlan } from "./plan/bundle.ts";
import { createReminderEngine, type ReminderEngine } from "./reminders/engine.ts";
import { createOutboxNotifier } from "./reminders/outbox.ts";

export interface App {
  db: Db;
  core: BotCore;
  notifier: Notifier;
  reminders: ReminderEngine;
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

  let flushing: Promise<void> = Promise.resolve();
  const flush = () => {
    // One send pass at a time within a process; the outbox's claims guard against other processes.
    flushing = flushing
      .then(async () => {
        await reminders.send(clock.now());
      })
      .catch((error: unknown) => logger.error({ err: error }, "outbox flush failed"));
    return flushing;
  };
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
    core,
    notifier,
    reminders,
    flush,
    close: async () => {
      await flushing;
      await db.$disconnect();
    },
  };
}

/** Telegram deep links carry the code as the /start payload; other platforms have no link. */
export function inviteLinkFor(config: Config): (code: string) => string | null {
  const username = config.telegram?.username;
  return (code) => (username ? `https://t.me/${username}?start=${code.replace(/-/g, "")}` : null);
}
