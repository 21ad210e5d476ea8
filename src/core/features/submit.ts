import { AppError } from "../../errors.ts";
import { agencyContacts } from "../../services/contact-service.ts";
import { findAgency } from "../../services/plan-service.ts";
import { reopenSubmission, submitReport } from "../../services/submission-service.ts";
import { parseDayMonth } from "../../time.ts";
import { memberOf, planOf, type Ctx } from "../context.ts";
import type { FlowState } from "../conversation.ts";
import type { Messages } from "../../i18n/index.ts";
import type { Choice, IncomingAttachment } from "../types.ts";
import { agencyLabel, at, dutyList } from "../../i18n/views.ts";
import type { Agency } from "../../generated/prisma/client.ts";
import type { DutyState } from "../../services/status-service.ts";
import { agencyState, splitFirst } from "./shared.ts";

const SUBMIT = "submit";

interface SubmitData {
  documentNumber: string | null;
  documentDate: string | null;
  attachment: IncomingAttachment | null;
  /** Fingerprint of the duties as last shown to the contact. */
  shown: string;
}

/** `/nopbaocao [SỐ_VĂN_BẢN] [dd/mm/yyyy]`, in either order. */
function parseSubmitArgs(
  args: string,
  year: number,
): Pick<SubmitData, "documentNumber" | "documentDate"> | "bad_args" | "bad_date" {
  let documentNumber: string | null = null;
  let documentDate: string | null = null;
  for (const token of args.split(/\s+/).filter(Boolean)) {
    // dd/mm/yyyy, or dd/mm in the plan's year: a bare "10/12" is a date, not a document number.
    if (/^\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{4})?$/.test(token)) {
      if (documentDate) return "bad_args";
      documentDate = parseDayMonth(token, year);
      if (!documentDate) return "bad_date";
    } else if (!documentNumber && token.length <= 60) {
      documentNumber = token;
    } else {
      return "bad_args";
    }
  }
  return { documentNumber, documentDate };
}

export async function startSubmit(ctx: Ctx, args: string, attachment?: IncomingAttachment): Promise<void> {
  const { t } = ctx;
  const plan = planOf(ctx);
  const { agency } = memberOf(ctx);
  if (!agency) throw new Error("contact without agency");
  const parsed = parseSubmitArgs(args, plan.year);
  if (parsed === "bad_args" || parsed === "bad_date") {
    ctx.reply(parsed === "bad_date" ? `${t.bot.submit.badDate}\n${t.bot.submit.badArgs}` : t.bot.submit.badArgs);
    return;
  }
  await showPreview(ctx, agency, { ...parsed, attachment: attachment ?? null, shown: "" });
}

function confirmChoices(t: Messages): Choice[][] {
  return [
    [{ label: t.bot.submit.confirm, value: `${SUBMIT}:confirm` }],
    [{ label: t.bot.submit.cancel, value: `${SUBMIT}:cancel` }],
  ];
}

/** What the contact confirms is what was shown: the duties' state is kept with the flow. */
function fingerprint(duties: readonly DutyState[]): string {
  return JSON.stringify(duties.map((d) => [d.code, d.status, d.percent, d.note]));
}

async function showPreview(ctx: Ctx, agency: Agency, data: SubmitData, notice?: string): Promise<void> {
  const { t } = ctx;
  const state = await agencyState(ctx, agency);
  await ctx.setFlow({ flow: "submit", step: "confirm", data: { ...data, shown: fingerprint(state.duties) } });
  const doc = t.bot.submit.docLabel(data.documentNumber, data.documentDate) || null;
  const preview = t.bot.submit.preview(
    agencyLabel(t, agency),
    dutyList(t, state.duties),
    doc,
    state.duties.filter((d) => d.status !== "done").length,
  );
  ctx.reply(notice ? `${notice}\n\n${preview}` : preview, confirmChoices(t));
}

export async function continueSubmit(
  ctx: Ctx,
  state: FlowState,
  input: { choice?: string; text?: string; attachment?: IncomingAttachment },
): Promise<void> {
  const { t } = ctx;
  const data = state.data as unknown as SubmitData;
  if (input.attachment) {
    await ctx.setFlow({ ...state, data: { ...data, attachment: input.attachment } });
    ctx.reply(t.bot.submit.attachmentNoted(input.attachment.name), confirmChoices(t));
    return;
  }
  if (input.choice === `${SUBMIT}:cancel`) {
    await ctx.endFlow();
    ctx.reply(t.bot.cancelled);
    return;
  }
  if (input.choice !== `${SUBMIT}:confirm`) {
    ctx.reply(input.choice ? t.bot.staleChoice : t.bot.flowReminder, confirmChoices(t));
    return;
  }
  const plan = planOf(ctx);
  const { person, agency } = memberOf(ctx);
  if (!agency) throw new Error("contact without agency");
  // Another contact of the agency may have reported since the preview: show it again rather than
  // submit something the person did not see.
  if (fingerprint((await agencyState(ctx, agency)).duties) !== data.shown) {
    await showPreview(ctx, agency, data, t.bot.submit.changed);
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
          submitted.attachmentName,
        ),
      }),
      within,
    );
    return submitted;
  });
  if (!submission) {
    ctx.reply(t.bot.alreadyHandled);
    return;
  }
  ctx.reply(
    t.bot.submit.done(
      agencyLabel(t, agency),
      at(submission.submittedAt),
      submission.onTime,
      t.bot.submit.docLabel(submission.documentNumber, submission.documentDate) || null,
      submission.attachmentName,
    ),
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
  try {
    await ctx.transaction(async (within) => {
      await reopenSubmission({ db: within.tx, clock: ctx.deps.clock }, { agency, by: memberOf(ctx).person, comment });
      await ctx.notify(
        await agencyContacts(within.tx, agency.id),
        "notification",
        (tc) => ({ text: tc.bot.submit.reopenedNotice(agencyLabel(tc, agency), comment) }),
        within,
      );
    });
  } catch (error) {
    if (error instanceof AppError && error.code === "submission.none") {
      ctx.reply(t.bot.submit.none(agencyLabel(t, agency)));
      return;
    }
    throw error;
  }
  ctx.reply(t.bot.submit.reopened(agencyLabel(t, agency)));
}
