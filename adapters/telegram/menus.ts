import type { Api } from "grammy";
import type { BotCommand, BotCommandScope } from "grammy/types";
import { commandMenu } from "../../src/core/commands.ts";
import type { AdapterHost } from "../../src/delivery/adapter-host.ts";
import type { Locale } from "../../src/i18n/index.ts";
import type { Logger } from "../../src/lib/logger.ts";
import type { Role } from "../../src/model/roles.ts";
import type { InFlight } from "../kit/in-flight.ts";
import { isGrammyError, loggable } from "./errors.ts";
import { TELEGRAM_PLATFORM } from "./updates.ts";

// Telegram's "/" menu, built from the command registry. Everyone sees the contacts' commands (the
// default scope); each coordinator's and administrator's private chat gets its role's own, in the
// person's language, and loses it when the person is deactivated. Telegram users whose app is in
// English get English names and descriptions wherever no closer menu applies.

/** What was set on each chat, so a sync only calls Telegram for what changed: chat id → "role:locale". */
export const MENUS_SETTING = "telegram.menus";

const STAFF: readonly Role[] = ["coordinator", "admin"];

function commands(role: Role, locale: Locale): BotCommand[] {
  return commandMenu(role, locale).map((e) => ({ command: e.command, description: e.description }));
}

export interface MenuSync {
  /** The default menus: contacts' commands, in Vietnamese and for English-language apps. */
  publishDefault(): Promise<void>;
  /** Brings every staff chat's menu in line with the person's role now; concurrent calls share one run. */
  sync(): Promise<void>;
}

export function createMenuSync(deps: { api: Api; host: AdapterHost }): MenuSync {
  const { host } = deps;
  let running: Promise<void> | null = null;
  let again = false;

  async function setChat(chatId: string, role: Role, locale: Locale): Promise<void> {
    const scope: BotCommandScope = { type: "chat", chat_id: chatId };
    await deps.api.setMyCommands(commands(role, locale), { scope });
    await deps.api.setMyCommands(commands(role, "en"), { scope, language_code: "en" });
  }

  async function clearChat(chatId: string): Promise<void> {
    const scope: BotCommandScope = { type: "chat", chat_id: chatId };
    await deps.api.deleteMyCommands({ scope });
    await deps.api.deleteMyCommands({ scope, language_code: "en" });
  }

  async function syncOnce(): Promise<void> {
    const stored = await host.store.getSetting(MENUS_SETTING);
    const have = stored ? (JSON.parse(stored) as Record<string, string>) : {};
    const want = new Map<string, { role: Role; locale: Locale }>();
    // A deactivated person's chat falls back to the default menu; so does an account that joined
    // again as a contact, since it is no longer among the staff.
    for (const account of await host.accounts(TELEGRAM_PLATFORM, STAFF)) {
      if (account.active) want.set(account.chatId, { role: account.role, locale: account.locale });
    }
    const next: Record<string, string> = { ...have };
    let changed = false;
    const apply = async (chatId: string, work: () => Promise<void>, value: string | null) => {
      try {
        await work();
      } catch (error) {
        // A chat that no longer exists needs no menu; anything else is tried again next time.
        if (!isGrammyError(error, 400) && !isGrammyError(error, 403)) {
          host.logger.warn({ err: error, chatId }, "telegram menu not updated");
          return;
        }
        value = null;
      }
      if (value === null) delete next[chatId];
      else next[chatId] = value;
      changed = true;
    };
    for (const [chatId, { role, locale }] of want) {
      const value = `${role}:${locale}`;
      if (have[chatId] !== value) await apply(chatId, () => setChat(chatId, role, locale), value);
    }
    for (const chatId of Object.keys(have)) {
      if (!want.has(chatId)) await apply(chatId, () => clearChat(chatId), null);
    }
    if (changed) await host.store.setSetting(MENUS_SETTING, JSON.stringify(next));
  }

  return {
    async publishDefault() {
      await deps.api.setMyCommands(commands("contact", "vi"), { scope: { type: "default" } });
      await deps.api.setMyCommands(commands("contact", "en"), { scope: { type: "default" }, language_code: "en" });
    },
    sync() {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          await syncOnce();
        } while (again);
      })().finally(() => {
        running = null;
      });
      return running;
    },
  };
}

/** A sync in the background (joining, a deactivation or a new role came by): counted in flight, a failure only logged. */
export function requestMenuSync(menus: MenuSync, inFlight: InFlight, logger: Logger): void {
  void inFlight
    .track(menus.sync())
    .catch((error: unknown) => logger.warn({ err: loggable(error) }, "telegram menus not synced"));
}

/** The default menus, then the staff's: once connected. A failure leaves the menus as they were. */
export async function publishMenus(menus: MenuSync, logger: Logger): Promise<void> {
  try {
    await menus.publishDefault();
    await menus.sync();
  } catch (error) {
    logger.warn({ err: loggable(error) }, "telegram menus not published");
  }
}
