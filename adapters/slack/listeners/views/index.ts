import type { App, ViewSubmitAction } from "@slack/bolt";
import { messagesFor } from "../../../../src/i18n/index.ts";
import { answerForm, confirmSubmission, submitDocument, submitReport } from "../../forms.ts";
import { localeOf, REPORT_MODAL, SUBMIT_CONFIRM_MODAL, SUBMIT_MODAL } from "../../modals.ts";
import { identity, type SlackSurface } from "../../surface.ts";

/** What submitting each form does. */
const SUBMISSIONS = {
  [REPORT_MODAL]: submitReport,
  [SUBMIT_MODAL]: submitDocument,
  [SUBMIT_CONFIRM_MODAL]: confirmSubmission,
};

/**
 * Form submissions. A refusal has to travel in the acknowledgement itself, so these listeners give
 * the core up to the form budget before acking (see answerForm); past it they ack with
 * "recording…" and show the result with views.update.
 */
export function register(app: App, s: SlackSurface): void {
  for (const [callbackId, submit] of Object.entries(SUBMISSIONS)) {
    app.view<ViewSubmitAction>(callbackId, async ({ ack, body, view }) => {
      const t = messagesFor(localeOf(view));
      const form = { ack, viewId: view.id, userId: body.user.id, t };
      await answerForm(s, form, submit(s, body.user.id, view));
    });
  }

  // Closing the preview is the chat's "Hủy": the submission the core holds open is cancelled.
  app.view({ callback_id: SUBMIT_CONFIRM_MODAL, type: "view_closed" }, async ({ ack, body }) => {
    await ack();
    await s.host.core.run(await identity(s, body.user.id), "cancelSubmission", {});
  });
}
