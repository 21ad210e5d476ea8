import type { types, ViewOutput } from "@slack/bolt";
import type { Locale, Messages } from "../../src/i18n/index.ts";
import type { AgencyOverview } from "../../src/delivery/adapter-host.ts";
import { reportForm, type Form, type FormField, type FormOption } from "../../src/delivery/forms.ts";
import { clip } from "../../src/domain/clean-text.ts";
import { plain, section, textBlocks, VIEW_MAX_BLOCKS, type Block } from "./render.ts";

// The forms (delivery/forms.ts) as Slack's modals, and what was entered in them read back by field:
// each field is an input block named by the field's id, its element's action_id "value".

export const REPORT_MODAL = "report_modal";
export const SUBMIT_MODAL = "submit_modal";
export const SUBMIT_CONFIRM_MODAL = "submit_confirm";

/** Slack's limits: a select holds 100 options (or 100 groups of 100); an option's text 75 characters. */
const OPTIONS_MAX = 100;
const OPTION_TEXT_MAX = 75;
const TITLE_MAX = 24;
const FIELD_ERROR_MAX = 300;

/** The person's language, kept in the modal for its answers (an older modal kept it as JSON, which this reads too). */
export function localeOf(view: { private_metadata?: string }): Locale {
  return /\ben\b/.test(view.private_metadata ?? "") ? "en" : "vi";
}

function modal(
  locale: Locale,
  callbackId: string,
  view: { title: string; submit?: string; close: string; blocks: Block[] },
  extra: Partial<types.ModalView> = {},
): types.ModalView {
  return {
    type: "modal",
    callback_id: callbackId,
    title: plain(view.title, TITLE_MAX),
    ...(view.submit && { submit: plain(view.submit, TITLE_MAX) }),
    close: plain(view.close, TITLE_MAX),
    private_metadata: locale,
    blocks: view.blocks.slice(0, VIEW_MAX_BLOCKS),
    ...extra,
  };
}

function option(o: FormOption): types.PlainTextOption {
  return { text: plain(o.label, OPTION_TEXT_MAX), value: o.value };
}

/** A select; past 100 options they go in groups of 100. */
function select(field: Extract<FormField, { kind: "select" }>): types.StaticSelect {
  const initial = field.options.find((o) => o.value === field.initial);
  const base: types.StaticSelect = {
    type: "static_select",
    action_id: "value",
    placeholder: plain(field.placeholder, 150),
    ...(initial && { initial_option: option(initial) }),
  };
  const { options, group } = field;
  if (options.length <= OPTIONS_MAX || !group) return { ...base, options: options.slice(0, OPTIONS_MAX).map(option) };
  const groups = [];
  for (let i = 0; i < options.length && groups.length < OPTIONS_MAX; i += OPTIONS_MAX) {
    const slice = options.slice(i, i + OPTIONS_MAX);
    groups.push({ label: plain(group(i + 1, i + slice.length), OPTION_TEXT_MAX), options: slice.map(option) });
  }
  return { ...base, option_groups: groups };
}

function element(field: Exclude<FormField, { kind: "heading" }>): types.InputBlockElement {
  switch (field.kind) {
    case "select":
      return select(field);
    case "date":
      return { type: "datepicker", action_id: "value" };
    case "file":
      return { type: "file_input", action_id: "value", max_files: 1 };
    case "text":
      return {
        type: "plain_text_input",
        action_id: "value",
        ...(field.multiline && { multiline: true }),
        ...(field.placeholder && { placeholder: plain(field.placeholder, 150) }),
        ...(field.initial && { initial_value: field.initial }),
      };
  }
}

function fieldBlocks(field: FormField): Block[] {
  if (field.kind === "heading") return [{ type: "divider" }, section(field.text)];
  return [
    {
      type: "input",
      block_id: field.id,
      // A select must be answered; anything else may be left empty.
      ...(field.kind !== "select" && { optional: true }),
      label: plain(field.label, 2000),
      ...(field.kind === "text" && field.hint && { hint: plain(field.hint, 2000) }),
      element: element(field),
    },
  ];
}

/** A form as a modal. The fields must stay when its text is long: the text is trimmed first. */
export function formModal(callbackId: string, form: Form): types.ModalView {
  const text = [...textBlocks(form.text), ...(form.intro ? [section(form.intro)] : [])];
  const fields = form.fields.flatMap(fieldBlocks);
  const blocks = [...text.slice(0, Math.max(0, VIEW_MAX_BLOCKS - fields.length)), ...fields];
  return modal(form.locale, callbackId, { ...form, blocks });
}

export function reportModal(t: Messages, agency: AgencyOverview, options?: Parameters<typeof reportForm>[2]) {
  return formModal(REPORT_MODAL, reportForm(t, agency, options));
}

export interface SlackFile {
  id: string;
  /** A message's file may have none. */
  name: string | null;
  mimetype?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
}

/** What was entered, by field id; a file input's files come apart. */
export function readForm(view: ViewOutput): { entries: Record<string, string | null>; file: SlackFile | null } {
  const state = view.state.values;
  const entries = Object.fromEntries(
    Object.entries(state).map(([id, { value }]) => [
      id,
      value?.value ?? value?.selected_option?.value ?? value?.selected_date ?? null,
    ]),
  );
  return { entries, file: state.file?.value?.files?.[0] ?? null };
}

/** The core's reply as a field error: one paragraph, short enough for the space under a field. */
export function fieldError(text: string): string {
  return clip(text.replace(/\s*\n\s*/g, " ").trim(), FIELD_ERROR_MAX);
}

/** Step two: the core's preview of what will be submitted, sent with "Gửi báo cáo". */
/** `confirm` is the core's label for it: "Nộp không kèm tệp" when the file sent did not arrive. */
export function confirmModal(t: Messages, preview: string, confirm = t.bot.submit.confirm): types.ModalView {
  const view = { title: t.slack.submitModal.confirmTitle, submit: confirm, close: t.bot.submit.cancel };
  // Closing it is the "Hủy" of the chat: the core's open submission is cancelled.
  return modal(t.locale, SUBMIT_CONFIRM_MODAL, { ...view, blocks: textBlocks(preview) }, { notify_on_close: true });
}

/** A closing word in place of the form (the answer came after Slack's 3 seconds, or there is nothing to fix). */
export function messageModal(t: Messages, text: string): types.ModalView {
  return modal(t.locale, "message", { title: t.slack.title, close: t.slack.close, blocks: textBlocks(text) });
}
