import { clampPage, pageLines, VIEW_MAX_CHARS } from "../../domain/pages.ts";
import type { Messages } from "../../i18n/index.ts";
import { agencyLabel, daysLeftText } from "../../i18n/views.ts";
import { encodeChoice } from "../../model/choices.ts";
import type { Choice } from "../../model/messages.ts";
import { groupButtons, nudgeButton, pendingMembers } from "../../i18n/group-buttons.ts";
import { findAgency } from "../../services/plan-service.ts";
import { loadPlanStatus, type AgencyState, type PlanStatus } from "../../services/status-service.ts";
import { planOf, type Ctx } from "../context.ts";

// /quahan on a phone: the totals first, one line per agency, a group (the 95 communes of IV.9)
// summed on one line with a button to list its members and one to nudge those who have a contact.
// Every message fits VIEW_MAX_CHARS; a longer list is paged with buttons. The full lists stay in
// the exports.

/** Room kept on each page for its header and its "Trang 2/3" footer. */
const HEADER_ROOM = 300;

/** `/quahan`, one page of it: the agencies that have not submitted, a group as one line. */
export async function overdue(ctx: Ctx, page = 1): Promise<void> {
  const { t } = ctx;
  const plan = planOf(ctx);
  const status = await loadPlanStatus(ctx.deps.db, plan);
  const late = status.agencies.filter((a) => a.agency.parentId === null && !a.submitted);
  if (late.length === 0) {
    ctx.reply(t.bot.coord.noneOverdue);
    return;
  }
  const lines = late.map((a) => (a.memberCount === 0 ? agencyLine(t, a) : groupLine(t, status, a)));
  const pages = pageLines(lines, VIEW_MAX_CHARS - HEADER_ROOM);
  const shown = clampPage(page, pages.length);
  const groups = late.filter((a) => a.memberCount > 0 && pages[shown - 1]!.includes(groupLine(t, status, a)));
  const header = t.bot.coord.overdueHeader(late.length, plan.reportDeadline, daysLeftText(t, plan, ctx.now));
  ctx.reply(withFooter(t, [header, ...pages[shown - 1]!].join("\n"), shown, pages.length), [
    ...groups.flatMap((g) => groupButtons(t, plan.code, status, g)),
    ...pager(t, shown, pages.length, (p) => encodeChoice({ kind: "overdue_page", plan: plan.code, page: p })),
  ]);
}

/** One page of a group's members that have not submitted, each with how many contacts it has. */
export async function groupMembers(ctx: Ctx, groupCode: string, page = 1): Promise<void> {
  const { t } = ctx;
  const plan = planOf(ctx);
  const group = await findAgency(ctx.deps.db, plan.id, groupCode);
  const status = await loadPlanStatus(ctx.deps.db, plan);
  const missing = pendingMembers(status, group.id);
  if (missing.length === 0) {
    ctx.reply(t.bot.coord.membersNone(group.code));
    return;
  }
  const lines = missing.map((m) => t.bot.coord.memberLine(m.agency.code, agencyLabel(t, m.agency), m.contacts));
  const pages = pageLines(lines, VIEW_MAX_CHARS - HEADER_ROOM);
  const shown = clampPage(page, pages.length);
  const noContact = missing.filter((m) => m.contacts === 0).length;
  const header = t.bot.coord.membersHeader(group.code, group.name, missing.length, noContact);
  const reachable = missing.length - noContact;
  ctx.reply(withFooter(t, [header, ...pages[shown - 1]!].join("\n"), shown, pages.length), [
    ...(reachable > 0 ? [[nudgeButton(t, plan.code, group.code, reachable)]] : []),
    ...pager(t, shown, pages.length, (p) =>
      encodeChoice({ kind: "members", plan: plan.code, group: group.code, page: p }),
    ),
  ]);
}

function agencyLine(t: Messages, a: AgencyState): string {
  const open = a.duties
    .filter((d) => d.status !== "done")
    .map((d) => d.code)
    .join(", ");
  return t.bot.coord.overdueLine(a.agency.code, agencyLabel(t, a.agency), t.bot.coord.openDuties(open));
}

function groupLine(t: Messages, status: PlanStatus, group: AgencyState): string {
  const missing = pendingMembers(status, group.agency.id);
  const noContact = missing.filter((m) => m.contacts === 0).length;
  return t.bot.coord.overdueGroupLine(
    group.agency.code,
    group.agency.name,
    missing.length,
    group.memberCount,
    noContact,
  );
}

export function withFooter(t: Messages, text: string, page: number, pages: number): string {
  return pages > 1 ? `${text}\n${t.bot.coord.pageFooter(page, pages)}` : text;
}

/** The previous and next page buttons, those that lead somewhere. */
export function pager(t: Messages, page: number, pages: number, value: (page: number) => string): Choice[][] {
  const row = [
    ...(page > 1 ? [{ label: t.bot.coord.pagePrevious, value: value(page - 1) }] : []),
    ...(page < pages ? [{ label: t.bot.coord.pageNext, value: value(page + 1) }] : []),
  ];
  return row.length ? [row] : [];
}
