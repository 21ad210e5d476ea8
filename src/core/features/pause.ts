import { findAgency } from "../../services/plan-service.ts";
import { localDate, parseDayMonth } from "../../time.ts";
import { planOf, type Ctx } from "../context.ts";
import { agencyLabel } from "../../i18n/views.ts";
import { splitFirst } from "./shared.ts";

/** `/tamdung IV.2 10/12`: no reminders for that agency (or a group's members) through that day. */
export async function pause(ctx: Ctx, args: string): Promise<void> {
  const { t } = ctx;
  const [query, when] = splitFirst(args);
  if (!query || !when) {
    ctx.reply(t.bot.pause.usage);
    return;
  }
  const plan = planOf(ctx);
  const until = parseDayMonth(when, plan.year);
  if (!until || until < localDate(ctx.now)) {
    ctx.reply(t.bot.pause.badDate);
    return;
  }
  const agency = await findAgency(ctx.deps.db, plan.id, query);
  await ctx.deps.db.agency.update({ where: { id: agency.id }, data: { pausedUntil: until } });
  ctx.reply(t.bot.pause.paused(`${agency.code} ${agencyLabel(t, agency)}`, until));
}

export async function resume(ctx: Ctx, args: string): Promise<void> {
  const { t } = ctx;
  if (!args.trim()) {
    ctx.reply(t.bot.pause.resumeUsage);
    return;
  }
  const agency = await findAgency(ctx.deps.db, planOf(ctx).id, args);
  const label = `${agency.code} ${agencyLabel(t, agency)}`;
  const today = localDate(ctx.now);
  const parent =
    agency.parentId === null ? null : await ctx.deps.db.agency.findUnique({ where: { id: agency.parentId } });
  if (parent?.pausedUntil && parent.pausedUntil >= today && (agency.pausedUntil ?? "") < today) {
    // A commune paused through its group can only be resumed with the group.
    ctx.reply(t.bot.pause.pausedByGroup(label, parent.code, parent.pausedUntil));
    return;
  }
  if (agency.pausedUntil === null || agency.pausedUntil < today) {
    ctx.reply(t.bot.pause.notPaused(label));
    return;
  }
  await ctx.deps.db.agency.update({ where: { id: agency.id }, data: { pausedUntil: null } });
  ctx.reply(t.bot.pause.resumed(label));
}
