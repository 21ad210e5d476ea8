import type { App } from "@slack/bolt";
import { findCommand } from "../../../../src/core/commands.ts";
import { splitFirst } from "../../../../src/domain/text.ts";
import { messagesFor } from "../../../../src/i18n/index.ts";
import type { IncomingEvent } from "../../../../src/model/bot-core.ts";
import { openForm } from "../../forms.ts";
import { decodeSlackText, SLASH_COMMAND } from "../../render.ts";
import { answer, handle, identity, type SlackSurface } from "../../surface.ts";

/**
 * `/nhacviec <command> [args]` runs any core command by its Vietnamese name or English alias;
 * `/nhacviec` alone is /trogiup, and anything else is what the person would have typed in chat
 * (`/nhacviec 4b xong`, an invite code). /baocao and a bare /nopbaocao open their forms.
 */
export function register(app: App, s: SlackSurface): void {
  app.command(SLASH_COMMAND, async ({ ack, command, respond }) => {
    await ack();
    const text = decodeSlackText(command.text ?? "").trim();
    const [word, args] = splitFirst(text);
    const spec = findCommand(word || "trogiup");
    let from;
    try {
      from = await identity(s, command.user_id, { name: command.user_name });
    } catch (error) {
      s.logger.warn({ err: error }, "slack: could not find the person's DM");
      await respond({ response_type: "ephemeral", text: messagesFor("vi").slack.unavailable }).catch(() => undefined);
      return;
    }
    const form = { triggerId: command.trigger_id, userId: from.userId };
    if (spec?.name === "baocao" && (await openForm(s, { ...form, kind: "report" }))) return;
    if (spec?.name === "nopbaocao" && !args && (await openForm(s, { ...form, kind: "submit" }))) return;
    // `/nhacviec` alone is the help (above); anything else not a command is what the person typed, as typed.
    const event: IncomingEvent = spec
      ? { kind: "command", from, command: spec.name, args }
      : { kind: "text", from, text };
    // A file takes a moment to make: say so at once, only to the person, then send it.
    if (spec?.produces) {
      await respond({ response_type: "ephemeral", text: messagesFor("vi").slack.working }).catch(() => undefined);
    }
    const replies = await handle(s, event);
    // Typed in the bot's own DM, the answer stays in that conversation; elsewhere only the person sees it.
    await answer(s, command.channel_id === from.chatId ? null : respond, from, replies);
  });
}
