import { resolveDutyRef } from "../../domain/duty-ref.ts";
import { readReportLine } from "../../domain/report-line.ts";
import { shortTitle } from "../../domain/short-title.ts";
import { choiceOf, encodeChoice } from "../../model/choices.ts";
import { activePlans, follows, type Assignment } from "../../services/directory-service.ts";
import type { Agency, Plan } from "../../generated/prisma/client.ts";
import { agencyDuties } from "../../services/plan-service.ts";
import { Ctx } from "../context.ts";
import type { FlowState } from "../conversation.ts";
import { figures, oneLineReport, startReport } from "./report.ts";
import { reopen, startSubmit } from "./submit.ts";
import { remind } from "./coordinator.ts";
import { chart, document, exportTables, summaryReport } from "./export.ts";
import { raise } from "./difficulty.ts";
import type { IncomingAttachment } from "../../model/bot-core.ts";
import type { CommandName } from "../../model/commands.ts";
import { agencyState } from "./shared.ts";
import { daysLeft } from "../../domain/deadline.ts";
import { agencyLabel, dutyList, reportExample } from "../../i18n/views.ts";

// A contact whose agency is in several active plans writes report lines as with one plan. A plan's
// code first (`BHYT26 2a xong`) decides; a duty reference that only one plan has goes to that plan;
// one that several plans have is asked about, and nothing is stored until the person answers.

/** A plan's code as people write it before a report line: BHYT26, BHXH27-2. */
const PLAN_PREFIX = /^([A-Za-z][A-Za-z0-9]*\d{2}(?:-\d+)?)[\s:,.-]+(.+)$/s;

/** The guided commands that act on one plan: with several, the person says which. */
const PER_PLAN = {
  baocao: (ctx: Ctx) => startReport(ctx),
  nopbaocao: (ctx: Ctx, args: string, attachment?: IncomingAttachment) => startSubmit(ctx, args, attachment),
  vuongmac: (ctx: Ctx, args: string) => raise(ctx, args),
  chitieu: (ctx: Ctx, args: string) => figures(ctx, args),
} as const;
type PerPlanCommand = keyof typeof PER_PLAN;

function isPerPlan(name: CommandName): name is PerPlanCommand {
  return Object.hasOwn(PER_PLAN, name);
}

/**
 * `/nopbaocao` and the other guided commands of an agency in several active plans: a plan code as
 * the first argument decides (`/nopbaocao BHYT26`); without one the person is asked, with a button
 * per plan. True when handled here; false for an agency in one plan, which goes on as always.
 */
export async function commandAcrossPlans(
  ctx: Ctx,
  name: CommandName,
  args: string,
  attachment?: IncomingAttachment,
): Promise<boolean> {
  const directoryId = ctx.member?.person.directoryAgencyId;
  if (!isPerPlan(name) || ctx.member?.person.role !== "contact" || directoryId === null || directoryId === undefined)
    return false;
  const places = ctx.member.places;
  const [first = "", ...rest] = args.split(/\s+/);
  const named = places.find((p) => p.plan.code === first.toUpperCase());
  if (named) {
    await runIn(ctx, named, (inPlan) => PER_PLAN[name](inPlan, rest.join(" "), attachment));
    return true;
  }
  if (places.length < 2) return false;
  await ctx.setFlow({ flow: "command_plan", step: "choose", data: { command: name, args } });
  ctx.reply(ctx.t.bot.whichPlan(`/${name}`), planButtons(places));
  return true;
}

/**
 * Coordinators' commands that act on one plan and have no combined form (/tamdung and /tieptuc
 * act on an agency in every plan; /tongquan and /quahan combine). Typed without a plan
 * code by a coordinator who follows several active plans, they ask which plan first: an export or
 * a nudge of the wrong plan is worse than a question. `needsArgs`: typed bare, the command's own
 * usage comes first, whatever the plans.
 */
const COORDINATOR_ASKED = {
  xuat: { run: exportTables, needsArgs: false },
  bieudo: { run: chart, needsArgs: false },
  baocaotonghop: { run: summaryReport, needsArgs: false },
  nhac: { run: remind, needsArgs: true },
  molai: { run: reopen, needsArgs: true },
  tailieu: { run: document, needsArgs: true },
} satisfies Record<string, { run: (ctx: Ctx, args: string) => Promise<void>; needsArgs: boolean }>;
type CoordinatorAsked = keyof typeof COORDINATOR_ASKED;

function isCoordinatorAsked(name: CommandName): name is CoordinatorAsked {
  return Object.hasOwn(COORDINATOR_ASKED, name);
}

/**
 * A coordinator's one-plan command typed without a plan code: with several active plans followed,
 * asks which, a button per plan (numbers where there are no buttons). True when it asked.
 */
export async function coordinatorPlanQuestion(ctx: Ctx, name: CommandName, args: string): Promise<boolean> {
  const person = ctx.member?.person;
  if (!isCoordinatorAsked(name) || !person || (person.role !== "coordinator" && person.role !== "admin")) return false;
  if (COORDINATOR_ASKED[name].needsArgs && !args) return false;
  const plans = (await activePlans(ctx.deps.db)).filter((p) => follows(person, p.id));
  if (plans.length < 2) return false;
  await ctx.setFlow({ flow: "command_plan", step: "choose", data: { command: name, args } });
  ctx.reply(ctx.t.bot.whichPlanOfAll(`/${name}`, plans[1]!.code), planButtons(plans.map((plan) => ({ plan }))));
  return true;
}

/** The plan picked for a guided command: the command runs there, with what was typed after it. */
export async function continueCommandPlan(
  ctx: Ctx,
  state: FlowState<"command_plan">,
  choice: string | undefined,
): Promise<void> {
  const { command, args } = state.data;
  if (isCoordinatorAsked(command)) {
    const place = await pickedPlace(ctx, state, choice, { agency: false });
    if (place) await runIn(ctx, place, (inPlan) => COORDINATOR_ASKED[command].run(inPlan, args));
    return;
  }
  const place = await pickedPlace(ctx, state, choice);
  if (place?.agency) await runIn(ctx, place, (inPlan) => PER_PLAN[command](inPlan, args));
}

/**
 * The person's place in the plan whose button was pressed, once per question: null (and the person
 * told why) when answered already, for a stale button, for a plan closed since, or (with `agency`)
 * for a plan the agency has left.
 */
async function pickedPlace(
  ctx: Ctx,
  state: FlowState,
  choice: string | undefined,
  needs: { agency: boolean } = { agency: true },
): Promise<{ plan: Plan; agency: Agency | null } | null> {
  if (!(await ctx.consumeFlow(state))) {
    ctx.reply(ctx.t.bot.alreadyHandled);
    return null;
  }
  const picked = choiceOf(choice, "plan");
  const place = picked ? await placeFor(ctx, picked.plan) : null;
  if (!place || (needs.agency && !place.agency)) {
    ctx.reply(ctx.t.bot.staleChoice);
    return null;
  }
  return place;
}

/** Coordinators' commands about one plan: a plan code as the first argument picks it. */
const COORDINATOR_PER_PLAN: ReadonlySet<CommandName> = new Set<CommandName>([
  "tongquan",
  "quahan",
  "nhac",
  "xuat",
  "bieudo",
  "baocaotonghop",
  "tamdung",
  "tieptuc",
  "molai",
  "tailieu",
]);

/**
 * `/tongquan BHYT26`, `/quahan BHYT26`, `/xuat BHYT26 csv`: a coordinator's command with an active
 * plan's code first runs in that plan, with the rest as its arguments. Null when no code is given.
 */
export async function coordinatorPlan(
  ctx: Ctx,
  name: CommandName,
  args: string,
): Promise<{ ctx: Ctx; args: string } | null> {
  const role = ctx.member?.person.role;
  if (!COORDINATOR_PER_PLAN.has(name) || (role !== "coordinator" && role !== "admin")) return null;
  const [first = "", ...rest] = args.split(/\s+/);
  const plan = first ? (await activePlans(ctx.deps.db)).find((p) => p.code === first.toUpperCase()) : undefined;
  return plan ? { ctx: inPlanOf(ctx, { plan, agency: null }), args: rest.join(" ") } : null;
}

function planButtons(places: readonly { plan: Plan }[]) {
  return places.map((h) => [
    {
      label: `${h.plan.code}: ${shortTitle(h.plan.title, 40)}`,
      value: encodeChoice({ kind: "plan", plan: h.plan.code }),
    },
  ]);
}

async function runIn(ctx: Ctx, place: { plan: Plan; agency: Agency | null }, work: (c: Ctx) => Promise<void>) {
  const inPlan = inPlanOf(ctx, place);
  await work(inPlan);
  ctx.replies.push(...inPlan.replies);
}

/** True when the line was handled here (stored, refused, or asked about in another plan). */
export async function lineAcrossPlans(ctx: Ctx, text: string): Promise<boolean> {
  const directoryId = ctx.member?.person.directoryAgencyId;
  if (directoryId === null || directoryId === undefined) return false;
  const places = ctx.member!.places;
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
  ctx.reply(ctx.t.bot.report.whichPlan(draft.value.ref), planButtons(hits));
  return true;
}

/**
 * `/nhiemvu` of an agency in several active plans: its duties grouped by plan, the nearest deadline
 * first, each plan with its code, deadline and days left. False for an agency in one plan or none.
 */
export async function dutiesAcrossPlans(ctx: Ctx): Promise<boolean> {
  const directoryId = ctx.member?.person.directoryAgencyId;
  if (ctx.member?.person.role !== "contact" || directoryId === null || directoryId === undefined) return false;
  const places = ctx.member.places;
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
  const place = await pickedPlace(ctx, state, choice);
  if (place?.agency) await reportIn(ctx, { plan: place.plan, agency: place.agency }, state.data.text);
}

async function hasDuty(ctx: Ctx, place: Assignment, ref: string): Promise<boolean> {
  const { duties, ownerCode } = await agencyDuties(ctx.deps.db, place.agency, place.plan);
  return resolveDutyRef(ref, { agencyCode: ownerCode, duties }).ok;
}

/**
 * Runs a flow's next step in the plan the flow began in, when that is not the plan chat is about
 * now (an agency in several plans, a plan imported since). A plan closed since ends the flow.
 */
export async function inFlowPlan(ctx: Ctx, flow: FlowState, work: (inPlan: Ctx) => Promise<void>): Promise<void> {
  if (!flow.plan || flow.plan === ctx.plan?.code) return work(ctx);
  const place = await placeFor(ctx, flow.plan);
  if (!place) {
    await ctx.endFlow();
    ctx.reply(ctx.t.bot.staleChoice, undefined, "flow.stale");
    return;
  }
  const inPlan = inPlanOf(ctx, place);
  await work(inPlan);
  ctx.replies.push(...inPlan.replies);
}

/** The person's place in the active plan of that code: their agency's, or no agency for a coordinator. */
async function placeFor(ctx: Ctx, code: string): Promise<{ plan: Plan; agency: Agency | null } | null> {
  const person = ctx.member?.person;
  if (!person) return null;
  if (person.role === "contact") {
    if (person.directoryAgencyId === null) return null;
    return ctx.member.places.find((p) => p.plan.code === code) ?? null;
  }
  const plan = (await activePlans(ctx.deps.db)).find((p) => p.code === code);
  return plan ? { plan, agency: null } : null;
}

/** The same person's context, about another of their agency's plans. */
function inPlanOf(ctx: Ctx, place: { plan: Plan; agency: Agency | null }): Ctx {
  return new Ctx(ctx.deps, ctx.from, { ...ctx.member!, agency: place.agency }, place.plan);
}

/** Reads the line in that plan, with the person's place in it, and answers as that reading does. */
async function reportIn(ctx: Ctx, place: Assignment, text: string): Promise<boolean> {
  const inPlan = inPlanOf(ctx, place);
  const handled = await oneLineReport(inPlan, text);
  ctx.replies.push(...inPlan.replies);
  return handled;
}
