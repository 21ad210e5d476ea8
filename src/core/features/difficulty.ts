import { isWeakDutyRef, parseDutyRef, resolveDutyRef } from "../../domain/duty-ref.ts";
import { MAX_NOTE_LENGTH } from "../../domain/report-line.ts";
import { AppError } from "../../model/errors.ts";
import { agencyContacts } from "../../services/contact-service.ts";
import {
  findDifficulty,
  openDifficulties,
  raiseDifficulty,
  resolveDifficulty,
} from "../../services/difficulty-service.ts";
import { memberOf, planOf, type Ctx } from "../context.ts";
import { agencyLabel, at, reportErrorText } from "../../i18n/views.ts";
import { allSentNow, outlookLines } from "../../delivery/delivery-views.ts";
import { contactDuties, splitFirst } from "./shared.ts";

/** `/vuongmac [DUTY] TEXT`: a leading duty code ("4b ...") ties the difficulty to that duty. */
export async function raise(ctx: Ctx, args: string): Promise<void> {
  const { t } = ctx;
  const text = args.trim();
  if (!text) {
    ctx.reply(t.bot.difficulty.usage);
    return;
  }
  if (text.length > MAX_NOTE_LENGTH) {
    ctx.reply(t.bot.difficulty.tooLong);
    return;
  }
  const { person } = memberOf(ctx);
  const { agency, duties, target, allDutyCodes } = await contactDuties(ctx);
  const [typed, rest] = splitFirst(text);
  // "4b: Thiếu dữ liệu" names the duty just as "4b Thiếu dữ liệu" does.
  const first = typed.replace(/:$/, "");
  const ref = parseDutyRef(first);
  const resolved = ref && !isWeakDutyRef(ref) && rest ? resolveDutyRef(first, target, allDutyCodes) : null;
  if (resolved && !resolved.ok) {
    // A duty named but not this agency's: refuse rather than file it against the agency as a whole.
    const example = t.bot.report.example(duties[0]?.code ?? agency.code);
    ctx.reply(
      reportErrorText(t, example, {
        error: resolved.error,
        ref: first,
        ...(resolved.candidates && { candidates: resolved.candidates }),
      }),
    );
    return;
  }
  const duty = resolved?.ok ? (duties.find((d) => d.code === resolved.code) ?? null) : null;
  const body = duty ? rest.replace(/^[:\-–]\s*/, "") : text;
  const difficulty = await ctx.transaction(async (within) => {
    const raised = await raiseDifficulty(
      { db: within.tx, clock: ctx.deps.clock },
      { agency, person, duty, text: body },
    );
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
}

export async function listOpen(ctx: Ctx): Promise<void> {
  const { t } = ctx;
  const open = await openDifficulties(ctx.deps.db, planOf(ctx).id);
  if (open.length === 0) {
    ctx.reply(t.bot.difficulty.none);
    return;
  }
  ctx.reply(
    [
      t.bot.difficulty.listHeader(open.length),
      ...open.map((d) =>
        t.bot.difficulty.listLine(
          d.id,
          `${d.agency.code} ${agencyLabel(t, d.agency)}`,
          d.duty?.code ?? null,
          d.text,
          at(d.createdAt),
        ),
      ),
    ].join("\n"),
  );
}

export async function resolve(ctx: Ctx, args: string): Promise<void> {
  const { t } = ctx;
  const [idText, resolution] = splitFirst(args);
  const id = /^#?\d+$/.test(idText) ? Number(idText.replace("#", "")) : NaN;
  if (!Number.isSafeInteger(id) || !resolution) {
    ctx.reply(t.bot.difficulty.resolveUsage);
    return;
  }
  if (resolution.length > MAX_NOTE_LENGTH) {
    ctx.reply(t.bot.difficulty.tooLong);
    return;
  }
  const existing = await findDifficulty(ctx.deps.db, planOf(ctx).id, id);
  if (!existing) throw new AppError("difficulty.unknown", { id });
  const { resolved, outlook } = await ctx.transaction(async (within) => {
    const closed = await resolveDifficulty(
      { db: within.tx, clock: ctx.deps.clock },
      { id, by: memberOf(ctx).person, resolution },
    );
    const pushed = await ctx.pushFor(
      await agencyContacts(within.tx, closed.agencyId),
      "notification",
      (tc) => ({ text: tc.bot.difficulty.resolvedNotice(closed.id, closed.text, resolution) }),
      within,
    );
    return { resolved: closed, outlook: pushed };
  });
  const agency = agencyLabel(t, resolved.agency);
  // "Sent" only when it is: otherwise what waits for the morning, and who cannot be reached.
  ctx.reply(
    allSentNow(outlook)
      ? t.bot.difficulty.resolved(resolved.id, agency)
      : [t.delivery.outlook.resolved(resolved.id), ...outlookLines(t, outlook, t.delivery.outlook.reply, agency)].join(
          "\n",
        ),
  );
}
