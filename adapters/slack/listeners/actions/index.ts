import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { choiceOf } from "../../../../src/model/choices.ts";
import { HOME_REPORT_ACTION, HOME_SUBMIT_ACTION } from "../../home.ts";
import { CHOICE_ACTION, CHOICE_KEY_ACTION } from "../../render.ts";
import type { SlackSurface } from "../../surface.ts";

const CHOICE_BUTTON = new RegExp(`^(${CHOICE_ACTION}|${CHOICE_KEY_ACTION}):`);

/** Buttons: a message's choices go to the core as they are, except the two that open a form. */
export function register(app: App, surface: SlackSurface): void {
  app.action<BlockAction<ButtonAction>>({ type: "block_actions", action_id: CHOICE_BUTTON }, async (args) => {
    const { ack, body, action, respond } = args;
    await ack();
    const value = await surface.choiceValue(action.action_id, action.value ?? "");
    const ephemeral = body.container?.is_ephemeral === true;
    const channel = body.channel?.id;
    // Buttons outside ephemeral messages are only ever in the bot's DM, whose id starts with D.
    const dm = !ephemeral && channel?.startsWith("D") ? channel : undefined;
    const from = await surface.identity(body.user.id, { dm, name: body.user.name });
    const start = choiceOf(value, "start");
    if (start?.what === "report" && (await surface.openReportModal(body.trigger_id, from.userId))) return;
    if (start?.what === "submit" && (await surface.openSubmitModal(body.trigger_id, from.userId))) return;
    const replies = await surface.handle({ kind: "choice", from, value });
    await surface.answer(ephemeral ? respond : null, from, replies);
  });

  // App Home: "Báo cáo" beside a duty opens the form on that duty; the general buttons open it blank.
  app.action<BlockAction<ButtonAction>>(
    { type: "block_actions", action_id: HOME_REPORT_ACTION },
    async ({ ack, body, action }) => {
      await ack();
      if (await surface.openReportModal(body.trigger_id, body.user.id, action.value || undefined)) return;
      const from = await surface.identity(body.user.id);
      await surface.answer(null, from, (await surface.run(from, "startReport", {})).replies);
    },
  );
  app.action<BlockAction<ButtonAction>>(
    { type: "block_actions", action_id: HOME_SUBMIT_ACTION },
    async ({ ack, body }) => {
      await ack();
      if (await surface.openSubmitModal(body.trigger_id, body.user.id)) return;
      const from = await surface.identity(body.user.id);
      await surface.answer(null, from, (await surface.run(from, "startSubmit", {})).replies);
    },
  );
}
