import type { App } from "@slack/bolt";
import {
  metadataOf,
  readReportValues,
  readSubmitValues,
  REPORT_MODAL,
  SUBMIT_CONFIRM_MODAL,
  SUBMIT_MODAL,
} from "../../modals.ts";
import type { SlackSurface } from "../../surface.ts";

type FormAck = (response?: Record<string, unknown>) => Promise<void>;

/**
 * Form submissions. A refusal has to travel in the acknowledgement itself, so these listeners give
 * the core up to the form budget before acking (see SlackSurface.answerForm); past it they ack with
 * "recording…" and show the result with views.update.
 */
export function register(app: App, surface: SlackSurface): void {
  app.view(REPORT_MODAL, async ({ ack, body, view }) => {
    const t = surface.t(metadataOf(view).locale);
    const work = surface.submitReport(body.user.id, readReportValues(view), t);
    await surface.answerForm(ack as FormAck, view.id, body.user.id, t, work);
  });

  app.view(SUBMIT_MODAL, async ({ ack, body, view }) => {
    const t = surface.t(metadataOf(view).locale);
    const work = surface.submitDocument(body.user.id, readSubmitValues(view), t);
    await surface.answerForm(ack as FormAck, view.id, body.user.id, t, work);
  });

  app.view(SUBMIT_CONFIRM_MODAL, async ({ ack, body, view }) => {
    const t = surface.t(metadataOf(view).locale);
    await surface.answerForm(ack as FormAck, view.id, body.user.id, t, surface.confirmSubmission(body.user.id, t));
  });

  // Closing the preview is the chat's "Hủy": the submission the core holds open is cancelled.
  app.view({ callback_id: SUBMIT_CONFIRM_MODAL, type: "view_closed" }, async ({ ack, body }) => {
    await ack();
    await surface.cancelSubmission(body.user.id);
  });
}
