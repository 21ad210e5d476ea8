import { randomUUID } from "node:crypto";
import type { Checkpoint } from "./lib/checkpoint.ts";
import type { Clock } from "./lib/clock.ts";
import type { Config } from "./config.ts";
import { createBotCore } from "./core/bot.ts";
import type { BotCore, Reply } from "./model/bot-core.ts";
import { isDatabaseBusy, retryWhileBusy } from "./db/db-errors.ts";
import {
  createDb,
  loadDatabaseDriver,
  migrateDatabase,
  optimizeDb,
  postgres,
  providerOf,
  tuneDb,
  type Db,
} from "./db/db.ts";
import { isPostgresUrl } from "./db/database-url.ts";
import { createPgLeadership } from "./delivery/poll-leader.ts";
import { createOutboxNotifier, type Notifier } from "./delivery/outbox.ts";
import { createPresence, HEARTBEAT_EVERY_MS, reachOf } from "./delivery/presence.ts";
import { createOutboxSender, type OutboxSender, type Serialize } from "./delivery/sender.ts";
import type { Timers } from "./delivery/send-queue.ts";
import type { DeliveryChannel, PlatformAdapter } from "./delivery/types.ts";
import type { AdapterHost } from "./delivery/adapter-host.ts";
import { createAdapterStore, TELEGRAM_USERNAME_SETTING, type AdapterStore } from "./delivery/adapter-store.ts";
import { messagesFor } from "./i18n/index.ts";
import type { Logger } from "./lib/logger.ts";
import { seedBundle } from "./plan/bundle.ts";
import type { Role } from "./model/roles.ts";
import { createReminderEngine, type ReminderEngine, type TickResult } from "./reminders/engine.ts";
import { activePolicy } from "./schedule/policy.ts";
import { readStoredFile, storeOutgoingFile } from "./services/file-service.ts";
import { personOverview } from "./services/overview-service.ts";

export interface App {
  db: Db;
  core: BotCore;
  /** The platform adapters built for this process (not started). */
  adapters: PlatformAdapter[];
  store: AdapterStore;
  notifier: Notifier;
  reminders: ReminderEngine;
  sender: OutboxSender;
  /** This process's turn for database work (see below). */
  serialize: Serialize;
  /** A reminder tick: planning takes its turn with chat events, the sends run beside them. */
  tick(now?: Date): Promise<TickResult>;
  /** Sends whatever the outbox has due now (the core's notifications right after an event). */
  flush(): Promise<void>;
  /** Tells other processes this one is alive and which platforms it runs (see presence.ts). */
  heartbeat(): Promise<void>;
  /** For a process that stays open: beats on a timer until the returned function is called. */
  keepBeating(): () => void;
  /**
   * For a process that stays open: looks at the outbox between the core's own kicks, so pushes
   * queued by other processes go out too, until the returned function is called.
   */
  keepSending(): () => void;
  /** Stops sending (sends in flight get `graceMs`), frees this process's claims and closes the database. */
  close(graceMs?: number): Promise<void>;
}

export interface AppDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  /** Channels that are not platform adapters of this process (the console, a test's stand-in). */
  channels?: readonly DeliveryChannel[];
  /** Builds the platform adapters, given what they need from the app; they start later. */
  adapters?: (host: AdapterHost) => PlatformAdapter[];
  timers?: Timers;
  /** How the busy-database retry waits (tests pass a controllable one). */
  sleep?: (ms: number) => Promise<void>;
  /** A PostgreSQL server that does not answer yet is waited for (server mode), not an error. */
  waitForDatabase?: boolean;
  /** Ends that wait (the process was asked to stop): createApp then rejects. */
  signal?: AbortSignal;
  /** Named points of building, migrating and seeding the database, where a test stops a start. */
  checkpoint?: Checkpoint;
}

/**
 * Migrates, seeds an empty database with the bundled plan and calendar, and wires the core so
 * that every push (notifications, nudges, reminders, digests) goes through the durable outbox
 * and out through the channel of the person's platform.
 */
export async function createApp(deps: AppDeps): Promise<App> {
  const { config, logger, clock } = deps;
  const db = await openDatabase(deps);
  const optimizedAtOpen = await optimizeDb(db, { everyTable: true });
  const pooled = providerOf(db) === "postgresql";
  const reachability = createReachability({ db, logger, watch: pooled });
  const turns = createTurns(pooled, deps.sleep);
  const { serialize, once } = turns;

  // Adapters call the core only once started, by which time `core` below is in place.
  let core: BotCore | null = null;
  const served = serveCore(() => core, serialize, logger, config.defaultLocale);
  const host = createHost({ ...deps, db, serialize, once, core: served });
  if (pooled) {
    host.polling = createPgLeadership({ connect: () => postgres().connectPg(config.databaseUrl), logger });
    host.databaseReachable = () => reachability.reachable();
  }
  const adapters = deps.adapters?.(host) ?? [];
  const channels = [...(deps.channels ?? []), ...adapters];

  const reaches = channels.map(reachOf);
  const presence = createPresence({ db, processId: randomUUID(), platforms: reaches });
  const sender = createOutboxSender({
    db,
    channels,
    presence,
    logger,
    serialize,
    ...(deps.timers && { timers: deps.timers }),
    policy: () => activePolicy(db),
  });
  const reminders = createReminderEngine({
    db,
    clock,
    sender,
    logger,
    serialize,
    digestChannels: adapters.flatMap((a) => (a.digestChannel ? [a.digestChannel] : [])),
    claimOnce: (key) => host.store.claimOnce("digest-channel", key),
  });
  const flush = () => flushOutbox(sender, clock, logger);
  const heartbeat = () => serialize(() => presence.beat(clock.now()));
  const notifier = createOutboxNotifier({ db, clock, onQueued: () => void flush() });
  core = createCore({ config, logger, clock, db, notifier, platforms: reaches });
  // Statistics gathered as the database opened are refreshed hourly, with the tick; at the first
  // tick when another process's write lock kept them from being gathered then.
  let optimizedAt = optimizedAtOpen ? clock.now().getTime() : Number.NEGATIVE_INFINITY;
  return {
    db,
    core: served,
    adapters,
    store: host.store,
    notifier,
    reminders,
    sender,
    serialize,
    async tick(now) {
      const result = await reminders.tick(now);
      const at = (now ?? clock.now()).getTime();
      if (at - optimizedAt >= OPTIMIZE_EVERY_MS || at < optimizedAt) {
        if (await serialize(() => optimizeDb(db))) optimizedAt = at;
      }
      return result;
    },
    flush,
    heartbeat,
    ...keepingAlive(heartbeat, flush, logger),
    close: async (graceMs) => {
      reachability.stop();
      await sender.stop(graceMs);
      await turns.idle();
      await db.$disconnect();
    },
  };
}

/**
 * Waits for a PostgreSQL server that is not up yet (server mode), migrates, and seeds an empty
 * database with the bundled plan and calendar. A new SQLite database is built and seeded aside and
 * appears complete; an existing one is migrated in place and seeded here if it lacks the bundle.
 */
async function openDatabase(deps: AppDeps): Promise<Db> {
  const { config, logger } = deps;
  await loadDatabaseDriver(config.databaseUrl);
  if (deps.waitForDatabase && isPostgresUrl(config.databaseUrl)) {
    await postgres().waitForPg(config.databaseUrl, {
      onWait: (error, waitMs) => logger.warn({ err: error, retryInMs: waitMs }, "database not reachable; waiting"),
      ...(deps.signal && { signal: deps.signal }),
    });
  }
  const seed = (target: Db) => seedBundle(target, logger, deps.checkpoint);
  await migrateDatabase(config.databaseUrl, seed, deps.checkpoint);
  const db = createDb(config.databaseUrl);
  await tuneDb(db);
  await seed(db);
  return db;
}

/**
 * On SQLite one connection serves the whole process, and an open interactive transaction would
 * take in the statements of anything running beside it (a tick marking a row sent could be rolled
 * back with a failed join). So events, planning and the outbox's claims and results take turns;
 * network calls do not. Other processes are kept apart by SQLite's locking and the claims. On
 * PostgreSQL every transaction has a connection of the pool to itself, so chat events run side by
 * side, as they do across processes.
 */
function createTurns(
  pooled: boolean,
  sleep: AppDeps["sleep"],
): { serialize: Serialize; once: Serialize; idle(): Promise<void> } {
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn: Serialize = pooled
    ? (work) => work()
    : <T>(work: () => Promise<T>): Promise<T> => {
        const result = turn.then(work);
        turn = result.catch(() => undefined);
        return result;
      };
  return {
    // When another process holds SQLite's write lock, the work leaves the turn, waits (without
    // blocking the process) and takes a new turn: other chats, sends and /healthz go on meanwhile.
    serialize: (work) => retryWhileBusy(() => inTurn(work), sleep),
    // What may go ahead without its write (an update's dedup row) tries once and hears "busy" at once.
    once: inTurn,
    idle: async () => {
      await turn;
    },
  };
}

/**
 * The core as adapters and tests reach it: each event and use case in the process's turn, and a
 * database still busy after every wait said plainly, so nobody believes a report was stored.
 */
function serveCore(current: () => BotCore | null, serialize: Serialize, logger: Logger, locale: "vi" | "en"): BotCore {
  const inTurn = async <T>(platform: string, work: (core: BotCore) => Promise<T>, busy: (reply: Reply) => T) => {
    const core = current();
    if (!core) throw new Error("the app is not ready");
    try {
      return await serialize(() => work(core));
    } catch (error) {
      logger.warn({ err: error, platform }, "event refused: database busy");
      return busy({ text: messagesFor(locale).bot.busy });
    }
  };
  return {
    handle: (event) =>
      inTurn(
        event.from.platform,
        (core) => core.handle(event),
        (reply) => [reply],
      ),
    run: (from, name, input) =>
      inTurn(
        from.platform,
        (core) => core.run(from, name, input),
        (reply) => ({ ok: false, errors: {}, replies: [reply] }),
      ),
  };
}

/** What every adapter is handed: the core, its store, files and the read-only views, all in turn. */
function createHost(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  serialize: Serialize;
  once: Serialize;
  core: BotCore;
}): AdapterHost {
  const { db, clock, serialize } = deps;
  return {
    core: deps.core,
    store: createAdapterStore({ db, clock, serialize, once: deps.once }),
    logger: deps.logger,
    clock,
    files: {
      keep: (file) => serialize(() => storeOutgoingFile(db, { ...file, now: clock.now() })),
      read: (id) => serialize(() => readStoredFile(db, id)),
    },
    accounts: (platform, roles) =>
      serialize(async () => {
        const rows = await db.identity.findMany({
          where: { platform, person: { role: { in: [...roles] } } },
          include: { person: true },
          orderBy: { id: "asc" },
        });
        return rows.map((i) => ({
          userId: i.userId,
          chatId: i.chatId,
          role: i.person.role as Role,
          active: i.person.active,
          locale: i.person.locale === "en" ? "en" : "vi",
        }));
      }),
    queries: { personOverview: (account) => serialize(() => personOverview(db, clock.now(), account)) },
  };
}

function createCore(deps: {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Db;
  notifier: Notifier;
  platforms: readonly string[];
}): BotCore {
  const { config, db } = deps;
  return createBotCore({
    db,
    clock: deps.clock,
    notifier: deps.notifier,
    platforms: deps.platforms,
    logger: deps.logger,
    inviteTtlDays: config.inviteTtlDays,
    defaultLocale: config.defaultLocale,
    report: config.report,
    inviteLink: async (code) => inviteLinkFor(await telegramUsername(config, db), config.zalo?.botLink ?? null)(code),
  });
}

/** How often the outbox is looked at between the core's own kicks: pushes queued by another process. */
const OUTBOX_POLL_MS = 1000;

function flushOutbox(sender: OutboxSender, clock: Clock, logger: Logger): Promise<void> {
  return sender.sendDue(clock.now()).then(
    () => undefined,
    // A held write lock only delays the sends (the next flush or tick takes them); anything else is a fault.
    (error: unknown) =>
      isDatabaseBusy(error)
        ? logger.warn("outbox flush postponed: database busy")
        : logger.error({ err: error }, "outbox flush failed"),
  );
}

function keepingAlive(
  heartbeat: () => Promise<void>,
  flush: () => Promise<void>,
  logger: Logger,
): Pick<App, "keepBeating" | "keepSending"> {
  return {
    keepBeating() {
      const beating = setInterval(
        () => void heartbeat().catch((error: unknown) => logger.warn({ err: error }, "heartbeat failed")),
        HEARTBEAT_EVERY_MS,
      );
      return () => clearInterval(beating);
    },
    keepSending() {
      const polling = setInterval(() => void flush(), OUTBOX_POLL_MS);
      return () => clearInterval(polling);
    },
  };
}

/** How often SQLite's planner statistics are refreshed (SQLite suggests hourly or daily for a long-lived connection). */
const OPTIMIZE_EVERY_MS = 60 * 60_000;

/** How often a PostgreSQL process checks that its database answers. */
const REACHABILITY_EVERY_MS = 2_000;

/**
 * Whether the database answers, checked in the background on PostgreSQL (a server apart from the
 * process can go away; a SQLite file cannot). Transitions are logged once each.
 */
function createReachability(deps: { db: Db; logger: Logger; watch: boolean }) {
  let reachable = true;
  let checking = false;
  const timer = deps.watch
    ? setInterval(() => {
        if (checking) return;
        checking = true;
        deps.db
          .$queryRawUnsafe("SELECT 1")
          .then(
            () => {
              if (!reachable) deps.logger.info("database reachable again; taking updates");
              reachable = true;
            },
            (error: unknown) => {
              if (reachable) deps.logger.error({ err: error }, "database unreachable; refusing webhook updates");
              reachable = false;
            },
          )
          .finally(() => {
            checking = false;
          });
      }, REACHABILITY_EVERY_MS)
    : null;
  timer?.unref();
  return { reachable: () => reachable, stop: () => timer && clearInterval(timer) };
}

/** The bot's username for deep links: TELEGRAM_BOT_USERNAME, else what the bot last learnt from getMe. */
export async function telegramUsername(config: Config, db: Db): Promise<string | null> {
  if (config.telegram?.username) return config.telegram.username;
  return (await db.botSetting.findUnique({ where: { key: TELEGRAM_USERNAME_SETTING } }))?.value ?? null;
}

/**
 * Telegram deep links carry the code as the /start payload (at most 64 of A-Za-z0-9_-, so without
 * its dash). Zalo's bot link cannot carry it: the person opens the chat and sends the code, so it
 * is the link only where there is no Telegram one.
 */
export function inviteLinkFor(
  username: string | null | undefined,
  zaloLink: string | null = null,
): (code: string) => string | null {
  const name = username?.replace(/^@/, "");
  return (code) => (name ? `https://t.me/${name}?start=${code.replace(/-/g, "")}` : zaloLink);
}
