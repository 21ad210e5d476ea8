import type { Db } from "../db/db.ts";
import { AppError } from "../model/errors.ts";
import { foldVietnamese } from "../domain/text.ts";
import type { Agency, Duty, Indicator, Plan } from "../generated/prisma/client.ts";

export type { Agency, Duty, Plan };

export async function getActivePlan(db: Db): Promise<Plan> {
  const plan = await db.plan.findFirst({ where: { active: true } });
  if (!plan) throw new AppError("plan.none_active");
  return plan;
}

/** The plan in force, or null when none is. */
export async function findActivePlan(db: Db): Promise<Plan | null> {
  return db.plan.findFirst({ where: { active: true } });
}

/** Duties an agency reports on: a member (commune) reports on its group's duties. */
export async function dutiesOf(db: Db, agency: Agency): Promise<Duty[]> {
  return db.duty.findMany({
    where: { agencyId: agency.parentId ?? agency.id, withdrawn: false },
    orderBy: { sortOrder: "asc" },
  });
}

/** The code whose duties an agency reports on (its group's for a member). */
export async function dutyOwnerCode(db: Db, agency: Agency): Promise<string> {
  if (agency.parentId === null) return agency.code;
  const parent = await db.agency.findUniqueOrThrow({ where: { id: agency.parentId } });
  return parent.code;
}

/**
 * Finds an agency from what a coordinator typed: `IV.4`, `iv.4`, `4`, `IV.9-25195`, a member's
 * unit code `25195`, or a unique part of a name with or without diacritics ("binh phuoc").
 */
export async function findAgency(db: Db, planId: number, query: string): Promise<Agency> {
  const q = query.trim();
  if (!q) throw new AppError("agency.unknown", { query });
  const agencies = await db.agency.findMany({ where: { planId, withdrawn: false } });
  const upper = q.toUpperCase().replace(/\s+/g, "");
  const exact = agencies.find((a) => a.code.toUpperCase() === upper);
  if (exact) return exact;
  if (/^\d+$/.test(q)) {
    const byNumber = agencies.filter(
      (a) => (a.parentId === null && a.code.replace(/^[IVXLC]+\./, "") === q) || a.code.endsWith(`-${q}`),
    );
    if (byNumber.length === 1) return byNumber[0]!;
  }
  const folded = foldVietnamese(q);
  const byName = agencies.filter((a) => foldVietnamese(a.name).includes(folded));
  const exactName = byName.filter((a) => foldVietnamese(a.name) === folded);
  if (exactName.length === 1) return exactName[0]!;
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw new AppError("agency.ambiguous", {
      query: q,
      candidates: byName
        .slice(0, 5)
        .map((a) => a.code)
        .join(", "),
    });
  }
  throw new AppError("agency.unknown", { query: q });
}

/** The plan's indicators in the plan's order. */
export async function listIndicators(db: Db, planId: number): Promise<Indicator[]> {
  return db.indicator.findMany({ where: { planId, withdrawn: false }, orderBy: { sortOrder: "asc" } });
}

/** Every duty code of the plan, for telling a duty of another agency from one that does not exist. */
export async function planDutyCodes(db: Db, planId: number): Promise<string[]> {
  const duties = await db.duty.findMany({ where: { agency: { planId }, withdrawn: false }, select: { code: true } });
  return duties.map((d) => d.code);
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

/** No reminders for the agency (or a group's members) through `until`; null resumes them. */
export async function setPausedUntil(db: Db, agencyId: number, until: string | null): Promise<void> {
  await db.agency.update({ where: { id: agencyId }, data: { pausedUntil: until } });
}
