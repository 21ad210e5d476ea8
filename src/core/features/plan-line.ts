import { resolveDutyRef } from "../../domain/duty-ref.ts";
import { readReportLine } from "../../domain/report-line.ts";
import { shortTitle } from "../../domain/short-title.ts";
import { choiceOf, encodeChoice } from "../../model/choices.ts";
import { assignmentsOf, type Assignment } from "../../services/directory-service.ts";
import { dutiesOf, dutyOwnerCode } from "../../services/plan-service.ts";
import { Ctx } from "../context.ts";
import type { FlowState } from "../conversation.ts";
import { oneLineReport } from "./report.ts";
import { agencyState } from "./shared.ts";
import { daysLeft } from "../../domain/deadline.ts";
import { agencyLabel, dutyList, reportExample } from "../../i18n/views.ts";

// A contact whose agency is in several active plans writes report lines as with one plan. A plan's
// code first (`BHYT26 2a xong`) decides; a duty reference that only one plan has goes to that plan;
// one that several plans have is asked about, and nothing is stored until the person answers.

/** A plan's code as people write it before a report line: BHYT26, BHXH27-2. */
const PLAN_PREFIX = /^([A-Za-z][A-Za-z0-9]*\d{2}(?:-\d+)?)[\s:,.-]+(.+)$/s;

/** True when the line was handled here (stored, refused, or asked about in another plan). */
export async function lineAcrossPlans(ctx: Ctx, text: string): Promise<boolean> {
  const directoryId = ctx.member?.person.directoryAgencyId;
  if (directoryId === null || directoryId === undefined) return false;
  const places = await assignmentsOf(ctx.deps.db, directoryId);
  const prefixed = PLAN_PREFIX.exec(text.trim());
  const named = prefixed && places.find((p) => p.plan.code === prefixed[1]!.toUpperCase());
  if (named) return reportIn(ctx, named, prefixed[2]!);
  if (places.length < 2) return false;
  const draft = readReportLine(text);
  if (!draft.ok) return false;
  const hits: Assignment[] = [];
  for (const place of places) if (await hasDuty(ctx, place, draft.value.ref)) hits.push(place);
  if (hits.length === 1) return hits[0]!.plan.id === ctx.plan?.id ? false : reportIn(ctx, hits[0]!, text);
  if (hits.length < 2) return false;
  await ctx.setFlow({ flow: "line_plan", step: "choose", data: { text } });
  ctx.reply(
    ctx.t.bot.report.whichPlan(draft.value.ref),
    hits.map((h) => [
      {
        label: `${h.plan.code}: ${shortTitle(h.plan.title, 40)}`,
        value: encodeChoice({ kind: "line_plan", plan: h.plan.code }),
      },
    ]),
  );
  return true;
}

/**
 * `/nhiemvu` of an agency in several active plans: its duties grouped by plan, the nearest deadline
 * first, each plan with its code, deadline and days left. False for an agency in one plan or none.
 */
export async function dutiesAcrossPlans(ctx: Ctx): Promise<boolean> {
  const directoryId = ctx.member?.person.directoryAgencyId;
  if (ctx.member?.person.role !== "contact" || directoryId === null || directoryId === undefined) return false;
  const places = await assignmentsOf(ctx.deps.db, directoryId);
  if (places.length < 2) return false;
  const { t } = ctx;
  const blocks: string[] = [];
  let example: string | null = null;
  for (const place of places) {
    const state = await agencyState(inPlanOf(ctx, place), place.agency);
    example ??= state.duties[0] ? `${place.plan.code} ${reportExample(t, state.duties)}` : null;
    blocks.push(
      [
        t.bot.duties.planHeader(place.plan.code, shortTitle(place.plan.title, 70)),
        t.bot.duties.header(
          agencyLabel(t, place.agency),
          place.plan.reportDeadline,
          t.bot.daysLeft(daysLeft(place.plan.reportDeadline, ctx.now)),
          state.submitted,
        ),
        state.duties.length ? dutyList(t, state.duties) : t.bot.duties.none,
      ].join("\n"),
    );
  }
  ctx.reply([...blocks, t.bot.duties.footerPlans(example ?? "BHXH26 IV.4.a xong")].join("\n\n"));
  return true;
}

/** The person picked the plan of the line they wrote: it is read there, as if written with the code. */
export async function continueLinePlan(
  ctx: Ctx,
  state: FlowState<"line_plan">,
  choice: string | undefined,
): Promise<void> {
  if (!(await ctx.consumeFlow(state))) {
    ctx.reply(ctx.t.bot.alreadyHandled);
    return;
  }
  const picked = choiceOf(choice, "line_plan");
  const directoryId = ctx.member?.person.directoryAgencyId;
  const place =
    picked && directoryId !== null && directoryId !== undefined
      ? (await assignmentsOf(ctx.deps.db, directoryId)).find((p) => p.plan.code === picked.plan)
      : undefined;
  if (!place) {
    ctx.reply(ctx.t.bot.staleChoice);
    return;
  }
  await reportIn(ctx, place, state.data.text);
}

async function hasDuty(ctx: Ctx, place: Assignment, ref: string): Promise<boolean> {
  const [duties, agencyCode] = await Promise.all([
    dutiesOf(ctx.deps.db, place.agency),
    dutyOwnerCode(ctx.deps.db, place.agency),
  ]);
  return resolveDutyRef(ref, { agencyCode, duties }).ok;
}

/** The same person's context, about another of their agency's plans. */
function inPlanOf(ctx: Ctx, place: Assignment): Ctx {
  return new Ctx(ctx.deps, ctx.from, { ...ctx.member!, agency: place.agency }, place.plan);
}

/** Reads the line in that plan, with the person's place in it, and answers as that reading does. */
async function reportIn(ctx: Ctx, place: Assignment, text: string): Promise<boolean> {
  const inPlan = inPlanOf(ctx, place);
  const handled = await oneLineReport(inPlan, text);
  ctx.replies.push(...inPlan.replies);
  return handled;
}
