import { mkdirSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import type { Readable } from "node:stream";
import type { IncomingEvent, PlatformIdentity } from "../../src/model/bot-core.ts";
import type { Choice, OutgoingFile, OutgoingMessage } from "../../src/model/messages.ts";
import { commandEvent } from "../../src/core/commands.ts";

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
