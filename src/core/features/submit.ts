import { agencyContacts } from "../../services/contact-service.ts";
import { findAgency } from "../../services/plan-service.ts";
import { reopenSubmission } from "../../services/submission-service.ts";
import { localDate, parseDayMonth, type LocalDate } from "../../lib/time.ts";
import { memberOf, planOf, type Ctx } from "../context.ts";
import type { FlowState } from "../conversation.ts";
import type { IncomingAttachment } from "../../model/bot-core.ts";
import { choiceOf } from "../../model/choices.ts";
import { agencyLabel } from "../../i18n/views.ts";
import { allSentNow, outlookLines } from "../../delivery/delivery-views.ts";
import {
  checkDocumentDate,
  checkDocumentNumber,
  confirmChoices,
  confirmSubmission,
  documentErrorText,
  previewSubmission,
  takeAttachment,
  type DocumentError,
} from "../use-cases/submission.ts";
import { splitFirst } from "../../domain/text.ts";

/** Anything made of digits and date separators is read as a date, never stored as a number. */
const DATE_LIKE = /^\d{1,4}[/.-]\d{1,4}(?:[/.-]\d{1,4})?$/;

interface DocumentArgs {
  documentNumber: string | null;
  documentDate: LocalDate | null;
}

/**
 * `/nopbaocao [SỐ_VĂN_BẢN] [dd/mm/yyyy]`, in either order, read into the submission's input; the
 * rules on each part are the use case's (a form's fields meet the same). "10/12/26" is 10/12/2026.
 */
function parseSubmitArgs(args: string, year: number, today: LocalDate): DocumentArgs | DocumentError {
  let documentNumber: string | null = null;
  let documentDate: LocalDate | null = null;
  for (const token of args.split(/\s+/).filter(Boolean)) {
    if (DATE_LIKE.test(token)) {
      if (documentDate) return { error: "two_dates" };
      const twoDigitYear = /^(\d{1,2}[/.-]\d{1,2}[/.-])(\d{2})$/.exec(token);
      const date = parseDayMonth(twoDigitYear ? `${twoDigitYear[1]}20${twoDigitYear[2]}` : token, year);
      if (!date) return { error: "bad_date", token };
      const wrong = checkDocumentDate(date, year, today);
      if (wrong) return wrong;
      documentDate = date;
    } else if (documentNumber) {
      return { error: "extra_word", token };
    } else {
      const wrong = checkDocumentNumber(token);
      if (wrong) return wrong;
      documentNumber = token;
    }
  }
  return { documentNumber, documentDate };
}

export async function startSubmit(ctx: Ctx, args: string, attachment?: IncomingAttachment): Promise<void> {
  const { t } = ctx;
  const plan = planOf(ctx);
  const parsed = parseSubmitArgs(args, plan.year, localDate(ctx.now));
  if ("error" in parsed) {
    ctx.reply(
      `${documentErrorText(t, parsed, plan.year)}\n${t.bot.submit.badArgs}`,
      undefined,
      `submit.${parsed.error}`,
    );
    return;
  }
  const previewed = await previewSubmission(ctx, { ...parsed, ...(attachment && { attachment }) });
  if (!previewed.ok) ctx.reply(`${previewed.text}\n${t.bot.submit.badArgs}`, undefined, previewed.outcome);
}

export async function continueSubmit(
  ctx: Ctx,
  state: FlowState<"submit">,
  input: { choice?: string; text?: string; attachment?: IncomingAttachment },
): Promise<void> {
  const { t } = ctx;
  if (input.attachment) return takeAttachment(ctx, state, input.attachment);
  const answer = choiceOf(input.choice, "confirm");
  if (answer?.flow === "submit" && answer.answer === "cancel") {
    await ctx.endFlow();
    ctx.reply(t.bot.cancelled);
    return;
  }
  if (answer?.flow !== "submit") {
    ctx.reply(input.choice ? t.bot.staleChoice : t.bot.flowReminder, confirmChoices(t), "flow.stale");
    return;
  }
  await confirmSubmission(ctx, state);
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
