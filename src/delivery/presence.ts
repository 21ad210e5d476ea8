import { hostname } from "node:os";
import type { Db, Tx } from "../db/db.ts";

/** A process that has not beaten for this long is presumed dead: its claims are retaken at once. */
export const HEARTBEAT_STALE_MS = 30_000;
/** How often a live process beats (and renews its platform leases). */
export const HEARTBEAT_EVERY_MS = 10_000;
/** A lease outlives its last renewal by this much; then another process may send for the platform. */
export const LEASE_MS = 30_000;

export interface Presence {
  readonly processId: string;
  /** Records that this process is alive and renews the leases it holds. */
  beat(now: Date): Promise<void>;
  /** Ids of the processes alive at `now`, this one included. */
  live(now: Date): Promise<{ ids: string[]; platforms: Set<string> }>;
  /**
   * Takes or renews the lease that lets only one process at a time send for `platform`. A lease
   * is free when it expired: its holder renews it with every beat, so it expires just when the
   * holder's heartbeat turns stale.
   */
  acquireLease(platform: string, now: Date): Promise<boolean>;
  /** Gives up the leases and the heartbeat, so others take over without waiting. */
  leave(): Promise<void>;
}

/**
 * The platforms some live process runs at `now`, `own` (this process's) included even before its
 * first beat. Read with whichever client the caller holds, a transaction's too.
 */
export async function runningPlatforms(db: Db | Tx, now: Date, own: readonly string[]): Promise<Set<string>> {
  const rows = await db.processHeartbeat.findMany({
    where: { beatAt: { gte: new Date(now.getTime() - HEARTBEAT_STALE_MS) } },
    select: { platforms: true },
  });
  return platformSet(rows, own);
}

/**
 * What a channel advertises in its process's heartbeat: a platform's name, or for one person's
 * session that person's account ("console:admin"), so other accounts of the platform are not
 * taken for reachable by it.
 */
export function reachOf(channel: { name: string; session?: { userId: string } | undefined }): string {
  return channel.session ? sessionReach(channel.name, channel.session.userId) : channel.name;
}

function sessionReach(platform: string, userId: string): string {
  return `${platform}:${userId}`;
}

/** Whether some running channel reaches this account: its whole platform, or its own session. */
export function canReach(running: ReadonlySet<string>, identity: { platform: string; userId: string }): boolean {
  return running.has(identity.platform) || running.has(sessionReach(identity.platform, identity.userId));
}

/** Whether one of these session channels (this process's) is the account's own. */
export function ownSession(sessions: ReadonlySet<string>, identity: { platform: string; userId: string }): boolean {
  return sessions.has(sessionReach(identity.platform, identity.userId));
}

function platformSet(rows: readonly { platforms: string }[], own: readonly string[]): Set<string> {
  const running = new Set([...rows.flatMap((r) => r.platforms.split(",")), ...own]);
  running.delete("");
  return running;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/**
 * Heartbeats and platform leases, both kept in the database so they hold across processes and
 * hosts. Each call is one short statement, so it can take its turn with chat events.
 */
export function createPresence(deps: { db: Db; processId: string; platforms: readonly string[] }): Presence {
  const { db, processId } = deps;
  const platforms = deps.platforms.join(",");
  const held = new Set<string>();
  let startedAt: Date | null = null;

  async function beat(now: Date): Promise<void> {
    startedAt ??= now;
    await db.processHeartbeat.upsert({
      where: { id: processId },
      create: { id: processId, host: hostname(), pid: process.pid, platforms, startedAt, beatAt: now },
      update: { beatAt: now, platforms },
    });
    if (held.size > 0) {
      await db.platformLease.updateMany({
        where: { platform: { in: [...held] }, holder: processId },
        data: { expiresAt: new Date(now.getTime() + LEASE_MS) },
      });
    }
  }

  return {
    processId,
    beat,
    async live(now) {
      const rows = await db.processHeartbeat.findMany({
        where: { beatAt: { gte: new Date(now.getTime() - HEARTBEAT_STALE_MS) } },
        select: { id: true, platforms: true },
      });
      const ids = rows.map((r) => r.id);
      if (!ids.includes(processId)) ids.push(processId);
      return { ids, platforms: platformSet(rows, deps.platforms) };
    },
    async acquireLease(platform, now) {
      const expiresAt = new Date(now.getTime() + LEASE_MS);
      // Guarded update: only the holder renews, and anyone takes an expired lease. Whether it
      // expired is judged in this one statement; a list of live processes read before it may
      // predate the holder's first beat, and then two processes would both take the lease.
      const taken = await db.platformLease.updateMany({
        where: { platform, OR: [{ holder: processId }, { expiresAt: { lt: now } }] },
        data: { holder: processId, expiresAt },
      });
      if (taken.count === 0) {
        try {
          await db.platformLease.create({ data: { platform, holder: processId, expiresAt } });
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          held.delete(platform);
          return false;
        }
      }
      held.add(platform);
      return true;
    },
    async leave() {
      await db.platformLease.deleteMany({ where: { holder: processId } });
      await db.processHeartbeat.deleteMany({ where: { id: processId } });
      held.clear();
    },
  };
}
