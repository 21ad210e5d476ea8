import type { Db, Tx } from "../db.ts";

/** A multi-step flow's state lives in the database so that a restart mid-flow loses nothing. */
export interface FlowState {
  flow: "report" | "submit" | "remind_all";
  step: string;
  data: Record<string, unknown>;
  /** The row as read, so that only one of two simultaneous answers can consume it. */
  loaded?: { data: string; updatedAt: Date };
}

/**
 * A flow left for longer than this is forgotten: hours later, "4b xong" is a new report, not the
 * answer to "Nhập tỷ lệ hoàn thành" asked in the morning.
 */
export const FLOW_TTL_MS = 2 * 60 * 60 * 1000;

export async function loadFlow(db: Db, identityId: number, now: Date): Promise<FlowState | null> {
  const row = await db.conversation.findUnique({ where: { identityId } });
  if (!row || now.getTime() - row.updatedAt.getTime() > FLOW_TTL_MS) return null;
  return {
    flow: row.flow as FlowState["flow"],
    step: row.step,
    data: JSON.parse(row.data) as Record<string, unknown>,
    loaded: { data: row.data, updatedAt: row.updatedAt },
  };
}

export async function saveFlow(db: Db, identityId: number, state: FlowState, now: Date): Promise<void> {
  const data = { flow: state.flow, step: state.step, data: JSON.stringify(state.data), updatedAt: now };
  await db.conversation.upsert({ where: { identityId }, create: { identityId, ...data }, update: data });
}

export async function clearFlow(db: Db, identityId: number): Promise<void> {
  await db.conversation.deleteMany({ where: { identityId } });
}

/**
 * Ends the flow if it is still exactly as it was read. A double tap on "Gửi báo cáo", or two
 * updates handled in parallel, both read the same state; only the first may act on it.
 */
export async function consumeFlow(db: Db | Tx, identityId: number, state: FlowState): Promise<boolean> {
  if (!state.loaded) return (await db.conversation.deleteMany({ where: { identityId } })).count === 1;
  const { count } = await db.conversation.deleteMany({
    where: {
      identityId,
      flow: state.flow,
      step: state.step,
      data: state.loaded.data,
      updatedAt: state.loaded.updatedAt,
    },
  });
  return count === 1;
}
