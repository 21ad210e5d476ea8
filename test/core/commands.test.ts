import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandEvent, commandMenu, commandsForRole, findCommand } from "../../src/core/commands.ts";
import { COMMANDS, type Command } from "../../src/model/commands.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import { en } from "../../src/i18n/en.ts";
import { vi } from "../../src/i18n/vi.ts";
import type { Role } from "../../src/model/roles.ts";
import { createTestBot, makeAdmin, texts, type TestBot } from "../helpers/bot.ts";
import { CODE_PATTERN } from "../helpers/bot-steps.ts";

// Telegram's rule for bot commands; Slack slash commands accept the same.
const TELEGRAM_COMMAND = /^[a-z0-9_]{1,32}$/;
const ROLES: Role[] = ["contact", "coordinator", "admin"];
const namesOf = (c: Command) => [c.name, ...c.aliases];

describe("the command registry", () => {
  it("has only names and aliases Telegram accepts", () => {
    const all = COMMANDS.flatMap(namesOf);
    expect(all.length).toBeGreaterThan(COMMANDS.length);
    for (const name of all) expect(name, name).toMatch(TELEGRAM_COMMAND);
  });

  it("never gives two commands the same name or alias", () => {
    const all = COMMANDS.flatMap(namesOf);
    expect(all.filter((n, i) => all.indexOf(n) !== i)).toEqual([]);
  });

  it("finds a command the way people type it", () => {
    expect(findCommand("/Trợ Giúp@NhacViecBot")?.name).toBe("trogiup");
    expect(findCommand("HELP")?.name).toBe("trogiup");
    expect(findCommand("Nhiệm vụ")?.name).toBe("nhiemvu");
    expect(findCommand("lang")?.name).toBe("ngonngu");
    expect(findCommand("/start@NhacViecBot")?.name).toBe("batdau");
    expect(findCommand("thamgia")?.name).toBe("batdau");
    expect(findCommand("tongquan2")).toBeUndefined();
  });

  for (const [locale, t] of [
    ["vi", vi],
    ["en", en],
  ] as const) {
    it(`has a ${locale} description and help line for every command, and nothing else`, () => {
      expect(Object.keys(t.bot.commands).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
      for (const c of COMMANDS) {
        const { description, usage } = t.bot.commands[c.name];
        expect(description.trim(), c.name).not.toBe("");
        // Telegram allows 256; menus read better when one line fits a phone.
        expect(description.length, c.name).toBeLessThanOrEqual(60);
        expect(description, c.name).not.toMatch(/^\/|\n/);
        // The help line leads with what the reader types: the name in Vietnamese, the English alias in English.
        const lead = locale === "vi" ? `/${c.name}` : `/${c.aliases[0]} (/${c.name})`;
        expect(usage, c.name).toMatch(new RegExp(`^${lead.replace(/[()/]/g, "\\$&")}[ :]`));
        expect(usage.length, c.name).toBeGreaterThan(lead.length + 3);
      }
    });
  }
});

describe("command menus", () => {
  it("give contacts their commands and not the coordinators'", () => {
    const menu = commandMenu("contact", "vi").map((e) => e.command);
    expect(menu).toContain("nhiemvu");
    expect(menu).toContain("trogiup");
    expect(menu).not.toContain("tongquan");
  });

  it("give coordinators and administrators theirs and not the contacts'", () => {
    for (const role of ["coordinator", "admin"] as const) {
      const menu = commandMenu(role, "vi").map((e) => e.command);
      expect(menu).toContain("tongquan");
      expect(menu).not.toContain("nhiemvu");
    }
  });

  it("list exactly the registry's commands for each role, in its order, without the way in", () => {
    for (const role of ROLES) {
      const expected = COMMANDS.filter((c) => c.roles.includes(role) && c.menu !== false).map((c) => c.name);
      expect(commandMenu(role, "vi").map((e) => e.command)).toEqual(expected);
      expect(commandsForRole(role).map((c) => c.name)).toEqual(expected);
      expect(expected).not.toContain("batdau");
    }
  });

  it("use the English alias and wording in English, the Vietnamese name and wording in Vietnamese", () => {
    const viMenu = commandMenu("contact", "vi");
    const enMenu = commandMenu("contact", "en");
    expect(viMenu).toContainEqual({ command: "nhiemvu", description: vi.bot.commands.nhiemvu.description });
    expect(enMenu).toContainEqual({ command: "duties", description: en.bot.commands.nhiemvu.description });
    expect(enMenu).toContainEqual({ command: "language", description: en.bot.commands.ngonngu.description });
    expect(enMenu.map((e) => e.command)).not.toContain("nhiemvu");
    for (const entry of [...viMenu, ...enMenu]) expect(entry.command).toMatch(TELEGRAM_COMMAND);
  });
});

describe("every alias dispatches like the Vietnamese name", () => {
  let bot: TestBot;
  const userFor: Record<Role, string> = { contact: "bhxh", coordinator: "coord", admin: "admin" };
  beforeAll(async () => {
    bot = await createTestBot();
    // IV.4 reports figures, so /chitieu answers a contact there rather than refusing.
    await bot.join("bhxh", "IV.4");
    await bot.join("coord", null);
    await makeAdmin(bot, "admin");
  });
  afterAll(async () => bot.db.$disconnect());

  // Link codes are fresh each time; everything else in a reply must match.
  const masked = (replies: OutgoingMessage[]) =>
    replies.map((r) => ({ ...r, text: r.text.replace(new RegExp(CODE_PATTERN, "g"), "CODE") }));

  /** The reply to a bare "/name", starting from no flow so one command's flow does not colour the next. */
  async function replyTo(user: string, name: string) {
    await bot.send(user, "/huy");
    return masked(await bot.send(user, `/${name}`));
  }

  it.each(COMMANDS.map((c) => [c.name, c] as const))("/%s", async (name, command) => {
    const user = userFor[command.roles[0]!];
    const byName = await replyTo(user, name);
    expect(texts(byName)).not.toMatch(/Không có lệnh|không dành cho vai trò/);
    for (const alias of command.aliases) expect(await replyTo(user, alias), alias).toEqual(byName);
  });

  it("lets someone join with every name of the way in", async () => {
    const welcomes: string[] = [];
    for (const name of namesOf(findCommand("batdau")!)) {
      const code = await bot.inviteCode("IV.2");
      const from = { ...bot.identity(`guest-${name}`), displayName: "Lan" };
      welcomes.push(texts(await bot.core.handle(commandEvent(from, name, code))));
    }
    expect(welcomes[0]).toContain("Chào Lan! Anh/Chị đã tham gia Nhắc Việc với vai trò đầu mối");
    expect(new Set(welcomes).size).toBe(1);
  });
});
