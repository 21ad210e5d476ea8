import type { Db } from "../db/db.ts";
import type { Identity } from "../generated/prisma/client.ts";
import { canReach, ownSession, type Presence } from "./presence.ts";
import type { Claimed, Route, SendResult } from "./send-job.ts";

// Which due rows this process sends now. A push goes to the person's most recently used account on
// a platform that runs in some live process; only the process holding that platform's lease claims
// it, so the platform's rate holds across processes, and the claim itself is a guarded update, so
// of two processes claiming the same row only one gets it.

/** A row none of whose platforms runs anywhere is looked at again this much later. */
const HOLD_RECHECK_MS = 60 * 1000;
/**
 * Rows claimed per round. A round waits for its sends before the next claim, so fewer rounds
 * leave fewer gaps in a fan-out; but a claim names its rows one bound value each, and Prisma's
 * SQLite adapter refuses a statement with more than 999 of them (P2029).
 */
const CLAIM_CHUNK = 900;

export interface ClaimContext {
  db: Db;
  presence: Presence;
  /** The platforms this process sends for, one lease each. */
  platforms: readonly string[];
  /** The people's own sessions this process runs (reachOf): no lease, as nobody else sends to them. */
  sessions: ReadonlySet<string>;
}

function byRecentUse(a: Identity, b: Identity): number {
  return (b.lastSeenAt?.getTime() ?? b.createdAt.getTime()) - (a.lastSeenAt?.getTime() ?? a.createdAt.getTime());
}

/** Why none of these accounts can be reached: the reason of the latest refusal ("unknown" without one). */
function lastUnreachableReason(identities: readonly Identity[]): string {
  const marked = identities
    .filter((i) => i.unreachableAt !== null)
    .sort((a, b) => b.unreachableAt!.getTime() - a.unreachableAt!.getTime());
  return marked[0]?.unreachableReason ?? "unknown";
}

async function loadRoutes(db: Db, personIds: number[]): Promise<Map<number, Route & { unreachableReason: string }>> {
  const people = await db.person.findMany({ where: { id: { in: personIds } }, include: { identities: true } });
  return new Map(
    people.map((person) => [
      person.id,
      {
        person,
        identities: person.identities.filter((i) => i.unreachableAt === null).sort(byRecentUse),
        unreachableReason: lastUnreachableReason(person.identities),
      },
    ]),
  );
}

/**
 * Decides each due row's fate and claims those this process sends now: what is due at `now`, with
 * leases and liveness judged at `current`, the time as the pass runs.
 */
export async function claimDue(ctx: ClaimContext, now: Date, result: SendResult, current = now): Promise<Claimed[]> {
  const { db, presence } = ctx;
  const { ids: live, platforms: running } = await presence.live(current);
  const leased = new Set<string>();
  for (const name of ctx.platforms) if (await presence.acquireLease(name, current)) leased.add(name);

  const due = await db.outboxMessage.findMany({
    where: {
      status: "pending",
      nextAttemptAt: { lte: now },
      OR: [{ claimedBy: null }, { claimedBy: { notIn: live } }],
    },
    orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
    select: { id: true, personId: true },
    take: CLAIM_CHUNK,
  });
  if (due.length === 0) return [];
  const routes = await loadRoutes(db, [...new Set(due.map((r) => r.personId))]);
  const mine: { id: number; identity: Identity }[] = [];
  const held: number[] = [];
  for (const row of due) {
    const route = routes.get(row.personId);
    if (!route?.person.active) {
      // Left the post (or was removed): not a delivery failure to report as "blocked the bot".
      await db.outboxMessage.update({
        where: { id: row.id },
        data: { status: "skipped", skipReason: "deactivated", claimedAt: null, claimedBy: null },
      });
      continue;
    }
    if (route.identities.length === 0) {
      const updated = await db.outboxMessage.update({
        where: { id: row.id },
        data: {
          status: "unreachable",
          attempts: { increment: 1 },
          lastError: "no reachable account",
          failureReason: route.unreachableReason,
          nextAttemptAt: now,
          claimedBy: null,
        },
      });
      result.unreachable.push(updated);
      continue;
    }
    const identity = route.identities.find((i) => canReach(running, i));
    if (!identity) held.push(row.id);
    else if (leased.has(identity.platform) || ownSession(ctx.sessions, identity)) mine.push({ id: row.id, identity });
    // Otherwise another live process runs that platform and sends it.
  }
  if (held.length > 0) {
    // Waits, without counting an attempt, until one of the person's platforms runs somewhere.
    await db.outboxMessage.updateMany({
      where: { id: { in: held } },
      data: { heldReason: "no_platform", nextAttemptAt: new Date(now.getTime() + HOLD_RECHECK_MS) },
    });
  }
  return mine.length === 0 ? [] : takeClaims(ctx, now, live, mine, routes);
}

/** The guarded update: rows another process claimed meanwhile are left to it. */
async function takeClaims(
  ctx: ClaimContext,
  now: Date,
  live: string[],
  mine: { id: number; identity: Identity }[],
  routes: Map<number, Route>,
): Promise<Claimed[]> {
  const { db, presence } = ctx;
  const ids = mine.map((m) => m.id);
  await db.outboxMessage.updateMany({
    where: { id: { in: ids }, status: "pending", OR: [{ claimedBy: null }, { claimedBy: { notIn: live } }] },
    data: { claimedBy: presence.processId, claimedAt: now },
  });
  const claimed = await db.outboxMessage.findMany({
    where: { id: { in: ids }, claimedBy: presence.processId, status: "pending" },
    orderBy: { id: "asc" },
  });
  const identityOf = new Map(mine.map((m) => [m.id, m.identity]));
  return claimed.map((row) => ({ row, route: routes.get(row.personId)!, identity: identityOf.get(row.id)! }));
}
