import type { Db } from "../db.ts";
import type { ParsedPlan } from "./parse-plan.ts";

export interface ImportSummary {
  planId: number;
  created: boolean;
  activated: boolean;
  indicators: { added: number; updated: number; withdrawn: number };
  agencies: { added: number; updated: number; withdrawn: number };
  duties: { added: number; updated: number; withdrawn: number };
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Loads a parsed plan and makes it the active one. Rows are matched by code and only touched when
 * something differs, so importing the same document twice changes nothing. Rows missing from a
 * revised document are marked withdrawn, never deleted: reports and submissions hang off them.
 */
export async function importPlan(db: Db, plan: ParsedPlan): Promise<ImportSummary> {
  return db.$transaction(async (tx) => {
    const existing = await tx.plan.findUnique({
      where: { province_year_title: { province: plan.province, year: plan.year, title: plan.title } },
    });
    const planRow =
      existing ??
      (await tx.plan.create({
        data: {
          title: plan.title,
          province: plan.province,
          year: plan.year,
          documentNumber: plan.documentNumber,
          reportDeadline: plan.reportDeadline,
        },
      }));
    if (
      existing &&
      (existing.documentNumber !== plan.documentNumber || existing.reportDeadline !== plan.reportDeadline)
    ) {
      await tx.plan.update({
        where: { id: existing.id },
        data: { documentNumber: plan.documentNumber, reportDeadline: plan.reportDeadline },
      });
    }
    const activated = !planRow.active;
    if (activated) {
      await tx.plan.updateMany({ where: { active: true, id: { not: planRow.id } }, data: { active: false } });
      await tx.plan.update({ where: { id: planRow.id }, data: { active: true } });
    }

    const summary: ImportSummary = {
      planId: planRow.id,
      created: !existing,
      activated,
      indicators: await syncIndicators(tx, planRow.id, plan),
      agencies: { added: 0, updated: 0, withdrawn: 0 },
      duties: { added: 0, updated: 0, withdrawn: 0 },
    };
    await syncAgencies(tx, planRow.id, plan, summary);
    return summary;
  });
}

async function syncIndicators(tx: Tx, planId: number, plan: ParsedPlan): Promise<ImportSummary["indicators"]> {
  const counts = { added: 0, updated: 0, withdrawn: 0 };
  const rows = await tx.indicator.findMany({ where: { planId } });
  const byCode = new Map(rows.map((r) => [r.code, r]));
  for (const [index, ind] of plan.indicators.entries()) {
    const data = {
      name: ind.name,
      targetRatePercent: ind.targetRatePercent,
      targetParticipants: ind.targetParticipants,
      eligiblePopulation: ind.eligiblePopulation,
      sortOrder: index,
      withdrawn: false,
    };
    const row = byCode.get(ind.code);
    if (!row) {
      await tx.indicator.create({ data: { planId, code: ind.code, ...data } });
      counts.added++;
    } else if (differs(row, data)) {
      await tx.indicator.update({ where: { id: row.id }, data });
      counts.updated++;
    }
  }
  const kept = new Set(plan.indicators.map((i) => i.code));
  for (const row of rows) {
    if (!kept.has(row.code) && !row.withdrawn) {
      await tx.indicator.update({ where: { id: row.id }, data: { withdrawn: true } });
      counts.withdrawn++;
    }
  }
  return counts;
}

async function syncAgencies(tx: Tx, planId: number, plan: ParsedPlan, summary: ImportSummary): Promise<void> {
  // Member agencies (communes) are not in the document; they come from `agencies add-members`.
  const rows = await tx.agency.findMany({ where: { planId, parentId: null }, include: { duties: true } });
  const byCode = new Map(rows.map((r) => [r.code, r]));
  for (const [index, agency] of plan.agencies.entries()) {
    const data = { name: agency.name, requested: agency.requested, sortOrder: index, withdrawn: false };
    let row = byCode.get(agency.code);
    if (!row) {
      row = { ...(await tx.agency.create({ data: { planId, code: agency.code, ...data } })), duties: [] };
      summary.agencies.added++;
    } else if (differs(row, data)) {
      await tx.agency.update({ where: { id: row.id }, data });
      summary.agencies.updated++;
    }
    const duties = new Map(row.duties.map((d) => [d.code, d]));
    for (const [dutyIndex, duty] of agency.duties.entries()) {
      const dutyData = { text: duty.text, sortOrder: dutyIndex, withdrawn: false };
      const existing = duties.get(duty.code);
      if (!existing) {
        await tx.duty.create({ data: { agencyId: row.id, code: duty.code, ...dutyData } });
        summary.duties.added++;
      } else if (differs(existing, dutyData)) {
        await tx.duty.update({ where: { id: existing.id }, data: dutyData });
        summary.duties.updated++;
      }
    }
    const keptDuties = new Set(agency.duties.map((d) => d.code));
    for (const duty of row.duties) {
      if (!keptDuties.has(duty.code) && !duty.withdrawn) {
        await tx.duty.update({ where: { id: duty.id }, data: { withdrawn: true } });
        summary.duties.withdrawn++;
      }
    }
  }
  const kept = new Set(plan.agencies.map((a) => a.code));
  for (const row of rows) {
    if (kept.has(row.code) || row.withdrawn) continue;
    await tx.agency.update({ where: { id: row.id }, data: { withdrawn: true } });
    summary.agencies.withdrawn++;
    const open = row.duties.filter((d) => !d.withdrawn);
    await tx.duty.updateMany({ where: { id: { in: open.map((d) => d.id) } }, data: { withdrawn: true } });
    summary.duties.withdrawn += open.length;
  }
}

function differs<T extends object>(row: T, data: Partial<T>): boolean {
  return (Object.keys(data) as (keyof T)[]).some((key) => row[key] !== data[key]);
}
