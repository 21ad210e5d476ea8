import { choiceOf } from "../../model/choices.ts";
import { activePlans } from "../../services/directory-service.ts";
import { Ctx } from "../context.ts";
import { overview, remind } from "./coordinator.ts";
import { groupMembers, overdue } from "./overdue-view.ts";
import { combinedView, listPlans } from "./plans-view.ts";

/**
 * A button of these views: a page, a group's members, a nudge. Each carries its plan's code, so it
 * acts in that plan whatever chat is about now; a plan closed since makes it stale. True when the
 * value was one of these.
 */
export async function viewChoice(ctx: Ctx, value: string): Promise<boolean> {
  const role = ctx.member?.person.role;
  const coordinating = role === "coordinator" || role === "admin";
  const plansPage = choiceOf(value, "plans_page");
  if (plansPage && coordinating) {
    if (plansPage.view === "kehoach") await listPlans(ctx, plansPage.page);
    // Followed plans down to one since: the list it paged is gone.
    else if (!(await combinedView(ctx, plansPage.view, "", plansPage.page)))
      ctx.reply(ctx.t.bot.staleChoice, undefined, "flow.stale");
    return true;
  }
  const choice =
    choiceOf(value, "overdue_page") ??
    choiceOf(value, "overview_page") ??
    choiceOf(value, "members") ??
    choiceOf(value, "nudge");
  if (!choice || !coordinating) return false;
  const plan = (await activePlans(ctx.deps.db)).find((p) => p.code === choice.plan);
  if (!plan) {
    ctx.reply(ctx.t.bot.staleChoice, undefined, "flow.stale");
    return true;
  }
  const inPlan = new Ctx(ctx.deps, ctx.from, { ...ctx.member!, agency: null }, plan);
  if (choice.kind === "overdue_page") await overdue(inPlan, choice.page);
  else if (choice.kind === "overview_page") await overview(inPlan, "", choice.page);
  else if (choice.kind === "members") await groupMembers(inPlan, choice.group, choice.page);
  else await remind(inPlan, choice.agency);
  ctx.replies.push(...inPlan.replies);
  return true;
}
