// The Slack app's manifest is generated from the command registry (npm run slack:manifest) and
// checked in; this keeps the file in step with the registry and within Slack's schema limits.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOT_EVENTS, BOT_SCOPES, slackManifest } from "../../../scripts/slack-app-manifest.ts";
import { COMMANDS } from "../../../src/model/commands.ts";
import { root } from "../../helpers/processes.ts";

const file = JSON.parse(readFileSync(join(root, "adapters/slack/manifest.json"), "utf8")) as ReturnType<
  typeof slackManifest
>;

describe("adapters/slack/manifest.json", () => {
  it("is what the generator makes from the command registry (run npm run slack:manifest after changing it)", () => {
    expect(file).toEqual(slackManifest());
  });

  it("declares the one slash command, interactivity, App Home with its Messages tab, the events and scopes", () => {
    const [command, ...others] = file.features.slash_commands;
    expect(others).toEqual([]);
    expect(command).toMatchObject({ command: "/nhacviec", url: expect.stringMatching(/\/slack\/events$/) });
    expect(file.settings.interactivity).toEqual({ is_enabled: true, request_url: command!.url });
    expect(file.settings.event_subscriptions.request_url).toBe(command!.url);
    expect(file.settings.event_subscriptions.bot_events).toEqual(["app_home_opened", "message.im"]);
    expect(file.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
    for (const scope of [
      "commands",
      "chat:write",
      "im:write",
      "im:history",
      "users:read",
      "files:read",
      "files:write",
    ]) {
      expect(file.oauth_config.scopes.bot).toContain(scope);
    }
    expect(file.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(file.settings.event_subscriptions.bot_events).toEqual([...BOT_EVENTS]);
  });

  it("lists every command people are shown, with its English alias", () => {
    for (const c of COMMANDS.filter((c) => c.menu !== false)) {
      expect(file.features.slash_commands[0]!.usage_hint).toContain(c.name);
      expect(file.display_information.long_description).toContain(`${c.name} (${c.aliases[0]})`);
    }
  });

  it("keeps within the limits of Slack's manifest schema", () => {
    const { name, description, long_description } = file.display_information;
    expect(name.length).toBeLessThanOrEqual(35);
    expect(description.length).toBeLessThanOrEqual(140);
    expect(long_description.length).toBeGreaterThanOrEqual(175);
    expect(long_description.length).toBeLessThanOrEqual(4000);
    expect(file.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
    const command = file.features.slash_commands[0]!;
    expect(command.command.length).toBeLessThanOrEqual(32);
    expect(command.description.length).toBeLessThanOrEqual(2000);
    expect(command.usage_hint.length).toBeLessThanOrEqual(1000);
  });

  it("points at the bot's own address when one is given", () => {
    const real = slackManifest("https://bot.example.gov.vn/");
    expect(real.features.slash_commands[0]!.url).toBe("https://bot.example.gov.vn/slack/events");
    expect(real.settings.interactivity.request_url).toBe("https://bot.example.gov.vn/slack/events");
  });
});
