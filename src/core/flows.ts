import type { Role } from "../model/roles.ts";
import type { Ctx } from "./context.ts";
import type { FlowName, FlowState } from "./conversation.ts";
import * as coord from "./features/coordinator.ts";
import * as pauseFeature from "./features/pause.ts";
import * as planLine from "./features/plan-line.ts";
import * as report from "./features/report.ts";
import * as submit from "./features/submit.ts";
import type { IncomingAttachment } from "../model/bot-core.ts";

/** An answer to a flow's question: a pressed choice, or typed text with what came attached. */
export interface FlowInput {
  choice?: string;
  text?: string;
  attachment?: IncomingAttachment;
}

interface FlowRoute<F extends FlowName> {
  /** Whose answers it takes: anyone else's choice is stale, and their text is read as usual. */
  roles: readonly Role[];
  /** False when typed text is no answer: the text ends the flow and is read as usual. */
  takesText: boolean;
  continue(ctx: Ctx, state: FlowState<F>, input: FlowInput): Promise<void>;
}

// Keyed by the flows conversation.ts can read back, so a flow without its handler does not compile.
export const FLOWS: { [F in FlowName]: FlowRoute<F> } = {
  report: {
    roles: ["contact"],
    takesText: true,
    continue: (ctx, state, input) => report.continueReport(ctx, state, input),
  },
  submit: {
    roles: ["contact"],
    takesText: true,
    continue: (ctx, state, input) => submit.continueSubmit(ctx, state, input),
  },
  remind_all: {
    roles: ["coordinator", "admin"],
    takesText: false,
    continue: (ctx, state, input) => coord.continueRemindAll(ctx, state, input.choice),
  },
  pause: {
    roles: ["coordinator", "admin"],
    takesText: false,
    continue: (ctx, state, input) => pauseFeature.continuePause(ctx, state, input.choice),
  },
  line_plan: {
    roles: ["contact"],
    takesText: false,
    continue: (ctx, state, input) => planLine.continueLinePlan(ctx, state, input.choice),
  },
  close_plan: {
    roles: ["admin"],
    takesText: false,
    continue: (ctx, state, input) => coord.continueClosePlan(ctx, state, input.choice),
  },
  command_plan: {
    roles: ["contact", "coordinator", "admin"],
    takesText: false,
    continue: (ctx, state, input) => planLine.continueCommandPlan(ctx, state, input.choice),
  },
};

export function flowServes(state: FlowState, role: Role): boolean {
  return FLOWS[state.flow].roles.includes(role);
}

export function flowTakesText(state: FlowState): boolean {
  return FLOWS[state.flow].takesText;
}

export function continueFlow<F extends FlowName>(ctx: Ctx, state: FlowState<F>, input: FlowInput): Promise<void> {
  // The compiler does not tie `state.flow` to F through FlowState's Extract; the table's type does.
  const route: FlowRoute<F> = FLOWS[state.flow];
  return route.continue(ctx, state, input);
}
