import { foldVietnamese } from "../domain/text.ts";
import { messagesFor, type Locale } from "../i18n/index.ts";
import type { IncomingAttachment, IncomingEvent, PlatformIdentity } from "../model/bot-core.ts";
import { COMMANDS, type Command, type CommandName, type MenuEntry } from "../model/commands.ts";
import type { Role } from "../model/roles.ts";

// Finding a typed command in the registry (model/commands.ts) and the menus built from it.

const BY_NAME = new Map<string, Command>(COMMANDS.flatMap((c) => [c.name, ...c.aliases].map((n) => [n, c] as const)));

/** A typed command as it is echoed back: folded, without the "/" or a "@botname" suffix (Telegram groups). */
export function commandKey(raw: string): string {
  return foldVietnamese(raw).replace(/^\//, "").replace(/@.*$/, "");
}

/** Phones drop diacritics and add capitals or spaces, so "/Trợ giúp" finds /trogiup. */
export function findCommand(raw: string): Command | undefined {
  return BY_NAME.get(commandKey(raw).replace(/\s+/g, ""));
}

/** The registry's entry for a name the compiler has checked. */
export function commandNamed(name: CommandName): Command {
  return BY_NAME.get(name)!;
}

/**
 * What a person typed as "/word args" as the core's event: the command the word names (an alias,
 * a spelling without diacritics), or an unknown command to be told so.
 */
export function commandEvent(
  from: PlatformIdentity,
  typed: string,
  args: string,
  attachment?: IncomingAttachment,
): Extract<IncomingEvent, { kind: "command" | "unknown_command" }> {
  const command = findCommand(typed);
  return command
    ? { kind: "command", from, command: command.name, args, ...(attachment && { attachment }) }
    : { kind: "unknown_command", from, typed };
}

// "/baocao" in the core's texts: a command as typed. Dates (10/12/2026), document numbers (123/BC)
// and links never match, since the slash must start a word.
const COMMAND_MENTION = /(^|[\s("'“‘])\/([A-Za-z]+)(?=$|[\s.,;:!?)"'”’])/g;

/** The commands the core's text mentions, spelt as a platform has them typed; other slashes stay. */
export function respellCommands(text: string, spell: (name: string) => string): string {
  return text.replace(COMMAND_MENTION, (whole, before: string, name: string) =>
    findCommand(name) ? `${before}${spell(name)}` : whole,
  );
}

/** The commands a role is shown, in registry order. */
export function commandsForRole(role: Role): Command[] {
  return COMMANDS.filter((c) => c.menu !== false && c.roles.includes(role));
}

/** A platform command menu: Vietnamese names for Vietnamese, the English alias for English; both dispatch. */
export function commandMenu(role: Role, locale: Locale): MenuEntry[] {
  const t = messagesFor(locale);
  return commandsForRole(role).map((c) => ({
    command: locale === "en" ? c.aliases[0] : c.name,
    description: t.bot.commands[c.name].description,
  }));
}
