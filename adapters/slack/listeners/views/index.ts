import type { App } from "@slack/bolt";
import { messagesFor, type Messages } from "../../../../src/i18n/index.ts";
import { answerForm, confirmSubmission, submitDocument, submitReport, type FormResult } from "../../forms.ts";
import {
  metadataOf,
  readReportValues,
  readSubmitValues,
  REPORT_MODAL,
  SUBMIT_CONFIRM_MODAL,
  SUBMIT_MODAL,
} from "../../modals.ts";
import { identity, type SlackSurface } from "../../surface.ts";

type FormAck = (response?: Record<string, unknown>) => Promise<void>;
type Submit = (
  s: SlackSurface,
  userId: string,
  view: Parameters<typeof readReportValues>[0],
  t: Messages,
) => Promise<FormResult>;

/** What submitting each form does. */
const SUBMISSIONS: Record<string, Submit> = {
  [REPORT_MODAL]: (s, userId, view, t) => submitReport(s, userId, readReportValues(view), t),
  [SUBMIT_MODAL]: (s, userId, view, t) => submitDocument(s, userId, readSubmitValues(view), t),
  [SUBMIT_CONFIRM_MODAL]: (s, userId, _view, t) => confirmSubmission(s, userId, t),
};

/**
 * Form submissions. A refusal has to travel in the acknowledgement itself, so these listeners give
 * the core up to the form budget before acking (see answerForm); past it they ack with
 * "recording…" and show the result with views.update.
 */
export function register(app: App, s: SlackSurface): void {
  for (const [callbackId, submit] of Object.entries(SUBMISSIONS)) {
    app.view(callbackId, async ({ ack, body, view }) => {
      const t = messagesFor(metadataOf(view).locale);
      const form = { ack: ack as FormAck, viewId: view.id, userId: body.user.id, t };
      await answerForm(s, form, submit(s, body.user.id, view, t));
    });
  }

  // Closing the preview is the chat's "Hủy": the submission the core holds open is cancelled.
  app.view({ callback_id: SUBMIT_CONFIRM_MODAL, type: "view_closed" }, async ({ ack, body }) => {
    await ack();
    await s.host.core.run(await identity(s, body.user.id), "cancelSubmission", {});
  });
}
