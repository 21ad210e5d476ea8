import { z } from "zod";
import type { Db, Tx } from "../db/db.ts";
import {
  clearConversation,
  consumeConversation,
  readConversation,
  writeConversation,
  type StoredFlow,
} from "../services/conversation-service.ts";
import { DUTY_STATUSES } from "../domain/status.ts";

// A multi-step flow's state lives in the database so that a restart mid-flow loses nothing. What
// comes back is checked against the schema of the flow and step it names: a state written by an
// older version of the bot, or damaged, is never acted on (see loadFlow).

const duty = z.string().min(1);
const status = z.enum(DUTY_STATUSES);
const empty = z.object({}).strict();

/** The guided report: pick a duty, then a status, then (for in_progress) a percent, then a note. */
const reportFlow = z.discriminatedUnion("step", [
  z.object({ flow: z.literal("report"), step: z.literal("duty"), data: empty }),
  z.object({ flow: z.literal("report"), step: z.literal("status"), data: z.object({ duty }) }),
  z.object({ flow: z.literal("report"), step: z.literal("percent"), data: z.object({ duty, status }) }),
  z.object({
    flow: z.literal("report"),
    step: z.literal("note"),
    data: z.object({ duty, status, percent: z.number().int().min(0).max(100).nullable() }),
  }),
]);

/** The submission's preview, waiting for "Gửi báo cáo"; `shown` fingerprints the duties shown. */
const submitFlow = z.object({
  flow: z.literal("submit"),
  step: z.literal("confirm"),
  data: z.object({
    documentNumber: z.string().nullable(),
    documentDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable(),
    // A file whose bytes were not stored is never part of a submission; an older state that kept
    // one without them is not read back (see loadFlow).
    attachment: z.object({ name: z.string(), ref: z.string(), fileId: z.number().int() }).nullable(),
    shown: z.string(),
  }),
});

/** A coordinator's "/nhac all", waiting for its confirmation. */
const remindAllFlow = z.object({ flow: z.literal("remind_all"), step: z.literal("confirm"), data: empty });

/** A coordinator's "/tamdung" past the deadline, waiting for its confirmation. */
const pauseFlow = z.object({
  flow: z.literal("pause"),
  step: z.literal("confirm"),
  data: z.object({
    agencyId: z.number().int(),
    until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  }),
});

/** A report line whose duty is in several of the agency's plans, kept until the person picks one. */
const linePlanFlow = z.object({
  flow: z.literal("line_plan"),
  step: z.literal("choose"),
  data: z.object({ text: z.string().min(1).max(4000) }),
});

/**
 * A guided command of an agency in several plans, or a coordinator's one-plan command with several
 * plans followed, kept until the person picks the plan.
 */
const commandPlanFlow = z.object({
  flow: z.literal("command_plan"),
  step: z.literal("choose"),
  data: z.object({
    command: z.enum([
      "baocao",
      "nopbaocao",
      "vuongmac",
      "chitieu",
      "xuat",
      "bieudo",
      "baocaotonghop",
      "nhac",
      "molai",
      "tailieu",
    ]),
    args: z.string().max(4000),
  }),
});

/** `/kehoach dong CODE`: an administrator closes a plan after confirming. */
const closePlanFlow = z.object({
  flow: z.literal("close_plan"),
  step: z.literal("confirm"),
  data: z.object({ code: z.string().min(1).max(20) }),
});

const flowSchema = z.union([
  reportFlow,
  submitFlow,
  remindAllFlow,
  pauseFlow,
  linePlanFlow,
  commandPlanFlow,
  closePlanFlow,
]);

/** A flow as written: which flow, which step, and that step's data. */
export type FlowStep = z.infer<typeof flowSchema>;

export type FlowName = FlowStep["flow"];

/**
 * A flow as read back: the row as read, so that only one of two simultaneous answers can consume it,
 * and the code of the plan the flow is about (an agency in several plans answers in the one it began).
 */
export type FlowState<F extends FlowName = FlowName> = Extract<FlowStep, { flow: F }> & {
  loaded?: { data: string; updatedAt: Date };
  plan?: string;
};

/** Where the plan's code sits in the stored data, beside the step's own fields. */
const PLAN_KEY = "$plan";

/** A stored state that does not parse: outdated or damaged, to be ended, never used. */
export const INVALID_FLOW = "invalid";

/**
 * A flow left for longer than this is forgotten: hours later, "4b xong" is a new report, not the
 * answer to "Nhập tỷ lệ hoàn thành" asked in the morning.
 */
export const FLOW_TTL_MS = 2 * 60 * 60 * 1000;

export async function loadFlow(db: Db, identityId: number, now: Date): Promise<FlowState | typeof INVALID_FLOW | null> {
  return flowOf(await readConversation(db, identityId), now);
}

/** The flow a stored row holds at `now`: none once it expired, INVALID_FLOW when it does not parse. */
export function flowOf(row: StoredFlow | null, now: Date): FlowState | typeof INVALID_FLOW | null {
  if (!row || now.getTime() - row.updatedAt.getTime() > FLOW_TTL_MS) return null;
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    return INVALID_FLOW;
  }
  const { [PLAN_KEY]: plan, ...own } = (data ?? {}) as Record<string, unknown>;
  const parsed = flowSchema.safeParse({ flow: row.flow, step: row.step, data: own });
  if (!parsed.success || (plan !== undefined && typeof plan !== "string")) return INVALID_FLOW;
  return { ...parsed.data, loaded: { data: row.data, updatedAt: row.updatedAt }, ...(plan && { plan }) };
}

export async function saveFlow(db: Db, identityId: number, state: FlowStep, now: Date, plan?: string): Promise<void> {
  const data = plan ? { ...state.data, [PLAN_KEY]: plan } : state.data;
  await writeConversation(db, identityId, { flow: state.flow, step: state.step, data: JSON.stringify(data) }, now);
}

export async function clearFlow(db: Db, identityId: number): Promise<void> {
  await clearConversation(db, identityId);
}

/** Ends the flow if it is still exactly as it was read: only one of two answers to it acts. */
export async function consumeFlow(db: Db | Tx, identityId: number, state: FlowState): Promise<boolean> {
  const seen = state.loaded && { flow: state.flow, step: state.step, ...state.loaded };
  return consumeConversation(db, identityId, seen ?? null);
}
