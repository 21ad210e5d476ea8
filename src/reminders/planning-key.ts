import { providerOf, type Db } from "../db/db.ts";
import type { Plan } from "../generated/prisma/client.ts";
import type { WorkCalendar } from "../schedule/calendar.ts";
import { loadWorkCalendar } from "../schedule/calendar-store.ts";
import { policyOf } from "../schedule/policy.ts";
import { reminderPoints } from "../schedule/schedule.ts";
import { liveDigestDates } from "./plan-digests.ts";
import { activePlans, HOUR_MS } from "./planning.ts";

/**
 * Everything a planning pass decides from, in a few aggregate queries: when two ticks get the same
 * key, the second would decide exactly what the first did. A minute tick that finds nothing new
 * then costs these queries instead of every plan's status, contacts and outbox keys (at national
 * scale a third of a second and tens of megabytes a plan, every minute, for nothing).
 *
 * Rows are summed rather than read: a checksum per table (count, ids, and the columns a decision
 * looks at, each weighted by its row) changes with any insert, delete or update of those columns.
 * The few text columns a decision reads (a pause date, a coordinator's plans) are read as they are,
 * from the rows where they are set. The outbox is not in the key: rows that another process planned
 * meanwhile are rows this one would have skipped, and no one deletes a planned row.
 */
export async function planningKey(db: Db, now: Date): Promise<string> {
  const [plans, calendar] = await Promise.all([activePlans(db), loadWorkCalendar(db)]);
  const times = plans.map((plan) => timesOf(plan, calendar, now));
  // Reports count only up to the latest time that has come: a decision reads the reports before
  // its point (whether the agency reported lately), and a report sent after the last point changes
  // no decision. Counting every report re-planned 60 plans each minute of a working day (1.5 s of
  // the database's turn every minute at national scale, the sends waiting behind it).
  const latest = Math.max(0, ...times.flatMap((t) => t.instants.filter((ms) => ms <= now.getTime())));
  const [sums, paused, follows] = await Promise.all([
    tableSums(db, new Date(latest)),
    db.agency.findMany({ where: { pausedUntil: { not: null } }, select: { id: true, pausedUntil: true } }),
    db.person.findMany({ where: { follows: { not: null } }, select: { id: true, follows: true } }),
  ]);
  return JSON.stringify({
    plans: plans.map((plan, i) => [plan.id, plan.updatedAt.getTime(), ...times[i]!.labels]),
    sums,
    paused: paused.map((a) => `${a.id}:${a.pausedUntil}`),
    follows: follows.map((p) => `${p.id}:${p.follows}`),
  });
}

/**
 * The reminder points and digest dates whose time has come at `now`, each point marked once it is
 * too old to send. The work calendar counts only through them: it moves points, nothing else.
 */
function timesOf(plan: Plan, calendar: WorkCalendar, now: Date): { labels: string[]; instants: number[] } {
  const policy = policyOf(plan);
  const points = reminderPoints(plan.reportDeadline, policy, calendar).filter((p) => p.dueAt <= now);
  const digests = liveDigestDates(plan, policy, calendar, now, policy.expireAfterHours);
  return {
    labels: [
      ...points.map(
        (p) =>
          `${p.label}@${p.dueAt.getTime()}${now.getTime() - p.dueAt.getTime() > policy.expireAfterHours * HOUR_MS ? "~" : ""}`,
      ),
      ...digests.map((d) => d.date),
    ],
    instants: [...points.map((p) => p.dueAt.getTime()), ...digests.map((d) => d.dueAt.getTime())],
  };
}

// Weights keep two changes from cancelling out: moving row 7 from agency 3 to 4 and row 9 from 4 to
// 3 leaves a plain sum of the column as it was; weighted by a number drawn from each row's id, it
// changes by the difference of the two rows' weights.
const W = (column: string, prime: number) => `SUM(COALESCE(${column}, 0) * ("id" % ${prime} + 1))`;

const SUMS = `
SELECT 'person' AS t, COUNT(*) AS n, SUM("id") AS a,
  SUM(CASE WHEN "active" THEN "id" ELSE 0 END) AS b,
  SUM(CASE "role" WHEN 'contact' THEN "id" WHEN 'coordinator' THEN 2 * "id" ELSE 3 * "id" END) AS c,
  ${W('"directoryAgencyId"', 997)} AS d
FROM "Person"
UNION ALL
SELECT 'agency', COUNT(*), SUM("id"),
  SUM(CASE WHEN "withdrawn" THEN "id" ELSE 0 END),
  ${W('"parentId"', 991)} + ${W('"directoryId"', 983)} + ${W('"planId"', 977)},
  SUM(LENGTH("name") * ("id" % 971 + 1)) + SUM(LENGTH("code") * ("id" % 967 + 1))
FROM "Agency"
UNION ALL
SELECT 'duty', COUNT(*), SUM("id"), SUM(CASE WHEN "withdrawn" THEN "id" ELSE 0 END), ${W('"agencyId"', 953)}, 0
FROM "Duty"
UNION ALL
SELECT 'submission', COUNT(*), MAX("id"),
  SUM(CASE WHEN "supersededAt" IS NULL THEN "id" ELSE 0 END),
  SUM(CASE WHEN "reopenedAt" IS NULL THEN "id" ELSE 0 END),
  ${W('"agencyId"', 947)}
FROM "Submission"
UNION ALL
SELECT 'report', COUNT(*), MAX("id"), 0, 0, 0 FROM "DutyReport" WHERE "createdAt" < :before
`;

/** One row of checksums per table, as strings: PostgreSQL sums to big integers, SQLite to numbers. */
async function tableSums(db: Db, reportsBefore: Date): Promise<string[]> {
  const sql = SUMS.replace(":before", providerOf(db) === "postgresql" ? "$1" : "?");
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(sql, reportsBefore);
  return rows.map((row) => Object.values(row).map(String).join(":"));
}
