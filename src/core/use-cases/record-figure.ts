import { errorText } from "../../i18n/error-text.ts";
import { at } from "../../i18n/views.ts";
import { ratePercent } from "../../lib/format.ts";
import type { RecordFigureInput, UseCaseField } from "../../model/bot-core.ts";
import { isAppError } from "../../model/errors.ts";
import { listIndicators } from "../../services/plan-service.ts";
import { mayReportFigures, recordFigure as storeFigure } from "../../services/progress-service.ts";
import { memberOf, planOf, type Ctx } from "../context.ts";
import { done, type Outcome } from "./outcome.ts";

// An indicator's figure: `/chitieu II.1 1.120.000` in the chat, a figure field in the report form.

type FigureField = UseCaseField<"recordFigure">;

export async function recordFigure(ctx: Ctx, input: RecordFigureInput): Promise<Outcome<null, FigureField>> {
  const { t } = ctx;
  const plan = planOf(ctx);
  const { person, agency } = memberOf(ctx);
  if (!mayReportFigures(plan, person, agency)) {
    return {
      ok: false,
      field: "indicator",
      text: t.errors["indicator.not_allowed"](),
      outcome: "indicator.not_allowed",
    };
  }
  if (!input.indicator || !input.participants) {
    const codes = (await listIndicators(ctx.deps.db, plan.id)).map((i) => i.code).join(", ");
    const field = input.indicator ? "participants" : "indicator";
    return { ok: false, field, text: t.bot.figures.usage(codes), outcome: "figure.usage" };
  }
  try {
    const { figure, indicator } = await storeFigure(ctx.deps, {
      plan,
      person,
      agency,
      indicatorCode: input.indicator,
      participants: input.participants,
    });
    ctx.reply(
      t.bot.figures.saved(
        indicator.code,
        indicator.name,
        figure.participants,
        ratePercent(figure.participants, indicator.eligiblePopulation),
        indicator.targetParticipants,
        indicator.targetRatePercent,
        at(figure.createdAt),
      ),
      undefined,
      "figure.saved",
    );
    return done(null);
  } catch (error) {
    if (!isAppError(error)) throw error;
    const code = error.code;
    if (code !== "indicator.unknown" && code !== "indicator.bad_number" && code !== "indicator.not_allowed")
      throw error;
    const field = code === "indicator.bad_number" ? "participants" : "indicator";
    return { ok: false, field, text: errorText(t, error, "chat"), outcome: code };
  }
}
