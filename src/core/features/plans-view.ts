import { daysLeft } from "../../domain/deadline.ts";
import { clampPage, pageLines, VIEW_MAX_CHARS } from "../../domain/pages.ts";
import { shortTitle } from "../../domain/short-title.ts";
import type { Messages } from "../../i18n/index.ts";
import { encodeChoice, type PlansView } from "../../model/choices.ts";
import { follows } from "../../services/directory-service.ts";
import { planSummaries, type PlanSummary } from "../../services/plan-service.ts";
import type { Ctx } from "../context.ts";
import { pager, withFooter } from "./overdue-view.ts";

// The views over every plan a coordinator follows: /kehoach, and /tongquan and /quahan without a
// plan code. A province runs dozens of plans at once, two lines each: the totals lead, the plans
// follow nearest deadline first, and a list longer than a screen is paged with buttons.

/** Room kept on each page for the header, the totals, the footer and "Trang 2/3". */
const HEADER_ROOM = 400;
/** A plan's title is cut to this on its line: the code is what people type. */
const TITLE_MAX = 60;

/**
 * `/tongquan` and `/quahan` without a plan code or an agency, for a coordinator who follows several
 * active plans. True when answered here; with one plan followed, the view is that plan's.
 */
export async function combinedView(ctx: Ctx, name: "tongquan" | "quahan", args: string, page = 1): Promise<boolean> {
  const person = ctx.member?.person;
  if (args || !person || person.role === "contact") return false;
  const rows = (await planSummaries(ctx.deps.db)).filter((r) => r.plan.active && follows(person, r.plan.id));
  if (rows.length < 2) return false;
  const { t } = ctx;
  const behind = rows.filter((r) => r.agencies > r.submitted);
  if (name === "quahan" && behind.length === 0) {
    ctx.reply(t.bot.coord.allPlansSubmitted(rows.length));
    return true;
  }
  const listed = name === "quahan" ? behind : rows;
  const totals = sums(rows);
  const head = [
    t.bot.coord.combinedHeader(name, rows.length),
    name === "quahan"
      ? t.bot.coord.behindTotals(
          totals.agencies - totals.submitted,
          totals.agencies,
          totals.members - totals.membersSubmitted,
          totals.members,
        )
      : t.bot.coord.plansTotals(totals.submitted, totals.agencies, totals.membersSubmitted, totals.members),
  ];
  const lines = listed.map((r) => planLine(ctx, name, r));
  replyPaged(ctx, name, head, lines, t.bot.coord.combinedFooter(name, listed[0]!.plan.code), page);
  return true;
}

/** `/kehoach` with several plans active: each with its code, deadline and how many have submitted. */
export async function listPlans(ctx: Ctx, page = 1): Promise<void> {
  const { t } = ctx;
  const rows = (await planSummaries(ctx.deps.db)).filter((r) => r.plan.active);
  const totals = sums(rows);
  const head = [
    t.bot.coord.plansHeader(rows.length),
    t.bot.coord.plansTotals(totals.submitted, totals.agencies, totals.membersSubmitted, totals.members),
  ];
  const lines = rows.map((r) => planLine(ctx, "kehoach", r));
  replyPaged(ctx, "kehoach", head, lines, t.bot.coord.plansFooter(rows[0]?.plan.code ?? "BHXH26"), page);
}

function sums(rows: readonly PlanSummary[]) {
  const total = (pick: (r: PlanSummary) => number) => rows.reduce((sum, r) => sum + pick(r), 0);
  return {
    agencies: total((r) => r.agencies),
    submitted: total((r) => r.submitted),
    members: total((r) => r.members),
    membersSubmitted: total((r) => r.membersSubmitted),
  };
}

function planLine(ctx: Ctx, view: PlansView, r: PlanSummary): string {
  const t: Messages = ctx.t;
  const left = t.bot.daysLeft(daysLeft(r.plan.reportDeadline, ctx.now));
  const title = shortTitle(r.plan.title, TITLE_MAX);
  return view === "quahan"
    ? t.bot.coord.planBehindLine(
        r.plan.code,
        title,
        r.plan.reportDeadline,
        left,
        r.agencies - r.submitted,
        r.agencies,
        r.members - r.membersSubmitted,
        r.members,
      )
    : t.bot.coord.planListLine(
        r.plan.code,
        title,
        r.plan.reportDeadline,
        left,
        r.submitted,
        r.agencies,
        r.membersSubmitted,
        r.members,
      );
}

function replyPaged(
  ctx: Ctx,
  view: PlansView,
  head: readonly string[],
  lines: readonly string[],
  footer: string,
  page: number,
): void {
  const pages = pageLines(lines, VIEW_MAX_CHARS - HEADER_ROOM);
  const shown = clampPage(page, pages.length);
  const text = [...head, ...pages[shown - 1]!, footer].join("\n");
  ctx.reply(
    withFooter(ctx.t, text, shown, pages.length),
    pager(ctx.t, shown, pages.length, (p) => encodeChoice({ kind: "plans_page", view, page: p })),
  );
}
