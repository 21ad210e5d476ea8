import { agencyContacts } from "../../services/contact-service.ts";
import { findAgency } from "../../services/plan-service.ts";
import { reopenSubmission, submitReport } from "../../services/submission-service.ts";
import { localDate, parseDayMonth, type LocalDate } from "../../lib/time.ts";
import { memberOf, planOf, type Ctx } from "../context.ts";
import type { FlowState } from "../conversation.ts";
import type { Messages } from "../../i18n/index.ts";
import { MAX_INCOMING_FILE_BYTES, type AttachmentProblem, type IncomingAttachment } from "../../model/bot-core.ts";
import type { Choice } from "../../model/messages.ts";
import { storeIncomingFile, type StoredAttachment } from "../../services/file-service.ts";
import { agencyLabel, at, dutyList, SUBMIT_CANCEL, SUBMIT_CONFIRM } from "../../i18n/views.ts";
import { allSentNow, outlookLines } from "../../delivery/delivery-views.ts";
import type { Agency } from "../../generated/prisma/client.ts";
import type { DutyState } from "../../services/status-service.ts";
import { agencyState, contactAgency, splitFirst } from "./shared.ts";

interface SubmitData {
  documentNumber: string | null;
  documentDate: string | null;
  attachment: StoredAttachment | null;
  /** Fingerprint of the duties as last shown to the contact. */
  shown: string;
}

type SubmitArgsError =
  | { error: "bad_date"; token: string }
  | { error: "date_future"; date: LocalDate }
  | { error: "date_too_early"; date: LocalDate }
  | { error: "two_dates" }
  | { error: "extra_word"; token: string }
  | { error: "number_too_long" };

const DOCUMENT_NUMBER_MAX = 60;
/** Anything made of digits and date separators is read as a date, never stored as a number. */
const DATE_LIKE = /^\d{1,4}[/.-]\d{1,4}(?:[/.-]\d{1,4})?$/;

/**
 * `/nopbaocao [SỐ_VĂN_BẢN] [dd/mm/yyyy]`, in either order. The document is dated today or
 * earlier, and not before 1 January of the plan's year; "10/12/26" is read as 10/12/2026.
 */
function parseSubmitArgs(
  args: string,
  year: number,
  today: LocalDate,
): Pick<SubmitData, "documentNumber" | "documentDate"> | SubmitArgsError {
  let documentNumber: string | null = null;
  let documentDate: LocalDate | null = null;
  for (const token of args.split(/\s+/).filter(Boolean)) {
    if (DATE_LIKE.test(token)) {
      if (documentDate) return { error: "two_dates" };
      const twoDigitYear = /^(\d{1,2}[/.-]\d{1,2}[/.-])(\d{2})$/.exec(token);
      const date = parseDayMonth(twoDigitYear ? `${twoDigitYear[1]}20${twoDigitYear[2]}` : token, year);
      if (!date) return { error: "bad_date", token };
      if (date > today) return { error: "date_future", date };
      if (date < `${year}-01-01`) return { error: "date_too_early", date };
      documentDate = date;
    } else if (documentNumber) {
      return { error: "extra_word", token };
    } else if (token.length > DOCUMENT_NUMBER_MAX) {
      return { error: "number_too_long" };
    } else {
      documentNumber = token;
    }
  }
  return { documentNumber, documentDate };
}

function submitArgsErrorText(t: Messages, e: SubmitArgsError, year: number): string {
  const s = t.bot.submit;
  switch (e.error) {
    case "bad_date":
      return s.badDate;
    case "date_future":
      return s.dateInFuture(e.date);
    case "date_too_early":
      return s.dateTooEarly(e.date, year);
    case "two_dates":
      return s.twoDates;
    case "extra_word":
      return s.extraWord(e.token);
    case "number_too_long":
      return s.numberTooLong(DOCUMENT_NUMBER_MAX);
  }
}

/** Why a file cannot be kept, or null when all of its bytes are here and within the limit. */
function attachmentProblem(attachment: IncomingAttachment): AttachmentProblem | null {
  if (attachment.problem) return attachment.problem;
  // An adapter that handed over no bytes and no reason: they were not had all the same.
  if (!attachment.content) return "download_failed";
  return attachment.content.byteLength > MAX_INCOMING_FILE_BYTES ? "too_large" : null;
}

/**
 * The bytes go to the database at once (a flow's state is JSON), and the flow keeps a reference.
 * A file whose bytes are not here is not kept at all: nothing about it is stored.
 */
async function keepAttachment(ctx: Ctx, attachment: IncomingAttachment): Promise<StoredAttachment | AttachmentProblem> {
  const problem = attachmentProblem(attachment);
  if (problem) return problem;
  const fileId = await storeIncomingFile(ctx.deps.db, {
    name: attachment.name,
    ...(attachment.mimeType && { mimeType: attachment.mimeType }),
    content: attachment.content!,
    personId: memberOf(ctx).person.id,
    platform: ctx.event.from.platform,
    ref: attachment.ref,
    now: ctx.now,
  });
  return { name: attachment.name, ref: attachment.ref, fileId };
}

/**
 * What the person reads about a file that did not arrive: that it was not received and why, and
 * what the submission now carries. Without any file it goes on only if they pick "without file".
 */
function notReceived(
  t: Messages,
  attachment: IncomingAttachment,
  problem: AttachmentProblem,
  kept: StoredAttachment | null,
): { text: string; choices: Choice[][] } {
  const s = t.bot.submit;
  const why = s.fileNotReceived({
    name: attachment.name,
    problem,
    size: attachment.size ?? attachment.content?.byteLength ?? null,
    max: MAX_INCOMING_FILE_BYTES,
  });
  return kept
    ? { text: `${why}\n${s.stillAttached(kept.name)}`, choices: confirmChoices(t) }
    : { text: `${why}\n${s.withoutFileHint}`, choices: confirmChoices(t, s.submitWithoutFile) };
}

export async function startSubmit(ctx: Ctx, args: string, attachment?: IncomingAttachment): Promise<void> {
  const { t } = ctx;
  const plan = planOf(ctx);
  const agency = contactAgency(ctx);
  const parsed = parseSubmitArgs(args, plan.year, localDate(ctx.now));
  if ("error" in parsed) {
    ctx.reply(
      `${submitArgsErrorText(t, parsed, plan.year)}\n${t.bot.submit.badArgs}`,
      undefined,
      `submit.${parsed.error}`,
    );
    return;
  }
  const kept = attachment ? await keepAttachment(ctx, attachment) : null;
  if (typeof kept === "string") {
    const refused = notReceived(t, attachment!, kept, null);
    await showPreview(ctx, agency, { ...parsed, attachment: null, shown: "" }, refused);
    return;
  }
  await showPreview(ctx, agency, { ...parsed, attachment: kept, shown: "" });
}

/** "Gửi báo cáo" and "Hủy"; the first is "Nộp không kèm tệp" when a file sent did not arrive. */
function confirmChoices(t: Messages, confirm = t.bot.submit.confirm): Choice[][] {
  return [[{ label: confirm, value: SUBMIT_CONFIRM }], [{ label: t.bot.submit.cancel, value: SUBMIT_CANCEL }]];
}

/** What the contact confirms is what was shown: the duties' state is kept with the flow. */
function fingerprint(duties: readonly DutyState[]): string {
  return JSON.stringify(duties.map((d) => [d.code, d.status, d.percent, d.note]));
}

async function showPreview(
  ctx: Ctx,
  agency: Agency,
  data: SubmitData,
  notice?: { text: string; choices?: Choice[][] },
): Promise<void> {
  const { t } = ctx;
  const state = await agencyState(ctx, agency);
  await ctx.setFlow({ flow: "submit", step: "confirm", data: { ...data, shown: fingerprint(state.duties) } });
  const doc = t.bot.submit.docLabel(data.documentNumber, data.documentDate) || null;
  const preview = t.bot.submit.preview(
    agencyLabel(t, agency),
    dutyList(t, state.duties),
    doc,
    state.duties.filter((d) => d.status !== "done").length,
    data.attachment?.name ?? null,
  );
  const text = notice ? `${notice.text}\n\n${preview}` : preview;
  ctx.reply(text, notice?.choices ?? confirmChoices(t), "submit.preview");
}

/** A file sent while the preview waits: kept and confirmed once stored, otherwise said plainly. */
async function takeAttachment(ctx: Ctx, state: FlowState<"submit">, attachment: IncomingAttachment): Promise<void> {
  const { t } = ctx;
  const kept = await keepAttachment(ctx, attachment);
  if (typeof kept === "string") {
    // The flow stays as it was: a file kept before is still the one the submission carries.
    const refused = notReceived(t, attachment, kept, state.data.attachment);
    ctx.reply(refused.text, refused.choices, "submit.file_not_received");
    return;
  }
  await ctx.setFlow({ ...state, data: { ...state.data, attachment: kept } });
  ctx.reply(t.bot.submit.attachmentNoted(kept.name), confirmChoices(t));
}

/** The file a submission is presented with: only one whose bytes are stored. */
function storedFileName(submission: { attachmentName: string | null; attachmentFileId: number | null }) {
  return submission.attachmentFileId === null ? null : submission.attachmentName;
}

export async function continueSubmit(
  ctx: Ctx,
  state: FlowState<"submit">,
  input: { choice?: string; text?: string; attachment?: IncomingAttachment },
): Promise<void> {
  const { t } = ctx;
  const data: SubmitData = state.data;
  if (input.attachment) return takeAttachment(ctx, state, input.attachment);
  if (input.choice === SUBMIT_CANCEL) {
    await ctx.endFlow();
    ctx.reply(t.bot.cancelled);
    return;
  }
  if (input.choice !== SUBMIT_CONFIRM) {
    ctx.reply(input.choice ? t.bot.staleChoice : t.bot.flowReminder, confirmChoices(t), "flow.stale");
    return;
  }
  const plan = planOf(ctx);
  const { person } = memberOf(ctx);
  const agency = contactAgency(ctx);
  // Another contact of the agency may have reported since the preview: show it again rather than
  // submit something the person did not see.
  if (fingerprint((await agencyState(ctx, agency)).duties) !== data.shown) {
    await showPreview(ctx, agency, data, { text: t.bot.submit.changed });
    return;
  }
  // The confirmation, the submission (superseding the previous one) and the coordinators' notice
  // are one step: if any fails, the preview stays open to confirm again.
  const submission = await ctx.transaction(async (within) => {
    if (!(await ctx.consumeFlow(state, within))) return null;
    const submitted = await submitReport(
      { db: within.tx, clock: ctx.deps.clock },
      {
        plan,
        person,
        agency,
        documentNumber: data.documentNumber,
        documentDate: data.documentDate,
        attachment: data.attachment ? { ...data.attachment, platform: ctx.event.from.platform } : null,
      },
    );
    const done = submitted.items.filter((i) => i.status === "done").length;
    await ctx.notifyCoordinators(
      (tc) => ({
        text: tc.bot.submit.received(
          `${agency.code} ${agencyLabel(tc, agency)}`,
          person.displayName,
          at(submitted.submittedAt),
          submitted.onTime,
          done,
          submitted.items.length,
          tc.bot.submit.docLabel(submitted.documentNumber, submitted.documentDate) || null,
          storedFileName(submitted),
        ),
      }),
      within,
    );
    return submitted;
  });
  if (!submission) {
    ctx.reply(t.bot.alreadyHandled, undefined, "flow.already_handled");
    return;
  }
  ctx.reply(
    t.bot.submit.done(
      agencyLabel(t, agency),
      at(submission.submittedAt),
      submission.onTime,
      t.bot.submit.docLabel(submission.documentNumber, submission.documentDate) || null,
      storedFileName(submission),
    ),
    undefined,
    "submit.done",
  );
}

/** A coordinator sends a submission back with a comment; the agency counts as not submitted again. */
export async function reopen(ctx: Ctx, args: string): Promise<void> {
  const { t } = ctx;
  const [query, comment] = splitFirst(args);
  if (!query || !comment) {
    ctx.reply(t.bot.submit.reopenUsage);
    return;
  }
  if (comment.length > 2000) {
    ctx.reply(t.bot.difficulty.tooLong);
    return;
  }
  const plan = planOf(ctx);
  const agency = await findAgency(ctx.deps.db, plan.id, query);
  const outlook = await ctx.transaction(async (within) => {
    await reopenSubmission({ db: within.tx, clock: ctx.deps.clock }, { agency, by: memberOf(ctx).person, comment });
    return ctx.pushFor(
      await agencyContacts(within.tx, agency.id),
      "notification",
      (tc) => ({ text: tc.bot.submit.reopenedNotice(agencyLabel(tc, agency), comment) }),
      within,
    );
  });
  // "Sent" only when it is: otherwise what waits for the morning, and who cannot be reached.
  const label = agencyLabel(t, agency);
  ctx.reply(
    allSentNow(outlook)
      ? t.bot.submit.reopened(label)
      : [t.delivery.outlook.reopened(label), ...outlookLines(t, outlook, t.delivery.outlook.comment, label)].join("\n"),
  );
}
