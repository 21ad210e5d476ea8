import type { Db } from "../db/db.ts";
import type { Agency, Duty, Indicator, Plan } from "../generated/prisma/client.ts";
import type { LocalDate } from "../lib/time.ts";
import type { ParsedPlan } from "./parse-plan.ts";

export interface ImportSummary {
  planId: number;
  created: boolean;
  activated: boolean;
  indicators: { added: number; updated: number; withdrawn: number };
  agencies: { added: number; updated: number; withdrawn: number };
  duties: { added: number; updated: number; withdrawn: number };
  /** What a revised document changed, by code, old → new: what the CLI tells the coordinator. */
  changes: PlanChanges;
}

/** The figures of an indicator that a revised document may change. */
export interface IndicatorFigures {
  name: string;
  targetRatePercent: number;
  targetParticipants: number;
  eligiblePopulation: number;
}

export type IndicatorField = keyof IndicatorFigures;
export const INDICATOR_FIELDS = [
  "name",
  "targetRatePercent",
  "targetParticipants",
  "eligiblePopulation",
] as const satisfies readonly IndicatorField[];

export type FieldChanges = { [K in IndicatorField]?: { from: IndicatorFigures[K]; to: IndicatorFigures[K] } };

interface Named {
  code: string;
  name: string;
}

export interface PlanChanges {
  deadline: { from: LocalDate; to: LocalDate } | null;
  documentNumber: { from: string | null; to: string | null } | null;
  /** "Added" includes a row a document had withdrawn and this one brings back. */
  indicators: {
    added: Named[];
    changed: (Named & { fields: FieldChanges })[];
    withdrawn: Named[];
    reordered: string[];
  };
  agencies: {
    added: Named[];
    renamed: { code: string; from: string; to: string }[];
    /** The plan now only requests ("Đề nghị"), or now assigns, what it did the other way before. */
    requested: (Named & { requested: boolean })[];
    withdrawn: Named[];
    reordered: string[];
  };
  duties: { added: string[]; reworded: string[]; withdrawn: string[]; reordered: string[] };
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
    const changes = noChanges();
    if (existing) await updateHead(tx, existing, plan, changes);
    const activated = !planRow.active;
    if (activated) {
      await tx.plan.updateMany({ where: { active: true, id: { not: planRow.id } }, data: { active: false } });
      await tx.plan.update({ where: { id: planRow.id }, data: { active: true } });
    }

    const summary: ImportSummary = {
      planId: planRow.id,
      created: !existing,
      activated,
      indicators: await syncIndicators(tx, planRow.id, plan, changes),
      agencies: { added: 0, updated: 0, withdrawn: 0 },
      duties: { added: 0, updated: 0, withdrawn: 0 },
      changes,
    };
    await syncAgencies(tx, planRow.id, plan, summary);
    return summary;
  });
}

function noChanges(): PlanChanges {
  return {
    deadline: null,
    documentNumber: null,
    indicators: { added: [], changed: [], withdrawn: [], reordered: [] },
    agencies: { added: [], renamed: [], requested: [], withdrawn: [], reordered: [] },
    duties: { added: [], reworded: [], withdrawn: [], reordered: [] },
  };
}

async function updateHead(tx: Tx, existing: Plan, plan: ParsedPlan, changes: PlanChanges): Promise<void> {
  if (existing.reportDeadline !== plan.reportDeadline)
    changes.deadline = { from: existing.reportDeadline, to: plan.reportDeadline };
  if (existing.documentNumber !== plan.documentNumber)
    changes.documentNumber = { from: existing.documentNumber, to: plan.documentNumber };
  if (changes.deadline || changes.documentNumber) {
    await tx.plan.update({
      where: { id: existing.id },
      data: { documentNumber: plan.documentNumber, reportDeadline: plan.reportDeadline },
    });
  }
}

async function syncIndicators(
  tx: Tx,
  planId: number,
  plan: ParsedPlan,
  changes: PlanChanges,
): Promise<ImportSummary["indicators"]> {
  const counts = { added: 0, updated: 0, withdrawn: 0 };
  const found = changes.indicators;
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
      found.added.push({ code: ind.code, name: ind.name });
    } else if (differs(row, data)) {
      await tx.indicator.update({ where: { id: row.id }, data });
      counts.updated++;
      const fields = fieldChanges(row, data);
      if (row.withdrawn) found.added.push({ code: ind.code, name: ind.name });
      else if (Object.keys(fields).length > 0) found.changed.push({ code: ind.code, name: ind.name, fields });
    }
  }
  const kept = new Set(plan.indicators.map((i) => i.code));
  for (const row of rows) {
    if (!kept.has(row.code) && !row.withdrawn) {
      await tx.indicator.update({ where: { id: row.id }, data: { withdrawn: true } });
      counts.withdrawn++;
      found.withdrawn.push({ code: row.code, name: row.name });
    }
  }
  found.reordered = reordered(
    rows,
    plan.indicators.map((i) => i.code),
  );
  return counts;
}

function fieldChanges(row: Indicator, data: IndicatorFigures): FieldChanges {
  const fields: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of INDICATOR_FIELDS) {
    if (row[field] !== data[field]) fields[field] = { from: row[field], to: data[field] };
  }
  return fields;
}

type AgencyRow = Agency & { duties: Duty[] };

async function syncAgencies(tx: Tx, planId: number, plan: ParsedPlan, summary: ImportSummary): Promise<void> {
  // Member agencies (communes) are not in the document; they come from `agencies add-members`.
  const rows = await tx.agency.findMany({ where: { planId, parentId: null }, include: { duties: true } });
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const found = summary.changes.agencies;
  for (const [index, agency] of plan.agencies.entries()) {
    const data = { name: agency.name, requested: agency.requested, sortOrder: index, withdrawn: false };
    let row = byCode.get(agency.code);
    if (!row) {
      row = { ...(await tx.agency.create({ data: { planId, code: agency.code, ...data } })), duties: [] };
      summary.agencies.added++;
      found.added.push({ code: agency.code, name: agency.name });
    } else if (differs(row, data)) {
      await tx.agency.update({ where: { id: row.id }, data });
      summary.agencies.updated++;
      if (row.withdrawn) found.added.push({ code: agency.code, name: agency.name });
      else {
        if (row.name !== agency.name) found.renamed.push({ code: agency.code, from: row.name, to: agency.name });
        if (row.requested !== agency.requested)
          found.requested.push({ code: agency.code, name: agency.name, requested: agency.requested });
      }
    }
    await syncDuties(tx, row, agency.duties, summary);
  }
  const kept = new Set(plan.agencies.map((a) => a.code));
  for (const row of rows) {
    if (kept.has(row.code) || row.withdrawn) continue;
    await tx.agency.update({ where: { id: row.id }, data: { withdrawn: true } });
    summary.agencies.withdrawn++;
    found.withdrawn.push({ code: row.code, name: row.name });
    const open = row.duties.filter((d) => !d.withdrawn);
    await tx.duty.updateMany({ where: { id: { in: open.map((d) => d.id) } }, data: { withdrawn: true } });
    summary.duties.withdrawn += open.length;
    summary.changes.duties.withdrawn.push(...open.map((d) => d.code));
  }
  found.reordered = reordered(
    rows,
    plan.agencies.map((a) => a.code),
  );
}

async function syncDuties(
  tx: Tx,
  row: AgencyRow,
  duties: ParsedPlan["agencies"][number]["duties"],
  summary: ImportSummary,
): Promise<void> {
  const found = summary.changes.duties;
  const byCode = new Map(row.duties.map((d) => [d.code, d]));
  for (const [dutyIndex, duty] of duties.entries()) {
    const dutyData = { text: duty.text, sortOrder: dutyIndex, withdrawn: false };
    const existing = byCode.get(duty.code);
    if (!existing) {
      await tx.duty.create({ data: { agencyId: row.id, code: duty.code, ...dutyData } });
      summary.duties.added++;
      found.added.push(duty.code);
    } else if (differs(existing, dutyData)) {
      await tx.duty.update({ where: { id: existing.id }, data: dutyData });
      summary.duties.updated++;
      if (existing.withdrawn) found.added.push(duty.code);
      else if (existing.text !== duty.text) found.reworded.push(duty.code);
    }
  }
  const kept = new Set(duties.map((d) => d.code));
  for (const duty of row.duties) {
    if (!kept.has(duty.code) && !duty.withdrawn) {
      await tx.duty.update({ where: { id: duty.id }, data: { withdrawn: true } });
      summary.duties.withdrawn++;
      found.withdrawn.push(duty.code);
    }
  }
  found.reordered.push(
    ...reordered(
      row.duties,
      duties.map((d) => d.code),
    ),
  );
}

/**
 * Codes whose place among the rows kept on both sides changed. A row that moved up only because
 * another was withdrawn before it did not move: that is told as the withdrawal.
 */
function reordered(
  before: readonly { code: string; sortOrder: number; withdrawn: boolean }[],
  after: readonly string[],
): string[] {
  const now = new Set(after);
  const old = before
    .filter((r) => !r.withdrawn && now.has(r.code))
    .sort((a, b) => a.sortOrder - b.sortOrder)
    .map((r) => r.code);
  const wasThere = new Set(old);
  return after.filter((code) => wasThere.has(code)).filter((code, i) => old[i] !== code);
}

function differs<T extends object>(row: T, data: Partial<T>): boolean {
  return (Object.keys(data) as (keyof T)[]).some((key) => row[key] !== data[key]);
}
