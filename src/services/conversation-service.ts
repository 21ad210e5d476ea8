import type { Db, Tx } from "../db/db.ts";
import type { Conversation } from "../generated/prisma/client.ts";

// Where a multi-step flow's state is kept between messages: one row per account. What the state
// means, and whether what was read back can be trusted, is the core's (core/conversation.ts).

export type StoredFlow = Pick<Conversation, "flow" | "step" | "data" | "updatedAt">;

export async function readConversation(db: Db, identityId: number): Promise<StoredFlow | null> {
  return db.conversation.findUnique({ where: { identityId } });
}

export async function writeConversation(
  db: Db,
  identityId: number,
  state: Pick<Conversation, "flow" | "step" | "data">,
  now: Date,
): Promise<void> {
  const data = { ...state, updatedAt: now };
  await db.conversation.upsert({ where: { identityId }, create: { identityId, ...data }, update: data });
}

export async function clearConversation(db: Db, identityId: number): Promise<void> {
  // Most commands end a flow that is not there. Read first, so that they write nothing then, and
  // a question is answered while another process holds the write lock.
  const row = await db.conversation.findUnique({ where: { identityId }, select: { identityId: true } });
  if (row) await db.conversation.deleteMany({ where: { identityId } });
}

/**
 * Deletes the row if it is still exactly `seen` (any row when `seen` is null); true when this call
 * deleted it. A double tap, or two updates handled in parallel, both read the same state; only the
 * first may act on it.
 */
export async function consumeConversation(db: Db | Tx, identityId: number, seen: StoredFlow | null): Promise<boolean> {
  const { count } = await db.conversation.deleteMany({ where: { identityId, ...seen } });
  return count === 1;
}
