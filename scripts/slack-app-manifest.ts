import { COMMANDS } from "../src/model/commands.ts";
import { messagesFor } from "../src/i18n/index.ts";
import { SLACK_EVENTS_PATH } from "../adapters/slack/receiver.ts";
import { SLASH_COMMAND } from "../adapters/slack/render.ts";

// The Slack app's manifest, built from the command registry so that a workspace admin creates the
// app in one step and a command added to the core is described here too. `npm run slack:manifest`
// writes adapters/slack/manifest.json; a test checks that file is up to date.

/** Where the checked-in manifest points; the admin puts the bot's public address in its place. */
export const PLACEHOLDER_BASE_URL = "https://nhacviec.example.gov.vn";

/** What the adapter calls: DMs (conversations.open, chat.postMessage), users' names, files both ways. */
export const BOT_SCOPES = [
  "commands",
  "chat:write",
  "im:write",
  "im:history",
  "users:read",
  "files:read",
  "files:write",
] as const;

export const BOT_EVENTS = ["app_home_opened", "message.im"] as const;

export function slackManifest(baseUrl: string = PLACEHOLDER_BASE_URL) {
  const t = messagesFor("vi");
  const m = t.slack.manifest;
  const requestUrl = `${baseUrl.replace(/\/+$/, "")}${SLACK_EVENTS_PATH}`;
  const listed = COMMANDS.filter((c) => c.menu !== false);
  const join = COMMANDS.find((c) => c.public);
  const usage = m.usage(SLASH_COMMAND) + (join ? m.join(SLASH_COMMAND, join.aliases[1] ?? join.aliases[0]) : "");
  const lines = listed.map((c) => m.command(c.name, c.aliases[0], t.bot.commands[c.name].description));
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: "Nhắc Việc",
      description: m.description,
      background_color: "#1d4f91",
      long_description: [m.about, "", usage, ...lines, "", m.example].join("\n"),
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: "Nhắc Việc", always_online: true },
      slash_commands: [
        {
          command: SLASH_COMMAND,
          url: requestUrl,
          description: m.slashDescription,
          usage_hint: m.slashHint(listed.map((c) => c.name).join(" | ")),
          should_escape: false,
        },
      ],
    },
    oauth_config: { scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      event_subscriptions: { request_url: requestUrl, bot_events: [...BOT_EVENTS] },
      interactivity: { is_enabled: true, request_url: requestUrl },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
}
