import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { choiceOf } from "../../../../src/model/choices.ts";
import { openForm } from "../../forms.ts";
import { HOME_REPORT_ACTION, HOME_SUBMIT_ACTION } from "../../home.ts";
import { CHOICE_ACTION, CHOICE_KEY_ACTION } from "../../render.ts";
import { answer, choiceValue, handle, identity, type SlackSurface } from "../../surface.ts";

const CHOICE_BUTTON = new RegExp(`^(${CHOICE_ACTION}|${CHOICE_KEY_ACTION}):`);

/** Buttons: a message's choices go to the core as they are, except the two that open a form. */
export function register(app: App, s: SlackSurface): void {
  app.action<BlockAction<ButtonAction>>({ type: "block_actions", action_id: CHOICE_BUTTON }, async (args) => {
    const { ack, body, action, respond } = args;
    await ack();
    const value = await choiceValue(s, action.action_id, action.value ?? "");
    const ephemeral = body.container?.is_ephemeral === true;
    const channel = body.channel?.id;
    // Buttons outside ephemeral messages are only ever in the bot's DM, whose id starts with D.
    const dm = !ephemeral && channel?.startsWith("D") ? channel : undefined;
    const from = await identity(s, body.user.id, { dm, name: body.user.name });
    const start = choiceOf(value, "start");
    const form = { triggerId: body.trigger_id, userId: from.userId };
    if ((start?.what === "report" || start?.what === "submit") && (await openForm(s, { ...form, kind: start.what }))) {
      return;
    }
    const replies = await handle(s, { kind: "choice", from, value });
    await answer(s, ephemeral ? respond : null, from, replies);
  });

  // App Home: "Báo cáo" beside a duty opens the form on that duty; the general buttons open it blank,
  // or, where no form opens, start the chat's way.
  const homeButton = new RegExp(`^(${HOME_REPORT_ACTION}|${HOME_SUBMIT_ACTION})$`);
  app.action<BlockAction<ButtonAction>>({ type: "block_actions", action_id: homeButton }, async (args) => {
    const { ack, body, action } = args;
    await ack();
    const kind = action.action_id === HOME_SUBMIT_ACTION ? "submit" : "report";
    const form = { triggerId: body.trigger_id, userId: body.user.id, kind, duty: action.value || undefined } as const;
    if (await openForm(s, form)) return;
    const from = await identity(s, body.user.id);
    const start = await s.host.core.run(from, kind === "submit" ? "startSubmit" : "startReport", {});
    await answer(s, null, from, start.replies);
  });
}
