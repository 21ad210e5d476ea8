import { AppError } from "../../model/errors.ts";
import type { DutyRefTarget } from "../../domain/duty-ref.ts";
import type { Agency, Duty } from "../../generated/prisma/client.ts";
import { agencyDuties } from "../../services/plan-service.ts";
import { loadPlanStatus, type AgencyState } from "../../services/status-service.ts";
import { memberOf, planOf, type Ctx } from "../context.ts";
import type { FlowState } from "../conversation.ts";
import { choiceOf, type ConfirmedFlow } from "../../model/choices.ts";

export interface AgencyDuties {
  agency: Agency;
  duties: Duty[];
  target: DutyRefTarget;
  allDutyCodes: string[];
}

/** The agency a contact speaks for; a contact row without one is bad data, told as such. */
export function contactAgency(ctx: Ctx): Agency {
  const { agency } = memberOf(ctx);
  if (!agency) throw new AppError("contact.no_agency");
  return agency;
}

/** The contact's agency and the duties it reports on (its group's, for a commune). */
export async function contactDuties(ctx: Ctx): Promise<AgencyDuties> {
  const agency = contactAgency(ctx);
  const { duties, ownerCode, planCodes } = await agencyDuties(ctx.deps.db, agency, ctx.plan ?? undefined);
  return { agency, duties, target: { agencyCode: ownerCode, duties }, allDutyCodes: planCodes };
}

/** One reporting agency's duties and submission, read on their own. */
export async function agencyState(ctx: Ctx, agency: Agency): Promise<AgencyState> {
  const status = await loadPlanStatus(ctx.deps.db, planOf(ctx), agency);
  const state = status.agencies[0];
  if (!state) throw new Error(`agency ${agency.code} not in the active plan`);
  return state;
}

/**
 * Ends a confirmation flow for this answer and says why nothing happens unless it is that flow's
 * "confirm": answered already, cancelled, or a button of something else. True to go ahead.
 */
export async function confirmed(
  ctx: Ctx,
  state: FlowState,
  choice: string | undefined,
  flow: ConfirmedFlow,
): Promise<boolean> {
  const { t } = ctx;
  if (!(await ctx.consumeFlow(state))) {
    ctx.reply(t.bot.alreadyHandled);
    return false;
  }
  const answer = choiceOf(choice, "confirm");
  if (answer?.flow !== flow || answer.answer !== "confirm") {
    ctx.reply(answer?.flow === flow ? t.bot.cancelled : t.bot.staleChoice);
    return false;
  }
  return true;
}
