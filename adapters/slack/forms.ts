import type { types } from "@slack/bolt";
import type { Reply, SubmissionPreview } from "../../src/model/bot-core.ts";
import { messagesFor, type Messages } from "../../src/i18n/index.ts";
import {
  confirmModal,
  FIGURE_BLOCK,
  fieldError,
  messageModal,
  reportModal,
  submitModal,
  type ReportValues,
  type SubmitValues,
} from "./modals.ts";
import { post } from "./sending.ts";
import { contactAgency, dmChannel, download, identity, overviewOf, refreshHome, type SlackSurface } from "./surface.ts";

// The report and submission forms: opened for a contact, their fields handed to the core's typed use
// cases, and its answer shown where Slack wants it (next to a field, in the form, or in the DM).

type FormAck = (response?: Record<string, unknown>) => Promise<void>;

/** How a form submission ends. */
export type FormResult =
  /** Recorded: the form closes and the replies go to the DM. */
  | { kind: "close"; replies: Reply[] }
  /** Refused: the errors go next to their fields; `saved` were recorded before the refusal. */
  | { kind: "errors"; errors: Record<string, string>; saved: Reply[]; later: () => Promise<types.ModalView> }
  /** The form becomes this view (the next step, or a closing word). */
  | { kind: "view"; view: types.ModalView };

const textOf = (replies: readonly Reply[]) => replies.map((r) => r.text).join("\n\n");

/** False when the person has no such form (not a contact, no duties) or Slack refused to open it. */
export async function openForm(
  s: SlackSurface,
  form: { triggerId: string; userId: string; kind: "report" | "submit"; duty?: string | undefined },
): Promise<boolean> {
  const overview = await overviewOf(s, form.userId);
  const agency = contactAgency(overview);
  if (!overview || !agency) return false;
  const t = messagesFor(overview.locale);
  const view =
    form.kind === "submit"
      ? submitModal(t, overview, agency)
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
 * A refusal shown next to its fields: the core's errors by field (`field` names the block), or,
 * when they concern none (not joined, no plan), its words on `fallback`. `saved` were recorded
 * before it; `later` shows it past the 3 seconds.
 */
function refusal(
  result: { errors: Partial<Record<string, string>>; replies: Reply[] },
  blocks: { field: (name: string) => string; fallback: string; saved: Reply[] },
  later: (message: string) => Promise<types.ModalView>,
): FormResult {
  const entries = Object.entries(result.errors).flatMap(([name, text]) =>
    text ? [[blocks.field(name), fieldError(text)] as const] : [],
  );
  const errors = entries.length
    ? Object.fromEntries(entries)
    : { [blocks.fallback]: fieldError(textOf(result.replies)) };
  const message = Object.values(errors).join(" ");
  return { kind: "errors", errors, saved: blocks.saved, later: () => later(message) };
}

/** Each figure, then the progress; the first refusal stops there, with what was saved before it. */
export async function submitReport(
  s: SlackSurface,
  userId: string,
  values: ReportValues,
  t: Messages,
): Promise<FormResult> {
  const from = await identity(s, userId);
  const saved: Reply[] = [];
  const later = async (message: string) => {
    const agency = contactAgency(await overviewOf(s, userId));
    const notice = `${t.slack.reportModal.notice} ${message}`;
    return agency ? reportModal(t, agency, { values, notice }) : messageModal(t, notice);
  };
  for (const figure of values.figures) {
    const input = { indicator: figure.code, participants: figure.value };
    const result = await s.host.core.run(from, "recordFigure", input);
    const block = `${FIGURE_BLOCK}${figure.code}`;
    if (!result.ok) return refusal(result, { field: () => block, fallback: block, saved }, later);
    saved.push(...result.replies);
  }
  const { duty, status, percent, note } = values;
  const input = { duty: duty ?? "", status, percent: percent || null, note: note || null };
  const result = await s.host.core.run(from, "reportProgress", input);
  if (result.ok) return { kind: "close", replies: [...saved, ...result.replies] };
  return refusal(result, { field: (field) => field, fallback: "duty", saved }, later);
}

function confirmView(t: Messages, preview: SubmissionPreview): FormResult {
  return { kind: "view", view: confirmModal(t, preview.text, preview.confirm) };
}

/** Step one of the submission: the core's preview, or its refusal next to the number or the date. */
export async function submitDocument(
  s: SlackSurface,
  userId: string,
  values: SubmitValues,
  t: Messages,
): Promise<FormResult> {
  const from = await identity(s, userId);
  const attachment = values.file ? await download(s, values.file) : undefined;
  const result = await s.host.core.run(from, "previewSubmission", {
    documentNumber: values.number || null,
    documentDate: values.date,
    ...(attachment && { attachment }),
  });
  if (result.ok) return confirmView(t, result.value);
  const later = async () => messageModal(t, textOf(result.replies));
  return refusal(result, { field: (field) => field, fallback: "number", saved: [] }, later);
}

export async function confirmSubmission(s: SlackSurface, userId: string, t: Messages): Promise<FormResult> {
  const result = await s.host.core.run(await identity(s, userId), "confirmSubmission", {});
  const value = result.ok ? result.value : null;
  if (value?.sent) return { kind: "close", replies: result.replies };
  // Shown again: someone reported meanwhile, and the person confirms what they now see.
  if (value?.sent === false && value.preview) return confirmView(t, value.preview);
  return { kind: "view", view: messageModal(t, textOf(result.replies)) };
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
      ? messageModal(t, textOf(result.replies))
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
