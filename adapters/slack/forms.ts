import type { types } from "@slack/bolt";
import type { Reply } from "../../src/model/bot-core.ts";
import { messagesFor, type Messages } from "../../src/i18n/index.ts";
import * as forms from "../../src/delivery/forms.ts";
import { confirmModal, fieldError, formModal, messageModal, readForm, reportModal, SUBMIT_MODAL } from "./modals.ts";
import { post } from "./sending.ts";
import { dmChannel, download, identity, overviewOf, refreshHome, type SlackSurface } from "./surface.ts";

// The forms (delivery/forms.ts) in Slack: opened for a contact, and the core's answer shown where
// Slack wants it: next to a field, in the form, or in the DM.

type FormAck = (response?: Record<string, unknown>) => Promise<void>;

/** How a form submission ends. */
export type FormResult =
  /** Recorded: the form closes and the replies go to the DM. */
  | { kind: "close"; replies: Reply[] }
  /** Refused: the errors go next to their fields; `saved` were recorded before the refusal. */
  | { kind: "errors"; errors: Record<string, string>; saved: Reply[]; later: () => Promise<types.ModalView> }
  /** The form becomes this view (the next step, or a closing word). */
  | { kind: "view"; view: types.ModalView };

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

/**
 * The core's answer as the form's end. A refusal goes next to its fields, or, past the 3 seconds,
 * into the view `refusedLater` makes of it.
 */
function formResult(
  t: Messages,
  outcome: forms.FormOutcome,
  refusedLater = async (message: string) => messageModal(t, message),
): FormResult {
  switch (outcome.kind) {
    case "done":
      return { kind: "close", replies: outcome.replies };
    case "preview":
      return { kind: "view", view: confirmModal(t, outcome.preview.text, outcome.preview.confirm) };
    case "said":
      return { kind: "view", view: messageModal(t, forms.textOf(outcome.replies)) };
    case "refused": {
      const errors = Object.fromEntries(Object.entries(outcome.errors).map(([id, text]) => [id, fieldError(text)]));
      const later = () => refusedLater(Object.values(errors).join(" "));
      return { kind: "errors", errors, saved: outcome.saved, later };
    }
  }
}

type View = Parameters<typeof readForm>[0];

export async function submitReport(s: SlackSurface, userId: string, view: View, t: Messages): Promise<FormResult> {
  const values = forms.reportValues(readForm(view).entries);
  const outcome = await forms.submitReport(s.host.core, await identity(s, userId), values);
  return formResult(t, outcome, async (message) => {
    const agency = forms.reportingAgency(await overviewOf(s, userId));
    const notice = `${t.slack.reportModal.notice} ${message}`;
    return agency ? reportModal(t, agency, { values, notice }) : messageModal(t, notice);
  });
}

export async function submitDocument(s: SlackSurface, userId: string, view: View, t: Messages): Promise<FormResult> {
  const { entries, file } = readForm(view);
  const from = await identity(s, userId);
  const attachment = file ? await download(s, file) : undefined;
  const number = (entries.number ?? "").trim();
  const outcome = await forms.submitDocument(s.host.core, from, { number, date: entries.date ?? null, attachment });
  const replies = outcome.kind === "refused" ? outcome.replies : [];
  return formResult(t, outcome, async () => messageModal(t, forms.textOf(replies)));
}

export async function confirmSubmission(s: SlackSurface, userId: string, _view: View, t: Messages) {
  return formResult(t, await forms.confirmSubmission(s.host.core, await identity(s, userId)));
}

async function afterForm(s: SlackSurface, userId: string, result: FormResult): Promise<void> {
  const replies = result.kind === "close" ? result.replies : result.kind === "errors" ? result.saved : [];
  if (replies.length > 0) await post(s, await dmChannel(s, userId), replies);
  if (result.kind !== "view") refreshHome(s, userId);
}

/**
 * Answers a form submission: within Slack's 3 seconds with the result when the core is quick
 * (errors must come in the acknowledgement itself), else with "recording…" and the result later.
 */
export async function answerForm(
  s: SlackSurface,
  form: { ack: FormAck; viewId: string; userId: string; t: Messages },
  pending: Promise<FormResult>,
): Promise<void> {
  const { ack, viewId, userId, t } = form;
  const work = pending.catch((error: unknown): FormResult => {
    s.logger.error({ err: error }, "slack: a form submission failed");
    return { kind: "view", view: messageModal(t, t.slack.unavailable) };
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), s.formBudgetMs);
  });
  const early = await Promise.race([work, late]);
  clearTimeout(timer);
  if (early) {
    if (early.kind === "close") await ack({ response_action: "clear" });
    else if (early.kind === "errors") await ack({ response_action: "errors", errors: early.errors });
    else await ack({ response_action: "update", view: early.view });
    await afterForm(s, userId, early);
    return;
  }
  await ack({ response_action: "update", view: messageModal(t, t.slack.processing) });
  const result = await work;
  const view =
    result.kind === "close"
      ? messageModal(t, forms.textOf(result.replies))
      : result.kind === "errors"
        ? await result.later()
        : result.view;
  try {
    await s.client.views.update({ view_id: viewId, view });
  } catch (error) {
    s.logger.warn({ err: error }, "slack: a form could not be updated");
  }
  await afterForm(s, userId, result);
}
