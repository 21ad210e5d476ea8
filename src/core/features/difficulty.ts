import { isWeakDutyRef, parseDutyRef } from "../../domain/duty-ref.ts";
import { MAX_NOTE_LENGTH } from "../../domain/report-line.ts";
import { AppError } from "../../model/errors.ts";
import { agencyContacts } from "../../services/contact-service.ts";
import { findDifficulty, openDifficulties, resolveDifficulty } from "../../services/difficulty-service.ts";
import { memberOf, planOf, type Ctx } from "../context.ts";
import { agencyLabel, at } from "../../i18n/views.ts";
import { allSentNow, outlookLines } from "../../delivery/delivery-views.ts";
import { raiseDifficulty } from "../use-cases/raise-difficulty.ts";
import { splitFirst } from "../../domain/text.ts";

/** `/vuongmac [DUTY] TEXT`: a leading duty code ("4b ...") ties the difficulty to that duty. */
export async function raise(ctx: Ctx, args: string): Promise<void> {
  const text = args.trim();
  // The whole line is what is too long in the chat, whatever part of it names the duty.
  const tooLong = text.length > MAX_NOTE_LENGTH;
  const [typed, rest] = splitFirst(text);
  // "4b: Thiếu dữ liệu" names the duty just as "4b Thiếu dữ liệu" does.
  const first = typed.replace(/:$/, "");
  const ref = parseDutyRef(first);
  const named = !tooLong && ref && !isWeakDutyRef(ref) && rest;
  const input = named ? { duty: first, text: rest.replace(/^[:\-–]\s*/, "") } : { duty: null, text };
  const outcome = tooLong
    ? { ok: false as const, text: ctx.t.bot.difficulty.tooLong }
    : await raiseDifficulty(ctx, input);
  if (!outcome.ok) ctx.reply(outcome.text);
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
