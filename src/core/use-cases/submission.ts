import type { Agency } from "../../generated/prisma/client.ts";
import type { Messages } from "../../i18n/index.ts";
import { agencyLabel, at, dutyList } from "../../i18n/views.ts";
import type { LocalDate } from "../../lib/time.ts";
import { localDate } from "../../lib/time.ts";
import {
  MAX_INCOMING_FILE_BYTES,
  type AttachmentProblem,
  type IncomingAttachment,
  type SubmissionPreview,
  type UseCaseField,
  type UseCaseValue,
} from "../../model/bot-core.ts";
import { encodeChoice } from "../../model/choices.ts";
import type { Choice } from "../../model/messages.ts";
import { storeIncomingFile, type StoredAttachment } from "../../services/file-service.ts";
import type { DutyState } from "../../services/status-service.ts";
import { submitReport } from "../../services/submission-service.ts";
import { memberOf, planOf, type Ctx } from "../context.ts";
import type { FlowState } from "../conversation.ts";
import { agencyState, contactAgency } from "../features/shared.ts";
import { done, type Outcome, type Refusal } from "./outcome.ts";

// The agency's report: previewed with its document's number, date and file, then confirmed. The
// chat's /nopbaocao and the submission form both end here.

type SubmitField = UseCaseField<"previewSubmission">;

export interface SubmitData {
  documentNumber: string | null;
  documentDate: string | null;
  attachment: StoredAttachment | null;
  /** Fingerprint of the duties as last shown to the contact. */
  shown: string;
}

/** What is wrong with a document's number or date, whether typed in the chat or given in a form. */
export type DocumentError =
  | { error: "bad_date"; token: string }
  | { error: "date_future"; date: LocalDate }
  | { error: "date_too_early"; date: LocalDate }
  | { error: "two_dates" }
  | { error: "extra_word"; token: string }
  | { error: "number_too_long" };

const DOCUMENT_NUMBER_MAX = 60;

/** The document is dated today or earlier, and not before 1 January of the plan's year. */
export function checkDocumentDate(date: LocalDate, year: number, today: LocalDate): DocumentError | null {
  if (date > today) return { error: "date_future", date };
  if (date < `${year}-01-01`) return { error: "date_too_early", date };
  return null;
}

/** A document's number is one word ("45/BC-SNV") of at most 60 characters. */
export function checkDocumentNumber(number: string): DocumentError | null {
  const words = number.split(/\s+/).filter(Boolean);
  if (words.length > 1) return { error: "extra_word", token: words[1]! };
  return number.length > DOCUMENT_NUMBER_MAX ? { error: "number_too_long" } : null;
}

export function documentErrorText(t: Messages, e: DocumentError, year: number): string {
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

function documentRefusal(t: Messages, e: DocumentError, year: number): Refusal<SubmitField> {
  const field = e.error === "extra_word" || e.error === "number_too_long" ? "number" : "date";
  return { ok: false, field, text: documentErrorText(t, e, year), outcome: `submit.${e.error}` };
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
    platform: ctx.from.platform,
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
): { text: string; confirm: string } {
  const s = t.bot.submit;
  const why = s.fileNotReceived({
    name: attachment.name,
    problem,
    size: attachment.size ?? attachment.content?.byteLength ?? null,
    max: MAX_INCOMING_FILE_BYTES,
  });
  return kept
    ? { text: `${why}\n${s.stillAttached(kept.name)}`, confirm: s.confirm }
    : { text: `${why}\n${s.withoutFileHint}`, confirm: s.submitWithoutFile };
}

/** "Gửi báo cáo" and "Hủy"; the first is "Nộp không kèm tệp" when a file sent did not arrive. */
export function confirmChoices(t: Messages, confirm = t.bot.submit.confirm): Choice[][] {
  return [
    [{ label: confirm, value: encodeChoice({ kind: "confirm", flow: "submit", answer: "confirm" }) }],
    [{ label: t.bot.submit.cancel, value: encodeChoice({ kind: "confirm", flow: "submit", answer: "cancel" }) }],
  ];
}

/** What the contact confirms is what was shown: the duties' state is kept with the flow. */
function fingerprint(duties: readonly DutyState[]): string {
  return JSON.stringify(duties.map((d) => [d.code, d.status, d.percent, d.note]));
}

/** Checks the document, keeps the file and shows the preview, which waits for its confirmation. */
export async function previewSubmission(
  ctx: Ctx,
  input: { documentNumber: string | null; documentDate: LocalDate | null; attachment?: IncomingAttachment },
): Promise<Outcome<SubmissionPreview, SubmitField>> {
  const { t } = ctx;
  const plan = planOf(ctx);
  const agency = contactAgency(ctx);
  const error =
    (input.documentNumber && checkDocumentNumber(input.documentNumber)) ||
    (input.documentDate && checkDocumentDate(input.documentDate, plan.year, localDate(ctx.now)));
  if (error) return documentRefusal(t, error, plan.year);
  const { documentNumber, documentDate, attachment } = input;
  const kept = attachment ? await keepAttachment(ctx, attachment) : null;
  if (typeof kept === "string") {
    const refused = notReceived(t, attachment!, kept, null);
    return done(await showPreview(ctx, agency, { documentNumber, documentDate, attachment: null, shown: "" }, refused));
  }
  return done(await showPreview(ctx, agency, { documentNumber, documentDate, attachment: kept, shown: "" }));
}

async function showPreview(
  ctx: Ctx,
  agency: Agency,
  data: SubmitData,
  notice?: { text: string; confirm?: string },
): Promise<SubmissionPreview> {
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
  const confirm = notice?.confirm ?? t.bot.submit.confirm;
  ctx.reply(text, confirmChoices(t, confirm), "submit.preview");
  return { text, confirm };
}

/** A file sent while the preview waits: kept and confirmed once stored, otherwise said plainly. */
export async function takeAttachment(
  ctx: Ctx,
  state: FlowState<"submit">,
  attachment: IncomingAttachment,
): Promise<void> {
  const { t } = ctx;
  const kept = await keepAttachment(ctx, attachment);
  if (typeof kept === "string") {
    // The flow stays as it was: a file kept before is still the one the submission carries.
    const refused = notReceived(t, attachment, kept, state.data.attachment);
    ctx.reply(refused.text, confirmChoices(t, refused.confirm), "submit.file_not_received");
    return;
  }
  await ctx.setFlow({ ...state, data: { ...state.data, attachment: kept } });
  ctx.reply(t.bot.submit.attachmentNoted(kept.name), confirmChoices(t));
}

/** The file a submission is presented with: only one whose bytes are stored. */
function storedFileName(submission: { attachmentName: string | null; attachmentFileId: number | null }) {
  return submission.attachmentFileId === null ? null : submission.attachmentName;
}

type Confirmed = UseCaseValue<"confirmSubmission">;

/** Sends the previewed submission; a preview again when another contact reported meanwhile. */
export async function confirmSubmission(ctx: Ctx, state: FlowState<"submit">): Promise<Confirmed> {
  const { t } = ctx;
  const data: SubmitData = state.data;
  const plan = planOf(ctx);
  const { person } = memberOf(ctx);
  const agency = contactAgency(ctx);
  // Another contact of the agency may have reported since the preview: show it again rather than
  // submit something the person did not see.
  if (fingerprint((await agencyState(ctx, agency)).duties) !== data.shown) {
    return { sent: false, preview: await showPreview(ctx, agency, data, { text: t.bot.submit.changed }) };
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
        attachment: data.attachment ? { ...data.attachment, platform: ctx.from.platform } : null,
      },
    );
    const finished = submitted.items.filter((i) => i.status === "done").length;
    await ctx.notifyCoordinators(
      (tc) => ({
        text: tc.bot.submit.received(
          `${agency.code} ${agencyLabel(tc, agency)}`,
          person.displayName,
          at(submitted.submittedAt),
          submitted.onTime,
          finished,
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
    return { sent: false, preview: null };
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
  return { sent: true };
}
