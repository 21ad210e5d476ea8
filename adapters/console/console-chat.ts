import { mkdirSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { BotCore, IncomingEvent, PlatformIdentity } from "../../src/model/bot-core.ts";
import type { Choice, OutgoingFile, OutgoingMessage } from "../../src/model/messages.ts";
import { splitMessages } from "../../src/delivery/split-message.ts";
import { commandEvent } from "../../src/core/commands.ts";
import { UNLIMITED } from "../../src/delivery/types.ts";

export interface ConsoleChatDeps {
  core: BotCore;
  identity: PlatformIdentity;
  input: Readable;
  write: (text: string) => void;
  /** Runs after each message, e.g. to deliver what the message queued for other people. */
  afterEach?: () => Promise<void>;
  /** Where files the bot sends are written; CONSOLE_FILES_DIR unless a test says otherwise. */
  filesDir?: string;
  /** Written whenever the chat waits for a line: for a person at a terminal, not for piped input. */
  prompt?: string;
}

/** What a terminal shows while the chat waits for the person. */
export const CONSOLE_PROMPT = "› ";

/** The prompt for this input: only a terminal gets one, so piped sessions' output stays replies alone. */
export function promptFor(input: Readable): string | undefined {
  return (input as Readable & { isTTY?: boolean }).isTTY ? CONSOLE_PROMPT : undefined;
}

/** A terminal cannot show a spreadsheet or a chart: files are written here, beside the database's default folder. */
export const CONSOLE_FILES_DIR = join("data", "xuat");

/**
 * Writes a file the bot sent and returns its path. An earlier file of the same name (today's
 * export, made twice) is kept: the new one gets "-2", "-3"… before its extension.
 */
export function saveConsoleFile(file: OutgoingFile, dir = CONSOLE_FILES_DIR): string {
  mkdirSync(dir, { recursive: true });
  // The name is the bot's own, but a path inside it must not lead out of the folder.
  const name = basename(file.name);
  const stem = name.slice(0, name.length - extname(name).length);
  for (let n = 1; ; n++) {
    const path = join(dir, n === 1 ? name : `${stem}-${n}${extname(name)}`);
    try {
      writeFileSync(path, file.content, { flag: "wx" });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** The message as printed, with the path its file was written to (or why it could not be). */
export function renderWithFile(message: OutgoingMessage, dir?: string): { text: string; choices: Choice[] } {
  const rendered = renderMessage(message);
  if (!message.file) return rendered;
  let where: string;
  try {
    where = `→ ${saveConsoleFile(message.file, dir)}`;
  } catch (error) {
    where = `→ ✗ ${message.file.name}: ${(error as Error).message}`;
  }
  return { ...rendered, text: `${rendered.text}${where}\n` };
}

export function renderMessage(message: OutgoingMessage): { text: string; choices: Choice[] } {
  const choices = (message.choices ?? []).flat();
  const lines = [message.text, ...choices.map((c, i) => `  ${i + 1}) ${c.label}`)];
  return { text: `${lines.join("\n")}\n`, choices };
}

/** Turns one typed line into an event: a number picks the k-th offered choice, "/x args" is a command. */
export function toEvent(line: string, identity: PlatformIdentity, offered: readonly Choice[]): IncomingEvent | null {
  const text = line.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) {
    const picked = offered[Number(text) - 1];
    if (picked) return { kind: "choice", from: identity, value: picked.value };
  }
  if (text.startsWith("/")) {
    const space = text.search(/\s/);
    const command = (space === -1 ? text : text.slice(0, space)).slice(1);
    const args = space === -1 ? "" : text.slice(space + 1);
    return commandEvent(identity, command, args);
  }
  return { kind: "text", from: identity, text };
}

/** One message per input line, replies on stdout; works interactively and piped, ends with the input. */
export async function runConsoleChat(deps: ConsoleChatDeps): Promise<void> {
  const rl = createInterface({ input: deps.input, crlfDelay: Infinity, terminal: false });
  let offered: Choice[] = [];
  if (deps.prompt) deps.write(deps.prompt);
  for await (const line of rl) {
    const event = toEvent(line, deps.identity, offered);
    if (!event) continue;
    const replies = await deps.core.handle(event);
    offered = [];
    for (const reply of splitMessages(replies, UNLIMITED.maxMessageLength)) {
      const rendered = renderWithFile(reply, deps.filesDir);
      deps.write(`${rendered.text}\n`);
      if (rendered.choices.length) offered = rendered.choices;
    }
    await deps.afterEach?.();
    if (deps.prompt) deps.write(deps.prompt);
  }
}
