import type { AutoRetryOptions } from "@grammyjs/auto-retry";
import type { RunnerHandle } from "@grammyjs/runner";
import { HttpError, type Bot, type Transformer } from "grammy";
import type { User, UserFromGetMe } from "grammy/types";
import type { Config } from "../../src/config.ts";
import type { AdapterHost } from "../../src/delivery/adapter-host.ts";
import type { AdapterStore } from "../../src/delivery/adapter-store.ts";
import type { AdapterState, Pace } from "../../src/delivery/types.ts";
import { messagesFor, type Locale, type Messages } from "../../src/i18n/index.ts";
import type { Logger } from "../../src/lib/logger.ts";
import type { Dedup } from "../kit/dedup.ts";
import type { InFlight } from "../kit/in-flight.ts";
import { isGrammyError, loggable } from "./errors.ts";
import type { MenuSync } from "./menus.ts";

// What the Telegram adapter's parts share: its settings, its grammY bot, and what changes while it
// runs. The factory in telegram-adapter.ts builds it; each concern's file works on it.

export type TelegramSettings = NonNullable<Config["telegram"]>;

// Not channel posts: a channel is nobody's chat with the bot, and an answer there would be read by
// every subscriber.
export const ALLOWED_UPDATES = ["message", "callback_query"] as const;
/** A long poll lasts 30 s; a call that takes longer than this has failed. */
export const API_TIMEOUT_SECONDS = 75;

export interface TelegramAdapterDeps {
  host: AdapterHost;
  settings: TelegramSettings;
  pace: Pace;
  /** Language of short answers to people whose Telegram app is neither Vietnamese nor English. */
  defaultLocale: Locale;
  /** Known bot info, so no getMe is needed (tests). */
  botInfo?: UserFromGetMe;
  /** Installed on every Bot API call, replies and pushes alike (tests capture calls with one). */
  transformers?: readonly Transformer[];
  /** How long a menu may lag behind a deactivation made elsewhere (the CLI, another platform). */
  menuSyncEveryMs?: number;
  /** How long to wait before trying Telegram again after the n-th failed start (from 0). */
  reconnectDelayMs?: (attempt: number) => number;
  replyRetry?: Partial<AutoRetryOptions>;
}

/** The adapter's parts and what changes while it runs, shared by the functions of this folder. */
export interface Telegram {
  deps: TelegramAdapterDeps;
  host: AdapterHost;
  settings: TelegramSettings;
  logger: Logger;
  store: AdapterStore;
  apiRoot: string;
  bot: Bot;
  menus: MenuSync;
  inFlight: InFlight;
  dedup: Dedup;
  state: AdapterState;
  /** Why the adapter is `failed`, as Telegram said it (for /healthz). */
  reason: string | null;
  runner: RunnerHandle | null;
  /** Aborted on stop: gives up the polling lead, or the wait for it. */
  leading: AbortController | null;
  retryTimer: NodeJS.Timeout | null;
  menuTimer: NodeJS.Timeout | null;
  attempts: number;
}

/** Calls whose failure changes nothing for the person (answering a press, removing a keyboard). */
export async function quietly(t: Telegram, what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    t.logger.debug({ err: loggable(error) }, `telegram ${what} failed`);
  }
}

export function textsFor(t: Telegram, user: User | undefined): Messages {
  const language = user?.language_code;
  return messagesFor(language === "en" || language === "vi" ? language : t.deps.defaultLocale);
}

/** Marks the adapter failed, keeping Telegram's reason (never the URL: it holds the token). */
export function fail(t: Telegram, error: unknown): void {
  t.state = "failed";
  if (isGrammyError(error)) t.reason = `${error.method}: ${error.description}`;
  else t.reason = error instanceof HttpError ? error.message : "unexpected error (see the log)";
}

export const halted = (t: Telegram) => t.state === "stopping" || t.state === "stopped";
