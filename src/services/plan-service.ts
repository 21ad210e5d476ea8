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
