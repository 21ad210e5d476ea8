import { agencyById, agencyInPlan, findAgency, setPausedUntil } from "../../services/plan-service.ts";
import { localDate, parseDayMonth } from "../../lib/time.ts";
import { planOf, type Ctx } from "../context.ts";
import type { FlowState } from "../conversation.ts";
import { agencyLabel } from "../../i18n/views.ts";
import { encodeChoice } from "../../model/choices.ts";
import { confirmed } from "./shared.ts";
import { splitFirst } from "../../domain/text.ts";

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
  const label = `${agency.code} ${agencyLabel(t, agency)}`;
  if (until >= plan.reportDeadline) {
    // Overdue reminders start on the deadline date: a pause through it silences them, which the
    // coordinator should choose knowingly rather than by a typo in the month.
    await ctx.setFlow({ flow: "pause", step: "confirm", data: { agencyId: agency.id, until } });
    ctx.reply(t.bot.pause.pastDeadline(label, until, plan.reportDeadline), [
      [{ label: t.bot.pause.confirm, value: PAUSE_CONFIRM }],
      [{ label: t.bot.submit.cancel, value: PAUSE_CANCEL }],
    ]);
    return;
  }
  await setPausedUntil(ctx.deps.db, agency.id, until);
  ctx.reply(t.bot.pause.paused(label, until));
}

const PAUSE_CONFIRM = encodeChoice({ kind: "confirm", flow: "pause", answer: "confirm" });
const PAUSE_CANCEL = encodeChoice({ kind: "confirm", flow: "pause", answer: "cancel" });

/** The answer to a pause past the deadline: only "Tạm dừng" pauses. */
export async function continuePause(ctx: Ctx, state: FlowState<"pause">, choice: string | undefined): Promise<void> {
  const { t } = ctx;
  if (!(await confirmed(ctx, state, choice, "pause"))) return;
  const { agencyId, until } = state.data;
  const agency = await agencyInPlan(ctx.deps.db, planOf(ctx).id, agencyId);
  if (!agency) {
    ctx.reply(t.bot.staleChoice);
    return;
  }
  if (until < localDate(ctx.now)) {
    ctx.reply(t.bot.pause.badDate);
    return;
  }
  await setPausedUntil(ctx.deps.db, agency.id, until);
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
  const parent = agency.parentId === null ? null : await agencyById(ctx.deps.db, agency.parentId);
  if (parent?.pausedUntil && parent.pausedUntil >= today && (agency.pausedUntil ?? "") < today) {
    // A commune paused through its group can only be resumed with the group.
    ctx.reply(t.bot.pause.pausedByGroup(label, parent.code, parent.pausedUntil));
    return;
  }
  if (agency.pausedUntil === null || agency.pausedUntil < today) {
    ctx.reply(t.bot.pause.notPaused(label));
    return;
  }
  await setPausedUntil(ctx.deps.db, agency.id, null);
  ctx.reply(t.bot.pause.resumed(label));
}
