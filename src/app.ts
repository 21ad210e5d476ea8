import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import { createBotCore } from "./core/bot.ts";
import type { BotCore, Notifier } from "./core/types.ts";
import { createDb, migrateDatabase, type Db } from "./db.ts";
import { createDirectNotifier } from "./delivery/direct-notifier.ts";
import type { Deliverer } from "./delivery/types.ts";
import type { Logger } from "./logger.ts";
import { ensureBundledPlan } from "./plan/bundle.ts";

export interface App {
  db: Db;
  core: BotCore;
  notifier: Notifier;
  close(): Promise<void>;
}

/** Migrates, seeds an empty database with the bundled plan, and wires the core to a deliverer. */
export async function createApp(deps: {
  config: Config;
  logger: Logger;
  clock: Clock;
  deliverer: Deliverer;
}): Promise<App> {
  const { config, logger, clock } = deps;
  await migrateDatabase(config.databaseUrl);
  const db = createDb(config.databaseUrl);
  await ensureBundledPlan(db, logger);
  const notifier = createDirectNotifier({ db, deliverer: deps.deliverer, logger });
  const core = createBotCore({
    db,
    clock,
    notifier,
    logger,
    inviteTtlDays: config.inviteTtlDays,
    defaultLocale: config.defaultLocale,
    inviteLink: inviteLinkFor(config),
  });
  return { db, core, notifier, close: () => db.$disconnect() };
}

/** Telegram deep links carry the code as the /start payload; other platforms have no link. */
export function inviteLinkFor(config: Config): (code: string) => string | null {
  const username = config.telegram?.username;
  return (code) => (username ? `https://t.me/${username}?start=${code.replace(/-/g, "")}` : null);
}
