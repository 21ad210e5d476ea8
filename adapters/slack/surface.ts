import type { RespondFn, types, webApi } from "@slack/bolt";
import {
  MAX_INCOMING_FILE_BYTES,
  type IncomingAttachment,
  type IncomingEvent,
  type PlatformIdentity,
  type Reply,
  type SubmissionPreview,
  type UseCaseInput,
  type UseCaseName,
  type UseCaseResult,
} from "../../src/model/bot-core.ts";
import type { AdapterHost, AgencyOverview, PersonOverview } from "../../src/delivery/adapter-host.ts";
import { splitMessage } from "../../src/delivery/split-message.ts";
import type { OutgoingFile, OutgoingMessage } from "../../src/model/messages.ts";
import { messagesFor, type Messages } from "../../src/i18n/index.ts";
import type { Logger } from "../../src/lib/logger.ts";
import { retryAfterSeconds } from "./errors.ts";
import { contactHome, textHome } from "./home.ts";
import {
  confirmModal,
  FIGURE_BLOCK,
  fieldError,
  messageModal,
  processingModal,
  reportModal,
  submitModal,
  type ReportValues,
  type SlackFile,
  type SubmitValues,
} from "./modals.ts";
import { CHOICE_KEY_ACTION, renderMessage, valueEncoder, type ValueEncoder } from "./render.ts";

// What the listeners share: who a Slack user is to the core, where answers go (the response URL, the
// DM, an ephemeral message), the forms and App Home. Everything the core decides arrives here as
// its replies; the forms only choose where to show them.

export const SLACK_PLATFORM = "slack";
/** Characters per message: Slack's limit for a section's text. */
export const SLACK_MAX_MESSAGE_LENGTH = 3000;
/** A response URL takes at most five messages. */
const RESPOND_MAX_MESSAGES = 5;
/** Replies wait this long at most for a rate limit to pass; pushes leave it to the outbox. */
const REPLY_MAX_WAIT_SECONDS = 30;
const DOWNLOAD_TIMEOUT_MS = 60_000;

type WebClient = webApi.WebClient;
type FormAck = (response?: Record<string, unknown>) => Promise<void>;

/** How a form submission ends. */
export type FormResult =
  /** Recorded: the form closes and the replies go to the DM. */
  | { kind: "close"; replies: Reply[] }
  /** Refused: the errors go next to their fields; `saved` were recorded before the refusal. */
  | { kind: "errors"; errors: Record<string, string>; saved: Reply[]; later: () => Promise<types.ModalView> }
  /** The form becomes this view (the next step, or a closing word). */
  | { kind: "view"; view: types.ModalView };

export interface SlackSurface {
  readonly host: AdapterHost;
  readonly logger: Logger;
  track(work: Promise<unknown>): void;
  t(locale?: string): Messages;
  /** The person's account as the core knows it: their user id, and their DM with the bot as the chat. */
  identity(userId: string, known?: { dm?: string | undefined; name?: string | undefined }): Promise<PlatformIdentity>;
  /** Someone writing in a channel: the core only asks them to write privately. */
  groupIdentity(userId: string, channel: string): Promise<PlatformIdentity>;
  /** The core's answer to an event; a contact's App Home is refreshed after it. */
  handle(event: IncomingEvent): Promise<Reply[]>;
  /** A typed use case for the person behind `from`; a contact's App Home is refreshed after it. */
  run<N extends UseCaseName>(from: PlatformIdentity, name: N, input: UseCaseInput<N>): Promise<UseCaseResult<N>>;
  post(channel: string, replies: readonly OutgoingMessage[]): Promise<void>;
  postEphemeral(channel: string, user: string, replies: readonly OutgoingMessage[]): Promise<void>;
  /** Through the response URL (only the person sees it), or in the DM when there is none or it cannot take them. */
  answer(
    respond: RespondFn | null | undefined,
    from: PlatformIdentity,
    replies: readonly OutgoingMessage[],
  ): Promise<void>;
  choiceValue(actionId: string, value: string): Promise<string>;
  download(file: SlackFile): Promise<IncomingAttachment>;
  /** False when the person has no report form (not a contact, no duties) or Slack refused to open it. */
  openReportModal(triggerId: string, userId: string, duty?: string): Promise<boolean>;
  openSubmitModal(triggerId: string, userId: string): Promise<boolean>;
  submitReport(userId: string, values: ReportValues, t: Messages): Promise<FormResult>;
  submitDocument(userId: string, values: SubmitValues, t: Messages): Promise<FormResult>;
  confirmSubmission(userId: string, t: Messages): Promise<FormResult>;
  cancelSubmission(userId: string): Promise<void>;
  /**
   * Answers a form submission: within Slack's 3 seconds with the result when the core is quick
   * (errors must come in the acknowledgement itself), else with "recording…" and the result later.
   */
  answerForm(ack: FormAck, viewId: string, userId: string, t: Messages, work: Promise<FormResult>): Promise<void>;
  publishHome(userId: string, dm?: string): Promise<void>;
}

function textOf(replies: readonly OutgoingMessage[]): string {
  return replies.map((r) => r.text).join("\n\n");
}

function contactAgency(overview: PersonOverview | null): AgencyOverview | null {
  if (!overview?.active || overview.role !== "contact") return null;
  return overview.agency && overview.agency.duties.length > 0 ? overview.agency : null;
}

interface SurfaceDeps {
  host: AdapterHost;
  client: WebClient;
  botToken: string;
  logger: Logger;
  track: (work: Promise<unknown>) => void;
  formBudgetMs: number;
}

/** The surface's dependencies and what it remembers in this process. */
interface Surface extends SurfaceDeps {
  encode: ValueEncoder;
  dms: Map<string, string>;
  names: Map<string, string>;
  /** What each person's App Home shows, once they have opened it in this process. */
  homes: Map<string, "contact" | "text">;
}

export function createSurface(deps: SurfaceDeps): SlackSurface {
  const { host, logger, track } = deps;
  const s: Surface = {
    ...deps,
    encode: valueEncoder((value) => host.store.keyForValue(value)),
    dms: new Map(),
    names: new Map(),
    homes: new Map(),
  };
  return {
    host,
    logger,
    track,
    t: (locale) => messagesFor(locale),
    identity: (userId, known) => identity(s, userId, known),
    groupIdentity: async (userId, channel) => ({
      platform: SLACK_PLATFORM,
      userId,
      chatId: channel,
      displayName: await nameOf(s, userId),
      privateChat: false,
    }),
    async handle(event) {
      const replies = await host.core.handle(event);
      refreshHome(s, event.from.userId);
      return replies;
    },
    async run(from, name, input) {
      const result = await host.core.run(from, name, input);
      refreshHome(s, from.userId);
      return result;
    },
    post: (channel, replies) => post(s, channel, replies),
    postEphemeral: (channel, user, replies) => postEphemeral(s, channel, user, replies),
    answer: (respond, from, replies) => answer(s, respond, from, replies),
    async choiceValue(actionId, value) {
      if (!actionId.startsWith(`${CHOICE_KEY_ACTION}:`)) return value;
      // A pruned key (a month-old button) becomes a value the core answers as stale.
      return (await host.store.valueForKey(value)) ?? "";
    },
    download: (file) => download(s, file),
    async openReportModal(triggerId, userId, duty) {
      const overview = await overviewOf(s, userId);
      const agency = contactAgency(overview);
      if (!overview || !agency) return false;
      return openModal(s, triggerId, reportModal(messagesFor(overview.locale), agency, { ...(duty && { duty }) }));
    },
    async openSubmitModal(triggerId, userId) {
      const overview = await overviewOf(s, userId);
      const agency = contactAgency(overview);
      if (!overview || !agency) return false;
      return openModal(s, triggerId, submitModal(messagesFor(overview.locale), overview, agency));
    },
    submitReport: (userId, values, t) => submitReport(s, userId, values, t),
    submitDocument: (userId, values, t) => submitDocument(s, userId, values, t),
    confirmSubmission: (userId, t) => confirmSubmission(s, userId, t),
    async cancelSubmission(userId) {
      await host.core.run(await identity(s, userId), "cancelSubmission", {});
    },
    answerForm: (ack, viewId, userId, t, work) => answerForm(s, { ack, viewId, userId, t }, work),
    publishHome: (userId, dm) => publishHome(s, userId, dm),
  };
}

/** A reply waits out a short rate limit instead of being lost. */
async function patiently<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const wait = retryAfterSeconds(error);
      if (wait === null || attempt >= 2 || wait > REPLY_MAX_WAIT_SECONDS) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  }
}

async function dmChannel(s: Surface, userId: string): Promise<string> {
  const known = s.dms.get(userId);
  if (known) return known;
  const opened = await patiently(() => s.client.conversations.open({ users: userId }));
  const id = opened.channel?.id;
  if (!id) throw new Error("slack: conversations.open returned no channel");
  s.dms.set(userId, id);
  return id;
}

async function nameOf(s: Surface, userId: string, fallback?: string): Promise<string> {
  const known = s.names.get(userId);
  if (known) return known;
  try {
    const { user } = await s.client.users.info({ user: userId });
    const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
    if (name) {
      s.names.set(userId, name);
      return name;
    }
  } catch (error) {
    s.logger.warn({ err: error, userId }, "slack: users.info failed");
  }
  return fallback || userId;
}

async function identity(
  s: Surface,
  userId: string,
  known: { dm?: string | undefined; name?: string | undefined } = {},
): Promise<PlatformIdentity> {
  if (known.dm) s.dms.set(userId, known.dm);
  const chatId = await dmChannel(s, userId);
  return {
    platform: SLACK_PLATFORM,
    userId,
    chatId,
    displayName: await nameOf(s, userId, known.name),
    privateChat: true,
  } satisfies PlatformIdentity;
}

function overviewOf(s: Surface, userId: string): Promise<PersonOverview | null> {
  return s.host.queries?.personOverview({ platform: SLACK_PLATFORM, userId }) ?? Promise.resolve(null);
}

async function upload(s: Surface, channel: string, file: OutgoingFile): Promise<void> {
  await patiently(() =>
    s.client.filesUploadV2({
      channel_id: channel,
      file: Buffer.from(file.content),
      filename: file.name,
      title: file.name,
    }),
  );
}

async function post(s: Surface, channel: string, replies: readonly OutgoingMessage[]): Promise<void> {
  for (const reply of replies) {
    for (const part of splitMessage(reply, SLACK_MAX_MESSAGE_LENGTH)) {
      const rendered = await renderMessage(part, s.encode);
      await patiently(() =>
        s.client.chat.postMessage({ channel, ...rendered, unfurl_links: false, unfurl_media: false }),
      );
      if (part.file) await upload(s, channel, part.file);
    }
  }
}

async function postEphemeral(
  s: Surface,
  channel: string,
  user: string,
  replies: readonly OutgoingMessage[],
): Promise<void> {
  for (const reply of replies) {
    for (const part of splitMessage(reply, SLACK_MAX_MESSAGE_LENGTH)) {
      const rendered = await renderMessage(part, s.encode);
      await patiently(() => s.client.chat.postEphemeral({ channel, user, ...rendered }));
    }
  }
}

async function answer(
  s: Surface,
  respond: RespondFn | null | undefined,
  from: PlatformIdentity,
  replies: readonly OutgoingMessage[],
): Promise<void> {
  const parts = replies.flatMap((r) => splitMessage(r, SLACK_MAX_MESSAGE_LENGTH));
  if (!respond || parts.length > RESPOND_MAX_MESSAGES || parts.some((p) => p.file)) {
    await post(s, from.chatId, replies);
    return;
  }
  for (const [index, part] of parts.entries()) {
    try {
      await respond({ response_type: "ephemeral", replace_original: false, ...(await renderMessage(part, s.encode)) });
    } catch (error) {
      // An expired response URL (30 minutes, five messages): the rest goes to the DM.
      s.logger.warn({ err: error }, "slack: response URL refused, answering in the DM");
      await post(s, from.chatId, parts.slice(index));
      return;
    }
  }
}

async function publishHome(s: Surface, userId: string, dm?: string): Promise<void> {
  if (dm) s.dms.set(userId, dm);
  const overview = await overviewOf(s, userId);
  const t = messagesFor(overview?.locale);
  const agency = overview && contactAgency(overview);
  let view: types.HomeView;
  if (overview && agency) {
    view = contactHome(t, overview, agency);
    s.homes.set(userId, "contact");
  } else {
    // Coordinators see their overview; anyone else what the help tells them (how to join, or that they left).
    const { replies } = await s.host.core.run(await identity(s, userId), "home", {});
    view = textHome(t, replies);
    s.homes.set(userId, "text");
  }
  await patiently(() => s.client.views.publish({ user_id: userId, view }));
}

function refreshHome(s: Surface, userId: string): void {
  // A contact's tab is cheap to redraw; a coordinator's would rerun /tongquan after every command.
  if (s.homes.get(userId) !== "contact") return;
  s.track(
    publishHome(s, userId).catch((error: unknown) => s.logger.warn({ err: error }, "slack: App Home refresh failed")),
  );
}

async function openModal(s: Surface, triggerId: string, view: types.ModalView): Promise<boolean> {
  try {
    await s.client.views.open({ trigger_id: triggerId, view });
    return true;
  } catch (error) {
    // The trigger lasts 3 seconds; past it the chat's way still works.
    s.logger.warn({ err: error }, "slack: a form could not be opened");
    return false;
  }
}

/** The file with its bytes, or with the reason they could not be had: the core tells the person. */
async function download(s: Surface, file: SlackFile): Promise<IncomingAttachment> {
  const attachment: IncomingAttachment = {
    name: file.name,
    ref: file.id,
    ...(file.mimetype && { mimeType: file.mimetype }),
    ...(file.size !== undefined && { size: file.size }),
  };
  const url = file.url_private_download ?? file.url_private;
  // Larger files are not fetched at all.
  if ((file.size ?? 0) > MAX_INCOMING_FILE_BYTES) return { ...attachment, problem: "too_large" };
  if (!url) return { ...attachment, problem: "download_failed" };
  try {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${s.botToken}` },
      signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const content = new Uint8Array(await response.arrayBuffer());
    if (content.length > MAX_INCOMING_FILE_BYTES) return { ...attachment, problem: "too_large" };
    return { ...attachment, content };
  } catch (error) {
    s.logger.warn({ err: error, file: file.id }, "slack: file download failed");
    return { ...attachment, problem: "download_failed" };
  }
}

/** A refusal shown next to its fields; `saved` were recorded before it, `later` shows it past the 3 seconds. */
function refusal(errors: Record<string, string>, saved: Reply[], later: (message: string) => Promise<types.ModalView>) {
  const shown = Object.fromEntries(Object.entries(errors).map(([field, text]) => [field, fieldError(text)]));
  const message = Object.values(shown).join(" ");
  return { kind: "errors", errors: shown, saved, later: () => later(message) } satisfies FormResult;
}

/** The core's refusal by field, or, when it concerns none (not joined, no plan), its words on `field`. */
function fieldErrors(
  result: { errors: Partial<Record<string, string>>; replies: Reply[] },
  field: (name: string) => string,
  fallback: string,
): Record<string, string> {
  const entries = Object.entries(result.errors).flatMap(([name, text]) => (text ? [[field(name), text] as const] : []));
  return entries.length ? Object.fromEntries(entries) : { [fallback]: textOf(result.replies) };
}

async function submitReport(s: Surface, userId: string, values: ReportValues, t: Messages): Promise<FormResult> {
  const from = await identity(s, userId);
  const saved: Reply[] = [];
  const refuse = (errors: Record<string, string>) =>
    refusal(errors, saved, async (message) => {
      const agency = contactAgency(await overviewOf(s, userId));
      const notice = `${t.slack.reportModal.notice} ${message}`;
      return agency ? reportModal(t, agency, { values, notice }) : messageModal(t, notice);
    });
  for (const figure of values.figures) {
    const input = { indicator: figure.code, participants: figure.value };
    const result = await s.host.core.run(from, "recordFigure", input);
    const block = `${FIGURE_BLOCK}${figure.code}`;
    if (!result.ok) return refuse(fieldErrors(result, () => block, block));
    saved.push(...result.replies);
  }
  const { duty, status, percent, note } = values;
  const result = await s.host.core.run(from, "reportProgress", {
    duty: duty ?? "",
    status,
    percent: percent || null,
    note: note || null,
  });
  if (result.ok) return { kind: "close", replies: [...saved, ...result.replies] };
  return refuse(fieldErrors(result, (field) => field, "duty"));
}

function confirmView(t: Messages, preview: SubmissionPreview): FormResult {
  return { kind: "view", view: confirmModal(t, preview.text, preview.confirm) };
}

async function submitDocument(s: Surface, userId: string, values: SubmitValues, t: Messages): Promise<FormResult> {
  const from = await identity(s, userId);
  const attachment = values.file ? await download(s, values.file) : undefined;
  const result = await s.host.core.run(from, "previewSubmission", {
    documentNumber: values.number || null,
    documentDate: values.date,
    ...(attachment && { attachment }),
  });
  if (result.ok) return confirmView(t, result.value);
  return refusal(
    fieldErrors(result, (field) => field, "number"),
    [],
    async () => messageModal(t, textOf(result.replies)),
  );
}

async function confirmSubmission(s: Surface, userId: string, t: Messages): Promise<FormResult> {
  const result = await s.host.core.run(await identity(s, userId), "confirmSubmission", {});
  const value = result.ok ? result.value : null;
  if (value?.sent) return { kind: "close", replies: result.replies };
  // Shown again: someone reported meanwhile, and the person confirms what they now see.
  if (value?.sent === false && value.preview) return confirmView(t, value.preview);
  return { kind: "view", view: messageModal(t, textOf(result.replies)) };
}

async function afterForm(s: Surface, userId: string, result: FormResult): Promise<void> {
  const replies = result.kind === "close" ? result.replies : result.kind === "errors" ? result.saved : [];
  if (replies.length > 0) await post(s, await dmChannel(s, userId), replies);
  if (result.kind !== "view") refreshHome(s, userId);
}

async function answerForm(
  s: Surface,
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
  await ack({ response_action: "update", view: processingModal(t) });
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
