import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { IncomingAttachment } from "../../../../src/model/bot-core.ts";
import { createDedup, type Dedup } from "../../../kit/dedup.ts";
import type { SlackFile } from "../../modals.ts";
import { decodeSlackText } from "../../render.ts";
import { post, SLACK_PLATFORM } from "../../sending.ts";
import {
  download,
  groupIdentity,
  handle,
  identity,
  postEphemeral,
  publishHome,
  type SlackSurface,
} from "../../surface.ts";

interface MessageFields {
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  channel: string;
  channel_type?: string;
  files?: SlackFile[];
}

/**
 * Slack sends an event again (x-slack-retry-num) when its 200 came late or not at all; the event id
 * is remembered in the database, so a retry, even to another process, is handled once.
 */
function firstDeliveryOnly(events: Dedup) {
  return async ({ body, next }: SlackEventMiddlewareArgs & AllMiddlewareArgs) => {
    const id = (body as { event_id?: string }).event_id;
    if (id && !(await events.first(id, { eventId: id }))) return;
    await next();
  };
}

export function register(app: App, s: SlackSurface): void {
  const events = createDedup({ store: s.host.store, platform: SLACK_PLATFORM, logger: s.logger });
  app.event("app_home_opened", firstDeliveryOnly(events), async ({ event }) => {
    if (event.tab !== "home") return;
    await publishHome(s, event.user, event.channel);
  });

  // The Messages tab: what a person writes to the bot is chat, one-line reports and answers alike.
  app.event("message", firstDeliveryOnly(events), async ({ event }) => {
    const message = event as unknown as MessageFields;
    if (message.bot_id || !message.user) return;
    if (message.subtype && message.subtype !== "file_share") return;
    const text = decodeSlackText(message.text ?? "");
    const file = message.files?.[0];
    if (!text.trim() && !file) return;
    const direct = message.channel_type === "im";
    const from = direct
      ? await identity(s, message.user, { dm: message.channel })
      : await groupIdentity(s, message.user, message.channel);
    const attachment: IncomingAttachment | undefined = file ? await download(s, file) : undefined;
    const replies = await handle(s, { kind: "text", from, text, ...(attachment && { attachment }) });
    if (direct) await post(s, message.channel, replies);
    else await postEphemeral(s, message.channel, message.user, replies);
  });
}
