import { z } from "zod";
import { cleanInput, INPUT_MAX_LENGTH } from "../../domain/clean-text.ts";
import { DUTY_STATUSES } from "../../model/duty-status.ts";
import type {
  IncomingAttachment,
  ReportProgressInput,
  UseCaseField,
  UseCaseInput,
  UseCaseName,
  UseCaseResult,
  UseCaseValue,
} from "../../model/bot-core.ts";
import { encodeChoice } from "../../model/choices.ts";
import type { CommandName } from "../../model/commands.ts";
import type { Ctx } from "../context.ts";
import { INVALID_FLOW } from "../conversation.ts";
import { home, mayRun, routeChoice } from "../routes.ts";
import type { Outcome } from "./outcome.ts";
import { raiseDifficulty } from "./raise-difficulty.ts";
import { recordFigure } from "./record-figure.ts";
import { draftOf, reportProgress, reportRefusal } from "./report-progress.ts";
import { confirmSubmission, previewSubmission } from "./submission.ts";
import { contactDuties } from "../features/shared.ts";

// The typed entry points (BotCore.run): each checks its input with zod, passes the gate of the
// command it stands for, and runs the same code as the chat's way to it.

/** What a person typed in a form, made safe to store as the chat's text is (see bot.ts). */
const typed = z
  .string()
  .max(INPUT_MAX_LENGTH)
  .transform((s) => cleanInput(s).trim());
const optionalTyped = typed.nullable().transform((s) => s || null);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const attachment = z.custom<IncomingAttachment>(
  (v) => typeof v === "object" && v !== null && typeof (v as IncomingAttachment).name === "string",
);
const none = z.object({}).strict();

const SCHEMAS = {
  reportProgress: z.object({
    duty: typed.pipe(z.string().min(1)),
    status: z.enum(DUTY_STATUSES).nullable(),
    percent: z.union([z.number(), typed]).nullable(),
    note: optionalTyped,
  }),
  recordFigure: z.object({ indicator: typed, participants: typed }),
  raiseDifficulty: z.object({ duty: optionalTyped, text: typed }),
  previewSubmission: z.object({
    documentNumber: optionalTyped,
    documentDate: isoDate.nullable(),
    attachment: attachment.optional(),
  }),
  confirmSubmission: none,
  cancelSubmission: none,
  startReport: none,
  startSubmit: none,
  home: none,
} satisfies { [N in UseCaseName]: z.ZodType<UseCaseInput<N>, unknown> };

type Checked<N extends UseCaseName> = z.output<(typeof SCHEMAS)[N]>;

interface UseCase<N extends UseCaseName> {
  /** The command whose gate it passes (who may, with a plan in force); null: no gate (home). */
  command: CommandName | null;
  /** Ends a flow in progress first, as a command does: the form replaces what was half-done. */
  endsFlow: boolean;
  run(ctx: Ctx, input: Checked<N>): Promise<Outcome<UseCaseValue<N>, UseCaseField<N>>>;
}

const ok = { ok: true, value: null } as const;

// Keyed by the port's names, so a use case declared there without its code here does not compile.
const USE_CASES: { [N in UseCaseName]: UseCase<N> } = {
  reportProgress: {
    command: "baocao",
    endsFlow: true,
    async run(ctx, input: ReportProgressInput) {
      const draft = draftOf(input);
      if (draft !== "malformed") return reportProgress(ctx, draft);
      return reportRefusal(ctx.t, (await contactDuties(ctx)).duties, { error: "report.malformed" });
    },
  },
  recordFigure: { command: "chitieu", endsFlow: true, run: recordFigure },
  raiseDifficulty: { command: "vuongmac", endsFlow: true, run: raiseDifficulty },
  previewSubmission: { command: "nopbaocao", endsFlow: true, run: previewSubmission },
  confirmSubmission: {
    command: "nopbaocao",
    endsFlow: false,
    async run(ctx) {
      const flow = await ctx.flow();
      if (flow === INVALID_FLOW || flow?.flow !== "submit") {
        // Nothing waits to be sent: the chat's answer to its button says so (stale, or ended).
        await routeChoice(ctx, encodeChoice({ kind: "confirm", flow: "submit", answer: "confirm" }));
        return { ok: true, value: { sent: false, preview: null } };
      }
      return { ok: true, value: await confirmSubmission(ctx, flow) };
    },
  },
  cancelSubmission: {
    command: "nopbaocao",
    endsFlow: false,
    async run(ctx) {
      await routeChoice(ctx, encodeChoice({ kind: "confirm", flow: "submit", answer: "cancel" }));
      return ok;
    },
  },
  startReport: {
    command: "baocao",
    endsFlow: false,
    async run(ctx) {
      await routeChoice(ctx, encodeChoice({ kind: "start", what: "report" }));
      return ok;
    },
  },
  startSubmit: {
    command: "nopbaocao",
    endsFlow: false,
    async run(ctx) {
      await routeChoice(ctx, encodeChoice({ kind: "start", what: "submit" }));
      return ok;
    },
  },
  home: {
    command: null,
    endsFlow: false,
    async run(ctx) {
      await home(ctx);
      return ok;
    },
  },
};

/** Runs a use case on a context the bot built for its sender; errors thrown go up to the bot. */
export async function runUseCase<N extends UseCaseName>(
  ctx: Ctx,
  name: N,
  input: UseCaseInput<N>,
): Promise<UseCaseResult<N>> {
  const useCase: UseCase<N> = USE_CASES[name];
  const fail = (errors: Partial<Record<UseCaseField<N>, string>>): UseCaseResult<N> => ({
    ok: false,
    errors,
    replies: ctx.replies,
  });
  if (useCase.command && !mayRun(ctx, useCase.command)) return fail({});
  const checked = SCHEMAS[name].safeParse(input);
  if (!checked.success) {
    const fields = checked.error.issues.map((issue) => String(issue.path[0] ?? "")).filter(Boolean);
    return fail(
      Object.fromEntries(fields.map((f) => [f, ctx.t.bot.fieldInvalid])) as Partial<Record<UseCaseField<N>, string>>,
    );
  }
  if (useCase.endsFlow) await ctx.endFlow();
  const outcome = await useCase.run(ctx, checked.data as Checked<N>);
  if (outcome.ok) return { ok: true, value: outcome.value, replies: ctx.replies };
  ctx.reply(outcome.text, undefined, outcome.outcome);
  return fail({ [outcome.field]: outcome.text } as unknown as Partial<Record<UseCaseField<N>, string>>);
}
