import type { Role } from "./roles.ts";

// The one list of chat commands. The core dispatches from it and builds /trogiup from it; adapters publish it
// (Telegram's per-role menus, the Slack manifest), so a command added here shows up everywhere at once.
// Wording lives in the catalogues under bot.commands, keyed by the Vietnamese name; finding a typed
// command and building a menu is the core's (core/commands.ts).

interface CommandSpec<Name extends string = string> {
  /** Vietnamese, without diacritics: what /trogiup and Vietnamese menus show. */
  readonly name: Name;
  /** English first: English menus show aliases[0]. Every alias dispatches like the name. */
  readonly aliases: readonly [string, ...string[]];
  /** Who may run it once joined, and whose help and menus list it. */
  readonly roles: readonly Role[];
  /** Runs for anyone, joined or not: the way in has to work before joining. */
  readonly public?: boolean;
  /** false keeps it out of help and menus (it still dispatches). */
  readonly menu?: boolean;
  /** Answers with a file that takes a moment to make: platforms show a sign of work meanwhile. */
  readonly produces?: "photo" | "document";
}

const CONTACT = ["contact"] as const;
const COORDINATOR = ["coordinator", "admin"] as const;
const EVERYONE = ["contact", "coordinator", "admin"] as const;

// Order is the order of /trogiup and of the menus.
const REGISTRY = [
  // Joined people never need it, and Telegram shows its own Start button to everyone else.
  { name: "batdau", aliases: ["start", "join", "thamgia"], roles: EVERYONE, public: true, menu: false },
  { name: "nhiemvu", aliases: ["duties"], roles: CONTACT },
  { name: "baocao", aliases: ["report"], roles: CONTACT },
  { name: "nopbaocao", aliases: ["submit"], roles: CONTACT },
  { name: "vuongmac", aliases: ["issue"], roles: CONTACT },
  { name: "chitieu", aliases: ["figures"], roles: EVERYONE },
  { name: "kehoach", aliases: ["plan"], roles: EVERYONE },
  { name: "theodoi", aliases: ["follow"], roles: COORDINATOR },
  { name: "tongquan", aliases: ["status"], roles: COORDINATOR },
  { name: "quahan", aliases: ["overdue"], roles: COORDINATOR },
  { name: "nhac", aliases: ["remind"], roles: COORDINATOR },
  { name: "moi", aliases: ["invite"], roles: COORDINATOR },
  { name: "daumoi", aliases: ["contacts"], roles: COORDINATOR },
  { name: "khoa", aliases: ["deactivate"], roles: COORDINATOR },
  { name: "thuhoi", aliases: ["revoke"], roles: COORDINATOR },
  { name: "dsvuongmac", aliases: ["issues"], roles: COORDINATOR },
  { name: "giaiquyet", aliases: ["resolve"], roles: COORDINATOR },
  { name: "molai", aliases: ["reopen"], roles: COORDINATOR },
  { name: "tamdung", aliases: ["pause"], roles: COORDINATOR },
  { name: "tieptuc", aliases: ["resume"], roles: COORDINATOR },
  { name: "xuat", aliases: ["export"], roles: EVERYONE, produces: "document" },
  { name: "baocaotonghop", aliases: ["summary"], roles: EVERYONE, produces: "document" },
  { name: "bieudo", aliases: ["chart"], roles: EVERYONE, produces: "photo" },
  { name: "tailieu", aliases: ["document"], roles: COORDINATOR, produces: "document" },
  { name: "ngonngu", aliases: ["language", "lang"], roles: EVERYONE },
  { name: "lienket", aliases: ["link"], roles: EVERYONE },
  { name: "huy", aliases: ["cancel"], roles: EVERYONE },
  { name: "trogiup", aliases: ["help"], roles: EVERYONE },
] as const satisfies readonly CommandSpec[];

export type CommandName = (typeof REGISTRY)[number]["name"];
export type Command = CommandSpec<CommandName>;

/** A command's wording in one catalogue. */
export interface CommandText {
  /** One short line for platform menus (Telegram allows 256 characters; we keep to 60), no leading "/". */
  description: string;
  /** The /trogiup line: the command as typed, its arguments, what it does. */
  usage: string;
  /** The line an agency contact sees instead, without the options only coordinators may use. */
  contactUsage?: string;
}

export interface MenuEntry {
  command: string;
  description: string;
}

export const COMMANDS: readonly Command[] = REGISTRY;
