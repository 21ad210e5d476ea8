import type { Readable } from "node:stream";
import type { App } from "../app.ts";
import type { Clock } from "../lib/clock.ts";
import type { Config } from "../config.ts";
import type { PlatformIdentity } from "../model/bot-core.ts";
import type { Messages } from "../i18n/index.ts";
import type { Logger } from "../lib/logger.ts";

// What every subject module of the CLI shares: how a command is declared, what it runs with, and
// how it answers. A subject declares its commands; index.ts parses, dispatches and writes usage.

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin?: Readable;
}

/** A failure the user caused: one clear line on stderr, exit 1, nothing written. */
export class CliError extends Error {}

export type Options = Record<string, string | boolean | undefined>;

export interface CliContext {
  config: Config;
  clock: Clock;
  logger: Logger;
  io: CliIo;
  json: boolean;
  /** The application, created on first use: commands that fail early never open the database. */
  app(): Promise<App>;
  /** Chats on the terminal as `identity` until the input ends (the console adapter's loop). */
  chat(identity: PlatformIdentity): Promise<void>;
}

export interface CliCommand {
  /** The words that select it: "plan parse", "status". */
  readonly name: string;
  /** What follows the name in the usage, one line per form; options and placeholders read alike in every language. */
  readonly forms: readonly string[];
  /** The catalogue's one-line summary, shown beside the first form. */
  readonly summary?: keyof Messages["cli"]["summaries"];
  run(ctx: CliContext, args: string[], options: Options): Promise<void>;
}

/** The human line, or with --json exactly one JSON value. */
export function print(ctx: CliContext, value: unknown, text: string): void {
  ctx.io.stdout(ctx.json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

/** The plan code of --plan, when given. */
export function planOption(options: Options): string | undefined {
  return typeof options.plan === "string" ? options.plan : undefined;
}
