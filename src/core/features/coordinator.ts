import { daysLeft } from "../../domain/deadline.ts";
import { shortTitle } from "../../domain/short-title.ts";
import { DUTY_STATES, dutyState, type DutyState } from "../../domain/status.ts";
import { foldVietnamese, splitFirst } from "../../domain/text.ts";
import { AppError } from "../../model/errors.ts";
import { encodeChoice } from "../../model/choices.ts";
import { confirmed } from "./shared.ts";
import type { Messages } from "../../i18n/index.ts";
import { agencyContacts, deactivateContact, findPerson, listContacts } from "../../services/contact-service.ts";
import { createInvite, revokeInvite } from "../../services/invite-service.ts";
import { choosePlan, closePlan, findAgency, memberCount, planSize } from "../../services/plan-service.ts";
import { activePlans, follows as followsPlan } from "../../services/directory-service.ts";
import { setFollows } from "../../services/contact-service.ts";
import { loadPlanStatus, type AgencyState, type PlanStatus } from "../../services/status-service.ts";
import { formatDateVi, localDate } from "../../lib/time.ts";
import { policyOf } from "../../schedule/policy.ts";
import { deferPastQuietHours, isQuietTime } from "../../schedule/schedule.ts";
import { memberOf, planOf, type Ctx } from "../context.ts";
import { groupButtons } from "../../i18n/group-buttons.ts";
import { pager, withFooter } from "./overdue-view.ts";
import { clampPage, pageLines, VIEW_MAX_CHARS } from "../../domain/pages.ts";
import { listPlans } from "./plans-view.ts";
import type { FlowState } from "../conversation.ts";
import { agencyLabel, at, daysLeftText, dutyList, reminderMessage } from "../../i18n/views.ts";
import { outlookProblems } from "../../delivery/delivery-views.ts";
import { outlookCounts, type RecipientOutlook } from "../../delivery/delivery-outlook.ts";

function statusCounts(t: Messages, states: readonly DutyState[]): string {
  return DUTY_STATES.map((s) => [s, states.filter((x) => x === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${t.bot.statusLabel[s]} ${n}`)
    .join(", ");
}

/** Agencies that carry duties themselves: ordinary agencies and group members, never the group row. */
export function reportingUnits(status: PlanStatus): AgencyState[] {
  return status.agencies.filter((a) => a.memberCount === 0);
}

/** `/tongquan` of one plan, one page of its agencies (a plan may have dozens): totals first. */
export async function overview(ctx: Ctx, args: string, page = 1): Promise<void> {
  const { t } = ctx;
  const plan = planOf(ctx);
  const status = await loadPlanStatus(ctx.deps.db, plan);
  if (args.trim()) {
    const agency = await findAgency(ctx.deps.db, plan.id, args);
    const state = status.agencies.find((a) => a.agency.id === agency.id)!;
    if (state.memberCount === 0) ctx.reply(agencyDetail(ctx, state));
    else ctx.reply(groupDetail(ctx, status, state), groupButtons(t, plan.code, status, state));
    return;
  }
  const top = status.agencies.filter((a) => a.agency.parentId === null);
  const rows = top.map((a) =>
    t.bot.coord.agencyRow(
      a.submitted ? "✅" : "⏳",
      a.agency.code,
      a.agency.name,
      a.submitted,
      a.duties.filter((d) => d.status === "done").length,
      a.duties.length,
      a.memberCount > 0 ? t.bot.coord.groupExtra(a.membersSubmitted, a.memberCount) : "",
    ),
  );
  const units = reportingUnits(status);
  const entries = units.flatMap((u) => u.duties.map(dutyState));
  const indicators = status.indicators.map((i) =>
    t.bot.coord.indicatorLine(
      i.indicator.code,
      i.indicator.name,
      i.latest?.participants ?? null,
      i.latestRatePercent,
      i.indicator.targetParticipants,
      i.indicator.targetRatePercent,
    ),
  );
  const head = [
    t.bot.coord.overviewHeader(plan.title, plan.reportDeadline, daysLeftText(t, plan, ctx.now)),
    t.bot.coord.submittedCount(top.filter((a) => a.submitted).length, top.length),
  ].join("\n\n");
  const tail = [
    // Each commune holds its own copy of its group's duties: the count says so, or 405 reads as 405 duties.
    t.bot.coord.dutyTotals(statusCounts(t, entries), units.length, entries.length),
    ...(indicators.length ? [[t.bot.coord.indicatorsHeader, ...indicators].join("\n")] : []),
  ].join("\n\n");
  const pages = pageLines(rows, VIEW_MAX_CHARS - head.length - tail.length - PAGE_ROOM);
  const shown = clampPage(page, pages.length);
  ctx.reply(
    withFooter(t, [head, pages[shown - 1]!.join("\n"), tail].join("\n\n"), shown, pages.length),
    pager(t, shown, pages.length, (p) => encodeChoice({ kind: "overview_page", plan: plan.code, page: p })),
  );
}

/** The blank lines between a view's parts and its "Trang 2/3". */
const PAGE_ROOM = 30;

function agencyDetail(ctx: Ctx, state: AgencyState): string {
  const { t } = ctx;
  return [
    t.bot.coord.agencyHeader(
      agencyLabel(t, state.agency),
      state.agency.code,
      state.submitted,
      state.submission ? at(state.submission.submittedAt) : null,
      state.submission?.onTime ?? null,
      state.contacts,
    ),
    dutyList(t, state.duties),
  ].join("\n\n");
}

function groupDetail(ctx: Ctx, status: PlanStatus, group: AgencyState): string {
  const { t } = ctx;
  const members = status.agencies.filter((a) => a.agency.parentId === group.agency.id);
  const perDuty = group.duties.map((duty) =>
    t.bot.coord.groupDutyLine(
      duty.code,
      shortTitle(duty.text),
      statusCounts(
        t,
        members.map((m) => {
          const own = m.duties.find((d) => d.dutyId === duty.dutyId);
          return own ? dutyState(own) : "not_reported";
        }),
      ),
    ),
  );
  const missing = members.filter((m) => !m.submitted);
  // The members themselves are a button away (groupButtons): 95 lines would be six phone screens.
  return [
    t.bot.coord.groupHeader(group.agency.name, group.agency.code, group.membersSubmitted, group.memberCount),
    perDuty.join("\n"),
    missing.length
      ? t.bot.coord.membersNotSubmitted(missing.length, missing.filter((m) => m.contacts === 0).length)
      : "",
  ]
    .filter(Boolean)
    .join("\n\n");
}

/** Sends the reminder message to every active contact of the given agencies, now. */
export async function nudge(ctx: Ctx, targets: readonly AgencyState[]): Promise<RecipientOutlook[]> {
  const plan = planOf(ctx);
  const outlook: RecipientOutlook[] = [];
  for (const state of targets) {
    const contacts = await agencyContacts(ctx.deps.db, state.agency.id);
    outlook.push(...(await ctx.pushFor(contacts, "nudge", (tc) => reminderMessage(tc, plan, state, ctx.now))));
  }
  return outlook;
}

async function nudgeTargets(ctx: Ctx, query: string | null): Promise<AgencyState[]> {
  const plan = planOf(ctx);
  const status = await loadPlanStatus(ctx.deps.db, plan);
  const pending = reportingUnits(status).filter((a) => !a.submitted);
  if (query === null) return pending;
  const agency = await findAgency(ctx.deps.db, plan.id, query);
  return pending.filter((a) => a.agency.id === agency.id || a.agency.parentId === agency.id);
}

export async function remind(ctx: Ctx, args: string): Promise<void> {
  const { t } = ctx;
  const query = args.trim();
  if (!query) {
    ctx.reply(t.bot.coord.remindUsage);
    return;
  }
  if (["all", "tat ca", "het"].includes(foldVietnamese(query))) {
    const targets = await nudgeTargets(ctx, null);
    const withContacts = targets.filter((a) => a.contacts > 0);
    const people = withContacts.reduce((n, a) => n + a.contacts, 0);
    if (people === 0) {
      ctx.reply(targets.length === 0 ? t.bot.coord.noneOverdue : t.bot.coord.remindNoContacts(null, targets.length));
      return;
    }
    await ctx.setFlow({ flow: "remind_all", step: "confirm", data: {} });
    ctx.reply(t.bot.coord.remindAllConfirm(withContacts.length, people), [
      [
        {
          label: t.bot.coord.remindConfirm,
          value: encodeChoice({ kind: "confirm", flow: "remind_all", answer: "confirm" }),
        },
      ],
      [{ label: t.bot.submit.cancel, value: encodeChoice({ kind: "confirm", flow: "remind_all", answer: "cancel" }) }],
    ]);
    return;
  }
  const targets = await nudgeTargets(ctx, query);
  // Nobody to nudge has two causes with different remedies: say which one holds.
  if (!targets.some((a) => a.contacts > 0)) {
    ctx.reply(
      targets.length === 0
        ? t.bot.coord.remindAllSubmitted(query)
        : t.bot.coord.remindNoContacts(query, targets.length),
    );
    return;
  }
  const sent = await nudge(ctx, targets);
  ctx.reply(remindResult(ctx, sent));
}

/**
 * At night nudges wait in the outbox for the morning; say so rather than "sent". Those whose
 * platform refused them, or runs nowhere, are named with what to do.
 */
function remindResult(ctx: Ctx, outlook: readonly RecipientOutlook[]): string {
  const { t } = ctx;
  if (outlook.length === 0) return t.bot.coord.remindNoContacts(null, 0);
  const { now, quiet } = outlookCounts(outlook);
  const going = [...now, ...quiet];
  const agencies = new Set(going.map((r) => r.person.directoryAgencyId)).size;
  const policy = policyOf(planOf(ctx));
  const summary =
    going.length === 0
      ? null
      : isQuietTime(ctx.now, policy)
        ? t.bot.coord.remindQueued(agencies, going.length, at(deferPastQuietHours(ctx.now, policy)))
        : t.bot.coord.remindSent(agencies, going.length);
  return [summary, ...outlookProblems(t, outlook)].filter((line) => line !== null).join("\n");
}

export async function continueRemindAll(
  ctx: Ctx,
  state: FlowState<"remind_all">,
  choice: string | undefined,
): Promise<void> {
  if (!(await confirmed(ctx, state, choice, "remind_all"))) return;
  ctx.reply(remindResult(ctx, await nudge(ctx, await nudgeTargets(ctx, null))));
}

export async function invite(ctx: Ctx, args: string): Promise<void> {
  const { t } = ctx;
  const plan = planOf(ctx);
  const query = args.trim();
  if (!query) {
    ctx.reply(t.bot.coord.inviteUsage);
    return;
  }
  const { person } = memberOf(ctx);
  if (["dieuphoi", "dieu phoi", "coordinator"].includes(foldVietnamese(query))) {
    if (person.role !== "admin") throw new AppError("invite.admin_only");
    const created = await createInvite(ctx.deps, {
      agency: null,
      role: "coordinator",
      createdById: person.id,
    });
    ctx.reply(
      t.bot.coord.inviteCreated(
        created.code,
        t.bot.coord.coordinatorLabel,
        at(created.expiresAt),
        (await ctx.deps.inviteLink?.(created.code)) ?? null,
      ),
    );
    return;
  }
  const agency = await findAgency(ctx.deps.db, plan.id, query);
  const members = await memberCount(ctx.deps.db, agency.id);
  if (members > 0) {
    ctx.reply(t.bot.coord.inviteGroup(agency.code, members));
    return;
  }
  const created = await createInvite(ctx.deps, { agency, role: "contact", createdById: person.id });
  ctx.reply(
    t.bot.coord.inviteCreated(
      created.code,
      `${agency.code} ${agencyLabel(t, agency)}`,
      at(created.expiresAt),
      (await ctx.deps.inviteLink?.(created.code)) ?? null,
    ),
  );
}

export async function revoke(ctx: Ctx, args: string): Promise<void> {
  if (!args.trim()) {
    ctx.reply(ctx.t.bot.coord.revokeUsage);
    return;
  }
  await revokeInvite(ctx.deps, args.trim());
  ctx.reply(ctx.t.bot.coord.revoked);
}

export async function contacts(ctx: Ctx, args: string): Promise<void> {
  const { t } = ctx;
  const plan = planOf(ctx);
  if (!args.trim()) {
    ctx.reply(t.bot.coord.contactsUsage);
    return;
  }
  const agency = await findAgency(ctx.deps.db, plan.id, args);
  const people = await listContacts(ctx.deps.db, agency.directoryId);
  const label = `${agency.code} ${agencyLabel(t, agency)}`;
  if (people.length === 0) {
    ctx.reply(t.bot.coord.noContacts(label));
    return;
  }
  ctx.reply(
    [
      t.bot.coord.contactsHeader(label, people.filter((p) => p.active).length),
      ...people.map((p) =>
        t.bot.coord.contactLine(p.id, p.displayName, p.active, formatDateVi(localDate(p.createdAt))),
      ),
    ].join("\n"),
  );
}

export async function deactivate(ctx: Ctx, args: string): Promise<void> {
  const id = /^#?\d+$/.test(args.trim()) ? Number(args.trim().replace("#", "")) : NaN;
  if (!Number.isSafeInteger(id)) {
    ctx.reply(ctx.t.bot.coord.deactivateUsage);
    return;
  }
  // Coordinators manage contacts; only an administrator may stop a coordinator (or themselves).
  const target = await findPerson(ctx.deps.db, id);
  if (target && target.role === "admin") {
    ctx.reply(ctx.t.bot.coord.cannotDeactivateAdmin(id));
    return;
  }
  if (target && target.role !== "contact" && memberOf(ctx).person.role !== "admin") {
    ctx.reply(ctx.t.bot.coord.onlyAdminDeactivatesCoordinator(id));
    return;
  }
  const person = await deactivateContact(ctx.deps, id);
  ctx.reply(ctx.t.bot.coord.deactivated(person.displayName));
}

export async function planSummary(ctx: Ctx, args = ""): Promise<void> {
  const { t } = ctx;
  const code = args.trim();
  const [verb, target] = splitFirst(code);
  if (foldVietnamese(verb) === "dong" && target) {
    await askClosePlan(ctx, target);
    return;
  }
  const active = await activePlans(ctx.deps.db);
  if (!code && active.length > 1 && ctx.member?.person.role !== "contact") {
    await listPlans(ctx);
    return;
  }
  const plan = code ? await choosePlan(ctx.deps.db, code, { closedToo: true }) : planOf(ctx);
  const { agencies, duties, indicators } = await planSize(ctx.deps.db, plan.id);
  ctx.reply(
    [
      ...(active.length > 1 || code ? [t.bot.coord.planCodeLine(plan.code, plan.active)] : []),
      t.bot.coord.planSummary(
        plan.title,
        plan.province,
        plan.documentNumber,
        plan.reportDeadline,
        t.bot.daysLeft(daysLeft(plan.reportDeadline, ctx.now)),
        agencies,
        duties,
      ),
      ...indicators.map((i) =>
        t.bot.coord.targetLine(i.code, i.name, i.targetRatePercent, i.targetParticipants, i.eligiblePopulation),
      ),
    ].join("\n"),
  );
}

const CLOSE_CONFIRM = encodeChoice({ kind: "confirm", flow: "close_plan", answer: "confirm" });
const CLOSE_CANCEL = encodeChoice({ kind: "confirm", flow: "close_plan", answer: "cancel" });

/** `/kehoach dong CODE`: only an administrator closes a plan, and only after confirming. */
async function askClosePlan(ctx: Ctx, code: string): Promise<void> {
  const { t } = ctx;
  if (ctx.member?.person.role !== "admin") {
    ctx.reply(t.bot.coord.closeAdminOnly);
    return;
  }
  const plan = await choosePlan(ctx.deps.db, code);
  await ctx.setFlow({ flow: "close_plan", step: "confirm", data: { code: plan.code } });
  ctx.reply(t.bot.coord.closeConfirm(plan.code, shortTitle(plan.title, 80)), [
    [{ label: t.bot.coord.closeYes, value: CLOSE_CONFIRM }],
    [{ label: t.bot.submit.cancel, value: CLOSE_CANCEL }],
  ]);
}

export async function continueClosePlan(
  ctx: Ctx,
  state: FlowState<"close_plan">,
  choice: string | undefined,
): Promise<void> {
  const { t } = ctx;
  if (!(await confirmed(ctx, state, choice, "close_plan"))) return;
  const { plan, already } = await closePlan(ctx.deps.db, state.data.code, ctx.now);
  ctx.reply(t.bot.coord.planClosed(plan.code, already));
}

/**
 * `/theodoi BHXH26 BHYT26`: the plans a coordinator's views and digest cover; `/theodoi tatca`
 * follows every plan again (the default); `/theodoi` alone says which.
 */
export async function follow(ctx: Ctx, args: string): Promise<void> {
  const { t } = ctx;
  const { person } = memberOf(ctx);
  const active = await activePlans(ctx.deps.db);
  const words = args
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (words.length === 0) {
    const followed = active.filter((p) => followsPlan(person, p.id)).map((p) => p.code);
    ctx.reply(t.bot.coord.following(person.follows ? followed.join(", ") : null, active.map((p) => p.code).join(", ")));
    return;
  }
  if (words.length === 1 && ["tatca", "tat ca", "all"].includes(foldVietnamese(words[0]!))) {
    await setFollows(ctx.deps.db, person.id, null);
    ctx.reply(t.bot.coord.followingAll);
    return;
  }
  const plans = [];
  for (const word of words) plans.push(await choosePlan(ctx.deps.db, word));
  await setFollows(
    ctx.deps.db,
    person.id,
    plans.map((p) => p.id),
  );
  ctx.reply(t.bot.coord.followingNow(plans.map((p) => p.code).join(", ")));
}
