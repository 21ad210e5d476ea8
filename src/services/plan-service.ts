import type { Db } from "../db/db.ts";
import { AppError } from "../model/errors.ts";
import { addDays, dayOfWeek } from "../lib/time.ts";
import { policyOf } from "../schedule/policy.ts";
import { foldVietnamese } from "../domain/text.ts";
import type { Agency, DirectoryAgency, Duty, Indicator, Plan } from "../generated/prisma/client.ts";
import { activePlans, assignmentsOf, directoryByCode, directoryByName, SECTION_NUMBER } from "./directory-service.ts";

export type { Agency, Duty, Plan };

/**
 * The plan a command is about: the one whose code was given (a closed one too when `closedToo`,
 * for its history and exports), else the only active plan. With several active and no code, the
 * command must say which (`plan.choose`).
 */
export async function choosePlan(
  db: Db,
  code: string | undefined,
  options: { closedToo?: boolean } = {},
): Promise<Plan> {
  const active = await activePlans(db);
  const codes = active.map((p) => p.code).join(", ");
  if (code !== undefined) {
    const wanted = code.trim().toUpperCase();
    const plan = await db.plan.findUnique({ where: { code: wanted } });
    if (!plan || (!plan.active && !options.closedToo)) throw new AppError("plan.unknown", { code, codes });
    return plan;
  }
  if (active.length === 0) throw new AppError("plan.none_active");
  if (active.length > 1) throw new AppError("plan.choose", { codes });
  return active[0]!;
}

/** The active plans, or the one of `code`: what status and exports cover. */
export async function plansFor(db: Db, code: string | undefined): Promise<Plan[]> {
  if (code !== undefined) return [await choosePlan(db, code, { closedToo: true })];
  const active = await activePlans(db);
  if (active.length === 0) throw new AppError("plan.none_active");
  return active;
}

/** Duties an agency reports on: a member (commune) reports on its group's duties. */
export async function dutiesOf(db: Db, agency: Agency): Promise<Duty[]> {
  return db.duty.findMany({
    where: { agencyId: agency.parentId ?? agency.id, withdrawn: false },
    orderBy: { sortOrder: "asc" },
  });
}

type PlanDuty = Duty & { agency: { code: string } };

/**
 * Each client's copy of its plans' duties, as agencyDuties reads them, under the plan row's
 * updatedAt: a plan's import touches the row whenever it changes an agency or a duty (see
 * importPlan), and every chat event reads its plan's row afresh, so a copy is never used past a
 * change, whichever process made it. Reading 29 duties through Prisma was a fifth of a report.
 */
const planDuties = new WeakMap<object, Map<number, { version: number; rows: PlanDuty[] }>>();

async function readPlanDuties(db: Db, planId: number, plan?: Pick<Plan, "id" | "updatedAt">): Promise<PlanDuty[]> {
  const read = () =>
    db.duty.findMany({
      where: { agency: { planId }, withdrawn: false },
      include: { agency: { select: { code: true } } },
      orderBy: [{ sortOrder: "asc" }, { id: "asc" }],
    });
  if (plan?.id !== planId) return read();
  const kept = planDuties.get(db) ?? new Map<number, { version: number; rows: PlanDuty[] }>();
  planDuties.set(db, kept);
  const version = plan.updatedAt.getTime();
  const copy = kept.get(planId);
  if (copy?.version === version) return copy.rows;
  const rows = await read();
  kept.set(planId, { version, rows });
  return rows;
}

/**
 * An agency's duties (its group's, for a member), the code they are filed under and every duty
 * code of its plan, read together: a one-line report needs all three. Given the agency's plan as
 * the event read it, the plan's duties may come from the copy kept since that version of the plan.
 */
export async function agencyDuties(
  db: Db,
  agency: Agency,
  plan?: Pick<Plan, "id" | "updatedAt">,
): Promise<{ duties: Duty[]; ownerCode: string; planCodes: string[] }> {
  const rows = await readPlanDuties(db, agency.planId, plan);
  const ownerId = agency.parentId ?? agency.id;
  const owned = rows.filter((r) => r.agencyId === ownerId);
  const duties = owned.map(({ agency: _owner, ...duty }) => duty);
  const ownerCode = owned[0]?.agency.code ?? (await dutyOwnerCode(db, agency));
  return { duties, ownerCode, planCodes: rows.map((r) => r.code) };
}

/** The code whose duties an agency reports on (its group's for a member). */
export async function dutyOwnerCode(db: Db, agency: Agency): Promise<string> {
  if (agency.parentId === null) return agency.code;
  const parent = await db.agency.findUniqueOrThrow({ where: { id: agency.parentId } });
  return parent.code;
}

/**
 * Finds an agency's place in a plan from what a coordinator typed, in this order:
 * 1. a directory code (`BHXH`, `bhxh`, a commune's `25195`);
 * 2. a section number of the plan (`IV.4`, `iv.4`, `4`, `IV.9-25195`);
 * 3. a unique name or alias, with or without diacritics ("binh phuoc");
 * 4. otherwise it refuses, naming the candidates.
 * A directory agency that has no place in this plan is found in the first other active plan that
 * has it (an invite is to the agency, whatever the plan); in none, it is refused.
 */
export async function findAgency(db: Db, planId: number, query: string): Promise<Agency> {
  const q = query.trim();
  if (!q) throw new AppError("agency.unknown", { query });
  const byCode = SECTION_NUMBER.test(q) ? null : await directoryByCode(db, q);
  if (byCode) return placeOf(db, planId, byCode);
  const agencies = await db.agency.findMany({ where: { planId, withdrawn: false } });
  const section = bySection(agencies, q);
  if (section) return section;
  const named = await directoryByName(db, q);
  const inPlan = agencies.filter((a) => named.some((d) => d.id === a.directoryId));
  if (named.length === 1) return placeOf(db, planId, named[0]!);
  if (inPlan.length === 1) return inPlan[0]!;
  const folded = foldVietnamese(q);
  const byPlanName = agencies.filter((a) => foldVietnamese(a.name).includes(folded));
  if (named.length === 0 && byPlanName.length === 1) return byPlanName[0]!;
  const candidates = inPlan.length > 1 ? inPlan.map((a) => a.code) : named.map((d) => d.code);
  if (candidates.length > 1 || byPlanName.length > 1) {
    throw new AppError("agency.ambiguous", {
      query: q,
      candidates: (candidates.length > 1 ? candidates : byPlanName.map((a) => a.code)).slice(0, 5).join(", "),
    });
  }
  throw new AppError("agency.unknown", { query: q });
}

/**
 * A directory agency from what was typed, in the order of findAgency: its code; a section number
 * of the plan `planCode`, or of the only active plan; a unique name; else refused with candidates.
 */
export async function resolveDirectory(db: Db, query: string, planCode?: string): Promise<DirectoryAgency> {
  const q = query.trim();
  if (!q) throw new AppError("agency.unknown", { query });
  const byCode = SECTION_NUMBER.test(q) ? null : await directoryByCode(db, q);
  if (byCode) return byCode;
  const active = await activePlans(db);
  const plan =
    planCode !== undefined
      ? await choosePlan(db, planCode, { closedToo: true })
      : active.length === 1
        ? active[0]!
        : null;
  if (plan) {
    const section = bySection(await db.agency.findMany({ where: { planId: plan.id, withdrawn: false } }), q);
    if (section) return db.directoryAgency.findUniqueOrThrow({ where: { id: section.directoryId } });
  }
  // A commune's old code (IV.9-25195) stays an alias of its official code in every plan.
  const commune = /^[IVXLC]+\.\d+-(\d{5})$/i.exec(q);
  const byOldCode = commune ? await directoryByCode(db, commune[1]!) : null;
  if (byOldCode) return byOldCode;
  const named = await directoryByName(db, q);
  if (named.length === 1) return named[0]!;
  if (named.length > 1)
    throw new AppError("agency.ambiguous", {
      query: q,
      candidates: named
        .slice(0, 5)
        .map((d) => d.code)
        .join(", "),
    });
  throw new AppError("agency.unknown", { query: q });
}

function bySection(agencies: readonly Agency[], q: string): Agency | null {
  const upper = q.toUpperCase().replace(/\s+/g, "");
  const exact = agencies.find((a) => a.code.toUpperCase() === upper);
  if (exact) return exact;
  if (!/^\d+$/.test(q)) return null;
  const byNumber = agencies.filter(
    (a) => (a.parentId === null && a.code.replace(/^[IVXLC]+\./, "") === q) || a.code.endsWith(`-${q}`),
  );
  return byNumber.length === 1 ? byNumber[0]! : null;
}

async function placeOf(db: Db, planId: number, directory: DirectoryAgency): Promise<Agency> {
  const here = await db.agency.findFirst({ where: { planId, directoryId: directory.id, withdrawn: false } });
  if (here) return here;
  const elsewhere = (await assignmentsOf(db, directory.id))[0];
  if (elsewhere) return elsewhere.agency;
  const plan = await db.plan.findUnique({ where: { id: planId } });
  throw new AppError("agency.not_in_plan", { agency: directory.code, plan: plan?.code ?? "" });
}

/** The plan's indicators in the plan's order. */
export async function listIndicators(db: Db, planId: number): Promise<Indicator[]> {
  return db.indicator.findMany({ where: { planId, withdrawn: false }, orderBy: { sortOrder: "asc" } });
}

/** How many members (communes) a group has; 0 for an ordinary agency. */
export async function memberCount(db: Db, agencyId: number): Promise<number> {
  return db.agency.count({ where: { parentId: agencyId, withdrawn: false } });
}

/** An agency by id, within the plan; null when it is gone. */
export async function agencyInPlan(db: Db, planId: number, agencyId: number): Promise<Agency | null> {
  return db.agency.findFirst({ where: { id: agencyId, planId } });
}

/** An agency by id, which must exist (a person's, a member's group). */
export async function agencyById(db: Db, agencyId: number): Promise<Agency> {
  return db.agency.findUniqueOrThrow({ where: { id: agencyId } });
}

/** What /kehoach counts: the plan's top-level agencies and its duties, and its indicators. */
export async function planSize(
  db: Db,
  planId: number,
): Promise<{ agencies: number; duties: number; indicators: Indicator[] }> {
  const [agencies, duties, indicators] = await Promise.all([
    db.agency.count({ where: { planId, parentId: null, withdrawn: false } }),
    db.duty.count({ where: { agency: { planId }, withdrawn: false } }),
    listIndicators(db, planId),
  ]);
  return { agencies, duties, indicators };
}

/**
 * No reminders for the agency (or a group's members) through `until`, in every active plan the
 * agency is in: a pause is about the agency (its staff away), not one plan; null resumes them.
 */
export async function setPausedUntil(db: Db, agencyId: number, until: string | null): Promise<void> {
  const agency = await db.agency.findUniqueOrThrow({ where: { id: agencyId } });
  await db.agency.updateMany({
    where: { OR: [{ id: agencyId }, { directoryId: agency.directoryId, plan: { active: true } }] },
    data: { pausedUntil: until },
  });
}

/**
 * Years in which the plan's deadline or one of its reminder points falls and no holiday calendar
 * is loaded: a reminder would be placed without knowing the days off.
 */
export async function missingCalendarYears(db: Db, plan: Plan): Promise<number[]> {
  const policy = policyOf(plan);
  const first = addDays(plan.reportDeadline, -Math.max(0, ...policy.beforeDays));
  // The last overdue reminder: that many weekdays from the deadline (holidays are what is unknown).
  let last = plan.reportDeadline;
  for (let weekdays = 1; weekdays < policy.overdueWorkingDays;) {
    last = addDays(last, 1);
    if (dayOfWeek(last) !== 0 && dayOfWeek(last) !== 6) weekdays++;
  }
  const years: number[] = [];
  for (let y = Number(first.slice(0, 4)); y <= Number(last.slice(0, 4)); y++) years.push(y);
  const missing: number[] = [];
  for (const year of years) {
    // A year's file lists its national days (30/4, 2/9); 1 January alone is announced with the year
    // before and does not make the year known.
    const loaded = await db.calendarDay.count({ where: { date: { gte: `${year}-02-01`, lte: `${year}-12-31` } } });
    if (loaded === 0) missing.push(year);
  }
  return missing;
}

// Each plan's agencies and submissions, counted by the database: reading every plan's status to
// count it cost a second for 60 plans with the communes in ten (34,000 agencies). A group counts
// as one agency, submitted when all its members have (as the status rolls it up); its members are
// counted apart.
const SUMMARY_SQL = `
WITH current_sub AS (
  SELECT DISTINCT "agencyId" AS id FROM "Submission" WHERE "supersededAt" IS NULL AND "reopenedAt" IS NULL
),
grp AS (
  SELECT m."parentId" AS id, COUNT(*) AS members, COUNT(s.id) AS done
  FROM "Agency" m LEFT JOIN current_sub s ON s.id = m."id"
  WHERE m."parentId" IS NOT NULL AND NOT m."withdrawn"
  GROUP BY m."parentId"
)
SELECT a."planId" AS "planId", COUNT(*) AS agencies,
  SUM(CASE WHEN g.id IS NOT NULL THEN (CASE WHEN g.members = g.done THEN 1 ELSE 0 END)
           WHEN s.id IS NOT NULL THEN 1 ELSE 0 END) AS submitted,
  SUM(COALESCE(g.members, 0)) AS members,
  SUM(COALESCE(g.done, 0)) AS "membersSubmitted"
FROM "Agency" a
LEFT JOIN grp g ON g.id = a."id"
LEFT JOIN current_sub s ON s.id = a."id"
WHERE a."parentId" IS NULL AND NOT a."withdrawn"
GROUP BY a."planId"`;

const DUTIES_SQL = `
SELECT a."planId" AS "planId", COUNT(*) AS duties
FROM "Duty" d JOIN "Agency" a ON a."id" = d."agencyId"
WHERE NOT d."withdrawn"
GROUP BY a."planId"`;

export interface PlanSummary {
  plan: Plan;
  /** Agencies of the plan, a group counted once. */
  agencies: number;
  duties: number;
  submitted: number;
  /** The groups' member units (communes), and how many of them have submitted. */
  members: number;
  membersSubmitted: number;
}

/** What `plan list`, `/kehoach` and the combined views show of each plan. */
export async function planSummaries(db: Db): Promise<PlanSummary[]> {
  const [plans, counts, duties] = await Promise.all([
    db.plan.findMany({ orderBy: [{ active: "desc" }, { reportDeadline: "asc" }, { id: "asc" }] }),
    db.$queryRawUnsafe<Record<string, unknown>[]>(SUMMARY_SQL),
    db.$queryRawUnsafe<Record<string, unknown>[]>(DUTIES_SQL),
  ]);
  // PostgreSQL counts in big integers, SQLite in numbers.
  const byPlan = new Map(counts.map((r) => [Number(r.planId), r]));
  const dutiesByPlan = new Map(duties.map((r) => [Number(r.planId), Number(r.duties)]));
  return plans.map((plan) => {
    const row = byPlan.get(plan.id);
    return {
      plan,
      agencies: Number(row?.agencies ?? 0),
      duties: dutiesByPlan.get(plan.id) ?? 0,
      submitted: Number(row?.submitted ?? 0),
      members: Number(row?.members ?? 0),
      membersSubmitted: Number(row?.membersSubmitted ?? 0),
    };
  });
}

/** Ends a plan: it leaves chat, reminders and digests; its rows stay for history and exports. */
export async function closePlan(db: Db, code: string, now: Date): Promise<{ plan: Plan; already: boolean }> {
  const plan = await db.plan.findUnique({ where: { code: code.trim().toUpperCase() } });
  if (!plan) {
    const codes = (await activePlans(db)).map((p) => p.code).join(", ");
    throw new AppError("plan.unknown", { code, codes });
  }
  if (!plan.active) return { plan, already: true };
  return {
    plan: await db.plan.update({ where: { id: plan.id }, data: { active: false, closedAt: now } }),
    already: false,
  };
}

/** The only active plan; with several, the caller must name one (`plan.choose`). */
export async function getActivePlan(db: Db): Promise<Plan> {
  return choosePlan(db, undefined);
}
