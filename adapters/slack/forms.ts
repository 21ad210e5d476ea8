import { setTimeout as sleep } from "node:timers/promises";
import type { AckFn, types, ViewOutput, ViewResponseAction } from "@slack/bolt";
import type { Messages } from "../../src/i18n/index.ts";
import * as forms from "../../src/delivery/forms.ts";
import { confirmModal, fieldError, formModal, messageModal, readForm, REPORT_MODAL, SUBMIT_MODAL } from "./modals.ts";
import { post } from "./sending.ts";
import { dmChannel, download, identity, overviewOf, refreshHome, type SlackSurface } from "./surface.ts";

// The forms (delivery/forms.ts) in Slack: opened for a contact, and the core's answer shown where
// Slack wants it: next to a field, in the form, or in the DM.

/** How the core took a submission; a report's values, to show its form again after a late refusal. */
interface Submitted {
  outcome: forms.FormOutcome;
  values?: forms.ReportValues;
}

/** False when the person has no such form (not a contact, no duties) or Slack refused to open it. */
export async function openForm(
  s: SlackSurface,
  form: { triggerId: string; userId: string; kind: "report" | "submit"; duty?: string | undefined },
): Promise<boolean> {
  const shown = forms.formFor(await overviewOf(s, form.userId), form.kind, form.duty);
  if (!shown) return false;
  try {
    const view = formModal(form.kind === "submit" ? SUBMIT_MODAL : REPORT_MODAL, shown);
    await s.client.views.open({ trigger_id: form.triggerId, view });
    return true;
  } catch (error) {
    // The trigger lasts 3 seconds; past it the chat's way still works.
    s.logger.warn({ err: error }, "slack: a form could not be opened");
    return false;
  }
}

/** A form's submission handed to the core. */
type Submit = (s: SlackSurface, userId: string, view: ViewOutput) => Promise<Submitted>;

export const submitReport: Submit = async (s, userId, view) => {
  const values = forms.reportValues(readForm(view).entries);
  return { outcome: await forms.submitReport(s.host.core, await identity(s, userId), values), values };
};

export const submitDocument: Submit = async (s, userId, view) => {
  const { entries, file } = readForm(view);
  const values = { number: (entries.number ?? "").trim(), date: entries.date ?? null };
  const attachment = file ? await download(s, file) : undefined;
  const from = await identity(s, userId);
  return { outcome: await forms.submitDocument(s.host.core, from, { ...values, attachment }) };
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
  const { outcome, values } = early ?? (await work);
  await (early ? ack(earlyAnswer(t, outcome)) : update(s, viewId, await lateView(s, userId, t, { outcome, values })));
  await afterForm(s, userId, outcome);
}

const fieldErrors = (outcome: Extract<forms.FormOutcome, { kind: "refused" }>) =>
  Object.fromEntries(Object.entries(outcome.errors).map(([id, text]) => [id, fieldError(text)]));

/** Within the 3 seconds: the errors by field, the next view, or the form closed. */
function earlyAnswer(t: Messages, outcome: forms.FormOutcome): ViewResponseAction {
  if (outcome.kind === "refused") return { response_action: "errors", errors: fieldErrors(outcome) };
  return outcome.kind === "done"
    ? { response_action: "clear" }
    : { response_action: "update", view: nextView(t, outcome) };
}

/** Past them, in place of "recording…": a refused report's form again, with the refusal above it. */
async function lateView(s: SlackSurface, userId: string, t: Messages, { outcome, values }: Submitted) {
  if (outcome.kind !== "refused") return nextView(t, outcome);
  const refusal = Object.values(fieldErrors(outcome)).join(" ");
  const again = values && forms.reportFormAgain(await overviewOf(s, userId), values, refusal);
  return again ? formModal(REPORT_MODAL, again) : messageModal(t, forms.textOf(outcome.replies));
}

async function update(s: SlackSurface, viewId: string, view: types.ModalView): Promise<void> {
  try {
    await s.client.views.update({ view_id: viewId, view });
  } catch (error) {
    s.logger.warn({ err: error }, "slack: a form could not be updated");
  }
}
