import { setTimeout as sleep } from "node:timers/promises";
import type { AckFn, types, ViewOutput, ViewResponseAction } from "@slack/bolt";
import { messagesFor, type Messages } from "../../src/i18n/index.ts";
import * as forms from "../../src/delivery/forms.ts";
import { confirmModal, fieldError, formModal, messageModal, readForm, reportModal, SUBMIT_MODAL } from "./modals.ts";
import { post } from "./sending.ts";
import { dmChannel, download, identity, overviewOf, refreshHome, type SlackSurface } from "./surface.ts";

// The forms (delivery/forms.ts) in Slack: opened for a contact, and the core's answer shown where
// Slack wants it: next to a field, in the form, or in the DM.

/** How the core took a submission; for a refusal known past the 3 seconds, the view that shows it. */
interface Submitted {
  outcome: forms.FormOutcome;
  refusedView?: (message: string) => Promise<types.ModalView>;
}

/** False when the person has no such form (not a contact, no duties) or Slack refused to open it. */
export async function openForm(
  s: SlackSurface,
  form: { triggerId: string; userId: string; kind: "report" | "submit"; duty?: string | undefined },
): Promise<boolean> {
  const overview = await overviewOf(s, form.userId);
  const agency = forms.reportingAgency(overview);
  if (!overview || !agency) return false;
  const t = messagesFor(overview.locale);
  const view =
    form.kind === "submit"
      ? formModal(t, SUBMIT_MODAL, forms.submitForm(t, overview, agency))
      : reportModal(t, agency, { ...(form.duty && { duty: form.duty }) });
  try {
    await s.client.views.open({ trigger_id: form.triggerId, view });
    return true;
  } catch (error) {
    // The trigger lasts 3 seconds; past it the chat's way still works.
    s.logger.warn({ err: error }, "slack: a form could not be opened");
    return false;
  }
}

/** A form's submission handed to the core. */
type Submit = (s: SlackSurface, userId: string, view: ViewOutput, t: Messages) => Promise<Submitted>;

export const submitReport: Submit = async (s, userId, view, t) => {
  const values = forms.reportValues(readForm(view).entries);
  const outcome = await forms.submitReport(s.host.core, await identity(s, userId), values);
  const refusedView = async (message: string) => {
    const agency = forms.reportingAgency(await overviewOf(s, userId));
    const notice = `${t.slack.reportModal.notice} ${message}`;
    return agency ? reportModal(t, agency, { values, notice }) : messageModal(t, notice);
  };
  return { outcome, refusedView };
};

export const submitDocument: Submit = async (s, userId, view, t) => {
  const { entries, file } = readForm(view);
  const from = await identity(s, userId);
  const attachment = file ? await download(s, file) : undefined;
  const number = (entries.number ?? "").trim();
  const outcome = await forms.submitDocument(s.host.core, from, { number, date: entries.date ?? null, attachment });
  const replies = outcome.kind === "refused" ? outcome.replies : [];
  return { outcome, refusedView: async () => messageModal(t, forms.textOf(replies)) };
};

export async function confirmSubmission(s: SlackSurface, userId: string): Promise<Submitted> {
  return { outcome: await forms.confirmSubmission(s.host.core, await identity(s, userId)) };
}

/** The form's next view: the preview to confirm, or the core's words in place of the form. */
function nextView(t: Messages, outcome: Exclude<forms.FormOutcome, { kind: "refused" }>): types.ModalView {
  if (outcome.kind === "preview") return confirmModal(t, outcome.preview.text, outcome.preview.confirm);
  return messageModal(t, forms.textOf(outcome.replies));
}

async function afterForm(s: SlackSurface, userId: string, outcome: forms.FormOutcome): Promise<void> {
  const replies = outcome.kind === "done" ? outcome.replies : outcome.kind === "refused" ? outcome.saved : [];
  if (replies.length > 0) await post(s, await dmChannel(s, userId), replies);
  if (outcome.kind === "done" || outcome.kind === "refused") refreshHome(s, userId);
}

/**
 * Answers a form submission: within Slack's 3 seconds with the result when the core is quick
 * (errors must come in the acknowledgement itself), else with "recording…" and the result later.
 */
export async function answerForm(
  s: SlackSurface,
  form: { ack: AckFn<ViewResponseAction>; viewId: string; userId: string; t: Messages },
  pending: Promise<Submitted>,
): Promise<void> {
  const { ack, viewId, userId, t } = form;
  const work = pending.catch((error: unknown): Submitted => {
    s.logger.error({ err: error }, "slack: a form submission failed");
    return { outcome: { kind: "said", replies: [{ text: t.slack.unavailable }] } };
  });
  const budget = new AbortController();
  const late = sleep(s.formBudgetMs, null, { signal: budget.signal }).catch(() => null);
  const early = await Promise.race([work, late]);
  budget.abort();
  if (!early) await ack({ response_action: "update", view: messageModal(t, t.slack.processing) });
  const { outcome, refusedView = async (message: string) => messageModal(t, message) } = early ?? (await work);
  if (outcome.kind === "refused") {
    const errors = Object.fromEntries(Object.entries(outcome.errors).map(([id, text]) => [id, fieldError(text)]));
    if (early) await ack({ response_action: "errors", errors });
    else await update(s, viewId, await refusedView(Object.values(errors).join(" ")));
  } else if (early) {
    await ack(
      outcome.kind === "done"
        ? { response_action: "clear" }
        : { response_action: "update", view: nextView(t, outcome) },
    );
  } else {
    await update(s, viewId, nextView(t, outcome));
  }
  await afterForm(s, userId, outcome);
}

async function update(s: SlackSurface, viewId: string, view: types.ModalView): Promise<void> {
  try {
    await s.client.views.update({ view_id: viewId, view });
  } catch (error) {
    s.logger.warn({ err: error }, "slack: a form could not be updated");
  }
}
