import type { App } from "@slack/bolt";
import type { IncomingAttachment } from "../../../../src/model/bot-core.ts";
import { decodeSlackText } from "../../render.ts";
import { post } from "../../sending.ts";
import { download, handle, identity, postEphemeral, publishHome, type SlackSurface } from "../../surface.ts";

export function register(app: App, s: SlackSurface): void {
  app.event("app_home_opened", async ({ event }) => {
    if (event.tab !== "home") return;
    await publishHome(s, event.user, event.channel);
  });

  // The Messages tab: what a person writes to the bot is chat, one-line reports and answers alike.
  app.event("message", async ({ event: message }) => {
    if (message.subtype !== undefined && message.subtype !== "file_share") return;
    if (("bot_id" in message && message.bot_id) || !message.user) return;
    const text = decodeSlackText(message.text ?? "");
    const file = message.files?.[0];
    if (!text.trim() && !file) return;
    const direct = message.channel_type === "im";
    const from = await identity(s, message.user, direct ? { dm: message.channel } : { channel: message.channel });
    const attachment: IncomingAttachment | undefined = file ? await download(s, file) : undefined;
    const replies = await handle(s, { kind: "text", from, text, ...(attachment && { attachment }) });
    if (direct) await post(s, message.channel, replies);
    else await postEphemeral(s, message.channel, message.user, replies);
  });
}
