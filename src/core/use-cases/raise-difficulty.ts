import { resolveDutyRef } from "../../domain/duty-ref.ts";
import { MAX_NOTE_LENGTH } from "../../domain/report-line.ts";
import { agencyLabel, reportErrorText } from "../../i18n/views.ts";
import type { RaiseDifficultyInput, UseCaseField } from "../../model/bot-core.ts";
import { raiseDifficulty as fileDifficulty } from "../../services/difficulty-service.ts";
import { memberOf, type Ctx } from "../context.ts";
import { contactDuties } from "../features/shared.ts";
import { done, type Outcome } from "./outcome.ts";

// A difficulty: `/vuongmac [DUTY] TEXT` in the chat, or a form's duty and text.

type DifficultyField = UseCaseField<"raiseDifficulty">;

export async function raiseDifficulty(
  ctx: Ctx,
  input: RaiseDifficultyInput,
): Promise<Outcome<{ id: number }, DifficultyField>> {
  const { t } = ctx;
  if (!input.text) return { ok: false, field: "text", text: t.bot.difficulty.usage };
  if (input.text.length > MAX_NOTE_LENGTH) return { ok: false, field: "text", text: t.bot.difficulty.tooLong };
  const { person } = memberOf(ctx);
  const { agency, duties, target, allDutyCodes } = await contactDuties(ctx);
  const resolved = input.duty === null ? null : resolveDutyRef(input.duty, target, allDutyCodes);
  if (resolved && !resolved.ok) {
    // A duty named but not this agency's: refuse rather than file it against the agency as a whole.
    const example = t.bot.report.example(duties[0]?.code ?? agency.code);
    const error = {
      error: resolved.error,
      ref: input.duty ?? "",
      ...(resolved.candidates && { candidates: resolved.candidates }),
    };
    return { ok: false, field: "duty", text: reportErrorText(t, example, error), outcome: resolved.error };
  }
  const duty = resolved?.ok ? (duties.find((d) => d.code === resolved.code) ?? null) : null;
  const body = input.text;
  const difficulty = await ctx.transaction(async (within) => {
    const raised = await fileDifficulty({ db: within.tx, clock: ctx.deps.clock }, { agency, person, duty, text: body });
    await ctx.notifyCoordinators(
      (tc) => ({
        text: tc.bot.difficulty.raised(
          raised.id,
          `${agency.code} ${agencyLabel(tc, agency)}`,
          duty?.code ?? null,
          body,
          person.displayName,
        ),
      }),
      within,
    );
    return raised;
  });
  ctx.reply(t.bot.difficulty.recorded(difficulty.id));
  return done({ id: difficulty.id });
}
