import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { promptFor } from "../../adapters/console/console-chat.ts";
import { createConsoleSession } from "../../adapters/console/console-adapter.ts";
import type { DeliveryChannel } from "../delivery/types.ts";
import { createApp, type App } from "../app.ts";
import { createOffsetClock, systemClock, type Clock } from "../lib/clock.ts";
import { ConfigError, loadConfig, type Config } from "../config.ts";
import { databaseFault } from "../db/db-errors.ts";
import { isAppError } from "../model/errors.ts";
import { errorText, databaseFaultText } from "../i18n/error-text.ts";
import type { Messages } from "../i18n/index.ts";
import { vi as m } from "../i18n/vi.ts";
import { createLogger, type Logger } from "../lib/logger.ts";
import { parseIsoInstant } from "../lib/time.ts";
import { agencyCommands } from "./agencies.ts";
import { calendarCommands } from "./calendar.ts";
import { chatCommands } from "./chat.ts";
import { CliError, type CliCommand, type CliContext, type CliIo } from "./command.ts";
import { contactCommands } from "./contacts.ts";
import { dbCommands } from "./db.ts";
import { exportCommands } from "./export.ts";
import { inviteCommands } from "./invite.ts";
import { planCommands } from "./plan.ts";
import { reminderCommands } from "./reminders.ts";
import { statusCommands } from "./status.ts";

// The admin CLI: parses the command line, finds the command a subject module declares, gives it
// the application and the terminal, and turns what went wrong into one line. This is the CLI's
// only file that imports adapters/ (the console, for `chat` and for pushes to console accounts).

export type { CliIo };

/** In the order of the usage. */
const COMMANDS: readonly CliCommand[] = [
  ...planCommands,
  ...agencyCommands,
  ...inviteCommands,
  ...contactCommands,
  ...statusCommands,
  ...exportCommands,
  ...chatCommands,
  ...reminderCommands,
  ...calendarCommands,
  ...dbCommands,
];

const OPTIONS = {
  json: { type: "boolean" },
  group: { type: "string" },
  agency: { type: "string" },
  plan: { type: "string" },
  code: { type: "string" },
  "create-agencies": { type: "boolean" },
  role: { type: "string" },
  xlsx: { type: "string" },
  set: { type: "string" },
  reset: { type: "boolean" },
  user: { type: "string" },
  name: { type: "string" },
  now: { type: "string" },
  format: { type: "string" },
  out: { type: "string" },
  since: { type: "string" },
  to: { type: "string" },
  issuer: { type: "string" },
  "issuer-parent": { type: "string" },
  symbol: { type: "string" },
  place: { type: "string" },
  signer: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Where a form's summary starts, so the summaries line up. */
const SUMMARY_COLUMN = 39;

/** The usage in one language, from the commands' own declarations. */
export function usage(t: Messages): string {
  const lines = COMMANDS.flatMap((c) =>
    c.forms.map((form, i) => {
      const line = `  ${c.name} ${form}`;
      return i === 0 && c.summary ? `${line.padEnd(SUMMARY_COLUMN)}${t.cli.summaries[c.summary]}` : line;
    }),
  );
  return [t.cli.usageHeader, ...lines].join("\n");
}

/** "plan parse FILE" names "plan parse"; "status" names itself. */
function findCommand(positionals: readonly string[]): { command: CliCommand; args: string[] } | null {
  const two = positionals.slice(0, 2).join(" ");
  const command = COMMANDS.find((c) => c.name === two) ?? COMMANDS.find((c) => c.name === positionals[0]);
  return command ? { command, args: positionals.slice(command.name.split(" ").length) } : null;
}

function contextFor(
  config: Config,
  logger: Logger,
  io: CliIo,
  clock: Clock,
  json: boolean,
): CliContext & { close(): Promise<void> } {
  let app: App | undefined;
  // The CLI runs no platform: pushes wait for the bot process that runs theirs, and a console
  // account's for that person's own `cli chat`, which is the one channel a CLI process opens.
  const open = async (channels: readonly DeliveryChannel[] = []) => {
    app ??= await createApp({ config, logger, clock, channels });
    return app;
  };
  return {
    config,
    clock,
    logger,
    io,
    json,
    app: open,
    async chat(identity) {
      const input = io.stdin ?? process.stdin;
      const session = createConsoleSession({ identity, write: (t) => io.stdout(t), prompt: promptFor(input) });
      const chatApp = await open([session.adapter]);
      await session.adapter.start();
      // While the chat is open, pushes queued by other processes reach it, and they see it alive. A
      // database busy now only delays the first beat: the chat itself says what it could not record.
      await chatApp.heartbeat().catch((error: unknown) => logger.warn({ err: error }, "heartbeat failed"));
      const stopBeating = chatApp.keepBeating();
      const stopSending = chatApp.keepSending();
      try {
        // Each line's notifications go out before the next line is read, and before the chat ends:
        // the kick the core gives the sender runs beside the chat and would be cut short by the exit.
        await session.run({ core: chatApp.core, input, afterEach: () => chatApp.flush() });
      } finally {
        stopSending();
        stopBeating();
        await session.adapter.stop();
      }
    },
    close: async () => app?.close(),
  };
}

/** One line on stderr for whatever the command threw, and the exit code. */
function reportFailure(error: unknown, ctx: CliContext): number {
  const { io, logger } = ctx;
  if (error instanceof CliError) {
    io.stderr(`${error.message}\n`);
    return 1;
  }
  if (isAppError(error)) {
    io.stderr(`${errorText(m, error, "cli")}\n`);
    return 1;
  }
  const fault = databaseFault(error);
  if (fault) {
    // The operator gets one line saying what to do; the detail is there with LOG_LEVEL=debug.
    logger.debug({ err: error }, "command failed");
    io.stderr(`${databaseFaultText(m, fault, ctx.config.databaseUrl)}\n`);
    return 1;
  }
  logger.error({ err: error }, "command failed");
  io.stderr(`${m.cli.failed((error as Error).message)}\n`);
  return 1;
}

export async function runCli(
  argv: string[],
  io: CliIo,
  env?: NodeJS.ProcessEnv,
  clock: Clock = systemClock,
): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${m.cli.configInvalid(error.message)}\n`);
    return 1;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`${m.cli.badOption((error as Error).message)}\n`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (values.help || positionals.length === 0 || positionals[0] === "help") {
    io.stdout(`${usage(m)}\n`);
    return 0;
  }
  const found = findCommand(positionals);
  if (!found) {
    io.stderr(`${m.cli.unknownCommand(positionals.slice(0, 2).join(" "))}\n`);
    return 2;
  }
  // --now on any command runs it as if it were that moment (catching up, rehearsing a day).
  const start = values.now === undefined ? null : parseIsoInstant(values.now);
  if (values.now !== undefined && !start) {
    io.stderr(`${m.cli.badNow}\n`);
    return 1;
  }
  const logger = createLogger(config.logLevel ?? "warn");
  const ctx = contextFor(config, logger, io, start ? createOffsetClock(start, clock) : clock, values.json === true);
  try {
    await found.command.run(ctx, found.args, values);
    return 0;
  } catch (error) {
    return reportFailure(error, ctx);
  } finally {
    // The command's work is done (or refused) by now: a database busy at the very end (freeing this
    // process's claims) is the log's business, not a crash with a stack trace on the terminal.
    await ctx.close().catch((error: unknown) => logger.warn({ err: error }, "closing the database failed"));
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  // `cli status | head` closes the pipe early: that is the reader's choice, not a crash.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdin: process.stdin,
  }).catch((error: unknown) => {
    // Whatever still escapes is one line too, never Node's stack trace.
    process.stderr.write(`${m.cli.failed(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  });
}
