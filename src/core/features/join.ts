import { AppError } from "../../model/errors.ts";
import { createInvite, identityCount, normalizeInviteCode, redeemInvite } from "../../services/invite-service.ts";
import { messagesFor } from "../../i18n/index.ts";
import { dutiesOf } from "../../services/plan-service.ts";
import { planFor } from "../../services/directory-service.ts";
import { memberOf, type Ctx } from "../context.ts";
import { agencyLabel } from "../../i18n/views.ts";
import { daysLeft } from "../../domain/deadline.ts";

/** Something pasted on its own that has the shape of an invite code. */
export function looksLikeInviteCode(text: string): boolean {
  return /^[A-HJ-NP-Z2-9]{10}$/.test(normalizeInviteCode(text.trim()));
}

export async function join(ctx: Ctx, code: string): Promise<void> {
  const { t } = ctx;
  if (!code.trim()) {
    ctx.reply(ctx.member?.person.active ? t.errors["invite.already_joined"]() : t.bot.notJoined);
    return;
  }
  if (!ctx.plan) throw new AppError("plan.none_active");
  const person = await redeemInvite(ctx.deps, ctx.from, code);
  const tt = messagesFor(person.locale);
  const identities = await identityCount(ctx.deps.db, person.id);
  if (identities > 1) {
    ctx.reply(tt.bot.linked(person.displayName));
    return;
  }
  const mine = person.role === "contact" ? await planFor(ctx.deps.db, person) : null;
  if (mine?.agency && mine.plan) {
    const { agency, plan } = mine;
    const duties = await dutiesOf(ctx.deps.db, agency);
    ctx.reply(
      tt.bot.welcomeContact(
        person.displayName,
        agencyLabel(tt, agency),
        agency.requested,
        duties.length,
        plan.reportDeadline,
        daysLeft(plan.reportDeadline, ctx.now) <= 0,
      ),
    );
    return;
  }
  ctx.reply(tt.bot.welcomeCoordinator(person.displayName));
}

/** A one-time code that attaches another platform's account to the same person. */
export async function link(ctx: Ctx): Promise<void> {
  const { person, agency } = memberOf(ctx);
  const invite = await createInvite(ctx.deps, {
    agency: person.role === "contact" ? agency : null,
    role: person.role as "contact" | "coordinator" | "admin",
    createdById: person.id,
    linkPersonId: person.id,
  });
  ctx.reply(ctx.t.bot.linkCode(invite.code, ctx.deps.inviteTtlDays));
}
