import { shortTitle } from "../domain/short-title.ts";
import { messagesFor, type Locale, type Messages } from "../i18n/index.ts";
import { agencyLabel, dutyLine, dutyList } from "../i18n/views.ts";
import type { BotCore, IncomingAttachment, PlatformIdentity, Reply, SubmissionPreview } from "../model/bot-core.ts";
import { DUTY_STATUSES, isDutyStatus, type DutyStatus } from "../model/duty-status.ts";
import type { AgencyOverview, PersonOverview } from "./adapter-host.ts";

// The forms a platform shows before anyone types (Slack's modals): what each asks, in the person's
// words, and how its answers go to the core's typed use cases. A platform only draws the fields and
// hands back what was entered, by field id; every decision about content and order is made here.

export interface FormOption {
  label: string;
  value: string;
}

export type FormField =
  | {
      kind: "select";
      id: string;
      label: string;
      placeholder: string;
      options: FormOption[];
      initial?: string | undefined;
      /** How a platform that must show many options in groups labels one (options `from` to `to`). */
      group?: (from: number, to: number) => string;
    }
  | {
      kind: "text";
      id: string;
      label: string;
      hint?: string;
      placeholder?: string;
      multiline?: boolean;
      initial?: string | undefined;
    }
  | { kind: "date" | "file"; id: string; label: string }
  /** A heading between the fields. */
  | { kind: "heading"; text: string };

/** Selects must be answered; every other field may be left empty. */
export interface Form {
  locale: Locale;
  title: string;
  submit: string;
  close: string;
  /** The core's words above the fields (a duty list, a refusal), shown as the chat shows text. */
  text: string;
  /** A line of the form's own above the fields. */
  intro?: string;
  fields: FormField[];
}

/** What the report form's fields hold, read back by the platform. */
export interface ReportValues {
  duty: string | null;
  status: DutyStatus | null;
  percent: string;
  note: string;
  figures: { code: string; value: string }[];
}

export const FIGURE_FIELD = "figure:";

/** The agency a person reports for in a form: only an active contact's, and only while it has duties. */
export function reportingAgency(person: PersonOverview | null): AgencyOverview | null {
  if (!person?.active || person.role !== "contact") return null;
  return person.agency && person.agency.duties.length > 0 ? person.agency : null;
}

/** The agency's name with the plan's deadline, the days left and whether it submitted; null without a plan. */
export function agencyHeader(t: Messages, person: PersonOverview, agency: AgencyOverview): string | null {
  const plan = person.plan;
  const label = agencyLabel(t, agency.agency);
  return plan && t.bot.duties.header(label, plan.reportDeadline, t.bot.daysLeft(plan.daysLeft), agency.submitted);
}

/** The form a person opens, or null when they have none (not a contact, no duties). */
export function formFor(person: PersonOverview | null, kind: "report" | "submit", duty?: string): Form | null {
  const agency = reportingAgency(person);
  // An agency in several plans is first asked which plan, as the chat asks (a button per plan).
  if (!person || !agency || person.plans > 1) return null;
  const t = messagesFor(person.locale);
  return kind === "submit" ? submitForm(t, person, agency) : reportForm(t, agency, duty ? { duty } : {});
}

/** The report form shown again after a refusal known too late to show by the field, or null (no longer a contact). */
export function reportFormAgain(person: PersonOverview | null, values: ReportValues, refusal: string): Form | null {
  const agency = reportingAgency(person);
  const t = messagesFor(person?.locale);
  return agency && reportForm(t, agency, { values, notice: `${t.slack.reportModal.notice} ${refusal}` });
}

/** The report form for a contact's agency; `values` and `notice` when it is shown again after a refusal. */
export function reportForm(
  t: Messages,
  agency: AgencyOverview,
  options: { duty?: string; values?: ReportValues; notice?: string } = {},
): Form {
  const r = t.slack.reportModal;
  const { values } = options;
  const status = (s: DutyStatus) => ({ label: `${t.bot.statusIcon[s]} ${t.bot.statusLabel[s]}`, value: s });
  const fields: FormField[] = [
    {
      kind: "select",
      id: "duty",
      label: r.duty,
      placeholder: r.dutyPlaceholder,
      options: agency.duties.map((d) => ({
        label: `${t.bot.statusIcon[d.status]} ${d.code} ${shortTitle(d.text, 50)}`,
        value: d.code,
      })),
      initial: values?.duty ?? options.duty,
      group: r.dutyGroup,
    },
    {
      kind: "select",
      id: "status",
      label: r.status,
      placeholder: r.statusPlaceholder,
      options: DUTY_STATUSES.map(status),
      initial: values?.status ?? undefined,
    },
    { kind: "text", id: "percent", label: r.percent, hint: r.percentHint, placeholder: "60", initial: values?.percent },
    { kind: "text", id: "note", label: r.note, hint: r.noteHint, multiline: true, initial: values?.note },
  ];
  if (agency.indicators.length > 0) fields.push({ kind: "heading", text: r.figuresHeader });
  for (const indicator of agency.indicators) {
    fields.push({
      kind: "text",
      id: `${FIGURE_FIELD}${indicator.code}`,
      label: r.figure(indicator.code, indicator.name),
      placeholder: "1.120.000",
      initial: values?.figures.find((f) => f.code === indicator.code)?.value,
    });
  }
  const intro = r.intro(agencyLabel(t, agency.agency));
  return {
    locale: t.locale,
    title: r.title,
    submit: r.submit,
    close: r.cancel,
    text: options.notice ?? "",
    intro,
    fields,
  };
}

/** The agency's duties as they stand, the document's number and date and its file: step one of two. */
export function submitForm(t: Messages, person: PersonOverview, agency: AgencyOverview): Form {
  const s = t.slack.submitModal;
  const header = agencyHeader(t, person, agency) ?? agencyLabel(t, agency.agency);
  return {
    locale: t.locale,
    title: s.title,
    submit: s.next,
    close: s.cancel,
    text: `${header}\n\n${dutyList(t, agency.duties)}`,
    fields: [
      { kind: "text", id: "number", label: s.number, placeholder: s.numberPlaceholder },
      { kind: "date", id: "date", label: s.date },
      { kind: "file", id: "file", label: s.file },
    ],
  };
}

/** The report form's entries by field id as the use cases take them. */
export function reportValues(entries: Readonly<Record<string, string | null>>): ReportValues {
  const text = (id: string) => (entries[id] ?? "").trim();
  const status = entries.status ?? null;
  return {
    duty: entries.duty ?? null,
    status: status !== null && isDutyStatus(status) ? status : null,
    percent: text("percent"),
    note: text("note"),
    figures: Object.keys(entries)
      .filter((id) => id.startsWith(FIGURE_FIELD))
      .map((id) => ({ code: id.slice(FIGURE_FIELD.length), value: text(id) }))
      .filter((f) => f.value !== ""),
  };
}

/** How the core took a form. */
export type FormOutcome =
  /** Recorded: these are the replies. */
  | { kind: "done"; replies: Reply[] }
  /** Refused: the core's words by field id; `saved` were recorded before the refusal. */
  | { kind: "refused"; errors: Record<string, string>; saved: Reply[]; replies: Reply[] }
  /** The submission as it will be sent, to be confirmed. */
  | { kind: "preview"; preview: SubmissionPreview }
  /** Nothing to fix, only to say (the submission was sent already, or abandoned). */
  | { kind: "said"; replies: Reply[] };

/** The core's refusal by field, or, when it concerns none (not joined, no plan), its words on `fallback`. */
function refused(
  result: { errors: Partial<Record<string, string>>; replies: Reply[] },
  field: (name: string) => string,
  fallback: string,
  saved: Reply[] = [],
): FormOutcome {
  const entries = Object.entries(result.errors).flatMap(([name, text]) => (text ? [[field(name), text] as const] : []));
  const errors = entries.length ? Object.fromEntries(entries) : { [fallback]: textOf(result.replies) };
  return { kind: "refused", errors, saved, replies: result.replies };
}

export function textOf(replies: readonly Reply[]): string {
  return replies.map((r) => r.text).join("\n\n");
}

/** Each figure, then the progress; the first refusal stops there, with what was saved before it. */
export async function submitReport(core: BotCore, from: PlatformIdentity, values: ReportValues): Promise<FormOutcome> {
  const saved: Reply[] = [];
  for (const figure of values.figures) {
    const result = await core.run(from, "recordFigure", { indicator: figure.code, participants: figure.value });
    const id = `${FIGURE_FIELD}${figure.code}`;
    if (!result.ok) return refused(result, () => id, id, saved);
    saved.push(...result.replies);
  }
  const { duty, status, percent, note } = values;
  const input = { duty: duty ?? "", status, percent: percent || null, note: note || null };
  const result = await core.run(from, "reportProgress", input);
  if (result.ok) return { kind: "done", replies: [...saved, ...result.replies] };
  return refused(result, (field) => field, "duty", saved);
}

/** The submission form's number, date and file: the core's preview, or its refusal. */
export async function submitDocument(
  core: BotCore,
  from: PlatformIdentity,
  values: { number: string; date: string | null; attachment?: IncomingAttachment | undefined },
): Promise<FormOutcome> {
  const result = await core.run(from, "previewSubmission", {
    documentNumber: values.number || null,
    documentDate: values.date,
    ...(values.attachment && { attachment: values.attachment }),
  });
  return result.ok ? { kind: "preview", preview: result.value } : refused(result, (field) => field, "number");
}

/** The preview confirmed: sent, shown again (someone reported meanwhile), or why nothing was sent. */
export async function confirmSubmission(core: BotCore, from: PlatformIdentity): Promise<FormOutcome> {
  const result = await core.run(from, "confirmSubmission", {});
  const value = result.ok ? result.value : null;
  if (value?.sent) return { kind: "done", replies: result.replies };
  if (value?.sent === false && value.preview) return { kind: "preview", preview: value.preview };
  return { kind: "said", replies: result.replies };
}

export interface PageButton {
  label: string;
  /** What it opens: a form, or the chat's way in where no form opens. */
  opens: "report" | "submit";
  duty?: string;
}

/** A screen of the person's own (Slack's App Home), drawn by the platform. */
export interface Page {
  /** A contact's page follows their reports; anyone else's is the core's answer when opened. */
  kind: "contact" | "text";
  header: string;
  /** The core's words, each shown as the chat shows text. */
  texts: string[];
  buttons: PageButton[];
  /** A line each with its button; a platform that cannot show them all says how many are left. */
  items: { text: string; button: PageButton }[];
  more: (left: number) => string;
}

/**
 * A contact's duties with a "Báo cáo" button each; for everyone else, the core's own answer (a
 * coordinator's /tongquan, the way in for someone not yet joined).
 */
export async function homePage(
  core: BotCore,
  person: PersonOverview | null,
  from: () => Promise<PlatformIdentity>,
): Promise<Page> {
  const t = messagesFor(person?.locale);
  const agency = reportingAgency(person);
  const page = { header: t.slack.title, texts: [], buttons: [], items: [], more: t.slack.home.more };
  if (!person || !agency) {
    const { replies } = await core.run(await from(), "home", {});
    return { ...page, kind: "text", texts: replies.map((r) => r.text) };
  }
  const report = { label: t.slack.home.report, opens: "report" } as const;
  const submit = { label: t.slack.home.submit, opens: "submit" } as const;
  if (person.plans > 1) {
    // One plan's duties would hide the others': the core lists them per plan, nearest deadline
    // first, and the buttons ask which plan, as the chat does.
    const { replies } = await core.run(await from(), "home", {});
    return { ...page, kind: "contact", texts: replies.map((r) => r.text), buttons: [report, submit] };
  }
  return {
    ...page,
    kind: "contact",
    header: agencyLabel(t, agency.agency),
    texts: [agencyHeader(t, person, agency) ?? ""],
    buttons: [report, submit],
    items: agency.duties.map((d) => ({ text: dutyLine(t, d), button: { ...report, duty: d.code } })),
  };
}
