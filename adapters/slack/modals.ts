import type { types } from "@slack/bolt";
import { shortTitle } from "../../src/domain/short-title.ts";
import { DUTY_STATUSES, isDutyStatus, type DutyStatus } from "../../src/model/duty-status.ts";
import type { Messages } from "../../src/i18n/index.ts";
import { agencyLabel, dutyList } from "../../src/i18n/views.ts";
import type { AgencyOverview, DutyOverview, PersonOverview } from "../../src/delivery/adapter-host.ts";
import { clip, plain, section, textBlocks, VIEW_MAX_BLOCKS, type Block } from "./render.ts";

// The report and submission forms. They only collect the fields of the core's typed use cases
// (model/bot-core.ts): on submission the adapter hands them over as they are, and shows the core's
// answer, a refusal next to the field it concerns.

export const REPORT_MODAL = "report_modal";
export const SUBMIT_MODAL = "submit_modal";
export const SUBMIT_CONFIRM_MODAL = "submit_confirm";

/** Slack's limits: a select holds 100 options (or 100 groups of 100); an option's text 75 characters. */
const OPTIONS_MAX = 100;
const OPTION_TEXT_MAX = 75;
const TITLE_MAX = 24;
const FIELD_ERROR_MAX = 300;

export interface ModalMetadata {
  locale: "vi" | "en";
}

export function metadataOf(view: { private_metadata?: string }): ModalMetadata {
  try {
    const parsed = JSON.parse(view.private_metadata ?? "{}") as Partial<ModalMetadata>;
    return { locale: parsed.locale === "en" ? "en" : "vi" };
  } catch {
    return { locale: "vi" };
  }
}

function modal(
  t: Messages,
  callbackId: string,
  title: string,
  blocks: Block[],
  buttons: { submit?: string; close: string },
  extra: Partial<types.ModalView> = {},
): types.ModalView {
  return {
    type: "modal",
    callback_id: callbackId,
    title: plain(title, TITLE_MAX),
    ...(buttons.submit && { submit: plain(buttons.submit, TITLE_MAX) }),
    close: plain(buttons.close, TITLE_MAX),
    private_metadata: JSON.stringify({ locale: t.locale } satisfies ModalMetadata),
    blocks: blocks.slice(0, VIEW_MAX_BLOCKS),
    ...extra,
  };
}

function option(text: string, value: string): types.PlainTextOption {
  return { text: plain(text, OPTION_TEXT_MAX), value };
}

function dutyOption(t: Messages, duty: DutyOverview): types.PlainTextOption {
  return option(`${t.bot.statusIcon[duty.status]} ${duty.code} ${shortTitle(duty.text, 50)}`, duty.code);
}

/** A select of the agency's duties; past 100 they go in groups of 100. */
function dutySelect(t: Messages, duties: readonly DutyOverview[], selected?: string): types.StaticSelect {
  const initial = duties.find((d) => d.code === selected);
  const base: types.StaticSelect = {
    type: "static_select",
    action_id: "value",
    placeholder: plain(t.slack.reportModal.dutyPlaceholder, 150),
    ...(initial && { initial_option: dutyOption(t, initial) }),
  };
  if (duties.length <= OPTIONS_MAX) return { ...base, options: duties.map((d) => dutyOption(t, d)) };
  const groups = [];
  for (let i = 0; i < duties.length && groups.length < OPTIONS_MAX; i += OPTIONS_MAX) {
    const slice = duties.slice(i, i + OPTIONS_MAX);
    groups.push({
      label: plain(t.slack.reportModal.dutyGroup(i + 1, i + slice.length), OPTION_TEXT_MAX),
      options: slice.map((d) => dutyOption(t, d)),
    });
  }
  return { ...base, option_groups: groups };
}

function statusOption(t: Messages, status: DutyStatus): types.PlainTextOption {
  return option(`${t.bot.statusIcon[status]} ${t.bot.statusLabel[status]}`, status);
}

function textInput(
  blockId: string,
  label: string,
  options: { hint?: string; placeholder?: string; multiline?: boolean; initial?: string; optional?: boolean },
): types.InputBlock {
  return {
    type: "input",
    block_id: blockId,
    optional: options.optional ?? true,
    label: plain(label, 2000),
    ...(options.hint && { hint: plain(options.hint, 2000) }),
    element: {
      type: "plain_text_input",
      action_id: "value",
      ...(options.multiline && { multiline: true }),
      ...(options.placeholder && { placeholder: plain(options.placeholder, 150) }),
      ...(options.initial && { initial_value: options.initial }),
    },
  };
}

export interface ReportValues {
  duty: string | null;
  status: DutyStatus | null;
  percent: string;
  note: string;
  figures: { code: string; value: string }[];
}

export const FIGURE_BLOCK = "figure:";

/** The report form for a contact's agency; `values` and `notice` when it is shown again after a refusal. */
export function reportModal(
  t: Messages,
  agency: AgencyOverview,
  options: { duty?: string; values?: ReportValues; notice?: string } = {},
): types.ModalView {
  const r = t.slack.reportModal;
  const values = options.values;
  const selectedStatus = values?.status ?? null;
  const blocks: Block[] = [
    ...(options.notice ? textBlocks(options.notice) : []),
    section(r.intro(agencyLabel(t, agency.agency))),
    {
      type: "input",
      block_id: "duty",
      label: plain(r.duty),
      element: dutySelect(t, agency.duties, values?.duty ?? options.duty),
    },
    {
      type: "input",
      block_id: "status",
      label: plain(r.status),
      element: {
        type: "static_select",
        action_id: "value",
        placeholder: plain(r.statusPlaceholder, 150),
        options: DUTY_STATUSES.map((s) => statusOption(t, s)),
        ...(selectedStatus && { initial_option: statusOption(t, selectedStatus) }),
      },
    },
    textInput("percent", r.percent, { hint: r.percentHint, placeholder: "60", initial: values?.percent }),
    textInput("note", r.note, { hint: r.noteHint, multiline: true, initial: values?.note }),
  ];
  if (agency.indicators.length > 0) {
    blocks.push({ type: "divider" }, section(r.figuresHeader));
    for (const indicator of agency.indicators) {
      const initial = values?.figures.find((f) => f.code === indicator.code)?.value;
      blocks.push(
        textInput(`${FIGURE_BLOCK}${indicator.code}`, r.figure(indicator.code, indicator.name), {
          placeholder: "1.120.000",
          initial,
        }),
      );
    }
  }
  return modal(t, REPORT_MODAL, r.title, blocks, { submit: r.submit, close: r.cancel });
}

type StateValues = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value: string } | null }>
>;

function stateValues(view: { state: { values: unknown } }): StateValues {
  return view.state.values as StateValues;
}

export function readReportValues(view: { state: { values: unknown } }): ReportValues {
  const values = stateValues(view);
  const text = (block: string) => values[block]?.value?.value ?? "";
  const status = values.status?.value?.selected_option?.value ?? null;
  return {
    duty: values.duty?.value?.selected_option?.value ?? null,
    status: status !== null && isDutyStatus(status) ? status : null,
    percent: text("percent").trim(),
    note: text("note").trim(),
    figures: Object.keys(values)
      .filter((block) => block.startsWith(FIGURE_BLOCK))
      .map((block) => ({ code: block.slice(FIGURE_BLOCK.length), value: text(block).trim() }))
      .filter((f) => f.value !== ""),
  };
}

/** The core's reply as a field error: one paragraph, short enough for the space under a field. */
export function fieldError(text: string): string {
  return clip(text.replace(/\s*\n\s*/g, " ").trim(), FIELD_ERROR_MAX);
}

export interface SlackFile {
  id: string;
  name: string;
  mimetype?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
}

export interface SubmitValues {
  number: string;
  /** YYYY-MM-DD as Slack's date picker gives it. */
  date: string | null;
  file: SlackFile | null;
}

/** The agency's duties as they stand, the document's number and date and its file: step one of two. */
export function submitModal(t: Messages, person: PersonOverview, agency: AgencyOverview): types.ModalView {
  const s = t.slack.submitModal;
  const header = person.plan
    ? t.bot.duties.header(
        agencyLabel(t, agency.agency),
        person.plan.reportDeadline,
        t.bot.daysLeft(person.plan.daysLeft),
        agency.submitted,
      )
    : agencyLabel(t, agency.agency);
  const blocks: Block[] = [
    ...textBlocks(`${header}\n\n${dutyList(t, agency.duties)}`),
    textInput("number", s.number, { placeholder: s.numberPlaceholder }),
    {
      type: "input",
      block_id: "date",
      optional: true,
      label: plain(s.date),
      element: { type: "datepicker", action_id: "value" },
    },
    {
      type: "input",
      block_id: "file",
      optional: true,
      label: plain(s.file),
      element: { type: "file_input", action_id: "value", max_files: 1 },
    },
  ];
  // The inputs must stay when the list is long: keep the last three blocks, trim the text before them.
  const trimmed =
    blocks.length > VIEW_MAX_BLOCKS ? [...blocks.slice(0, VIEW_MAX_BLOCKS - 3), ...blocks.slice(-3)] : blocks;
  return modal(t, SUBMIT_MODAL, s.title, trimmed, { submit: s.next, close: s.cancel });
}

export function readSubmitValues(view: { state: { values: unknown } }): SubmitValues {
  const values = view.state.values as Record<
    string,
    Record<string, { value?: string | null; selected_date?: string | null; files?: SlackFile[] }>
  >;
  return {
    number: (values.number?.value?.value ?? "").trim(),
    date: values.date?.value?.selected_date ?? null,
    file: values.file?.value?.files?.[0] ?? null,
  };
}

/** Step two: the core's preview of what will be submitted, sent with "Gửi báo cáo". */
/** `confirm` is the core's label for it: "Nộp không kèm tệp" when the file sent did not arrive. */
export function confirmModal(t: Messages, preview: string, confirm = t.bot.submit.confirm): types.ModalView {
  return modal(
    t,
    SUBMIT_CONFIRM_MODAL,
    t.slack.submitModal.confirmTitle,
    textBlocks(preview),
    { submit: confirm, close: t.bot.submit.cancel },
    // Closing it is the "Hủy" of the chat: the core's open submission is cancelled.
    { notify_on_close: true },
  );
}

/** A closing word in place of the form (the answer came after Slack's 3 seconds, or there is nothing to fix). */
export function messageModal(t: Messages, text: string): types.ModalView {
  return modal(t, "message", t.slack.title, textBlocks(text), { close: t.slack.close });
}
