import type { Db } from "../db/db.ts";
import type { Agency, Duty, Indicator, Plan } from "../generated/prisma/client.ts";
import type { LocalDate } from "../lib/time.ts";
import { AppError } from "../model/errors.ts";
import { foldName } from "../domain/text.ts";
import { derivePlanCode, matchAgencies, readKnownCodes, type AgencyMatch, type KnownCode } from "./directory-match.ts";
import type { ParsedPlan } from "./parse-plan.ts";

/** A plan code people type: letters and digits, a dash allowed inside. */
export const PLAN_CODE = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)?$/;
const PLAN_CODE_MAX = 16;

export interface ImportOptions {
  /** The plan's code; derived from its title and year when not given. */
  code?: string;
  /** Create the agencies the directory lacks; without it such a document is refused. */
  createAgencies?: boolean;
  /** The committed mnemonics (prisma/seed/agency-codes.csv) unless a test gives others. */
  known?: readonly KnownCode[];
}

/** Each agency of the document as the directory knows it. */
export interface DirectoryLine {
  section: string;
  name: string;
  directoryCode: string;
  matched: boolean;
}

export interface ImportSummary {
  planId: number;
  code: string;
  created: boolean;
  activated: boolean;
  indicators: { added: number; updated: number; withdrawn: number };
  agencies: { added: number; updated: number; withdrawn: number };
  duties: { added: number; updated: number; withdrawn: number };
  /** What a revised document changed, by code, old → new: what the CLI tells the coordinator. */
  changes: PlanChanges;
  directory: DirectoryLine[];
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
 * Loads a parsed plan into the register beside the others. Rows are matched (agencies by their
 * directory agency, indicators and duties by code) and only touched when something differs, so
 * importing the same document twice changes nothing. Rows missing from a revised document are
 * marked withdrawn, never deleted: reports and submissions hang off them. No person, account or
 * invite is touched: they belong to the directory.
 */
export async function importPlan(db: Db, plan: ParsedPlan, options: ImportOptions = {}): Promise<ImportSummary> {
  const wanted = options.code === undefined ? undefined : checkPlanCode(options.code);
  return db.$transaction(async (tx) => {
    const existing = await tx.plan.findUnique({
      where: { province_year_title: { province: plan.province, year: plan.year, title: plan.title } },
    });
    const matches = await keepRenamed(
      tx,
      existing,
      plan,
      await matchAgencies(
        tx,
        plan.agencies.map((a) => a.name),
        options.known ?? readKnownCodes(),
      ),
    );
    const fresh = matches.flatMap((m, i) =>
      m.kind === "new" ? [`${plan.agencies[i]!.code} ${m.name} (${m.code})`] : [],
    );
    if (fresh.length > 0 && !options.createAgencies)
      throw new AppError("plan.new_agencies", { names: fresh.join("; ") });
    const directoryIds = await createDirectoryAgencies(tx, matches);
    const planRow = existing ?? (await createPlanRow(tx, plan, matches, wanted));
    if (existing && wanted && wanted !== existing.code) await renamePlan(tx, existing.id, wanted);
    const changes = noChanges();
    if (existing) await updateHead(tx, existing, plan, changes);
    const summary: ImportSummary = {
      planId: planRow.id,
      code: wanted ?? planRow.code,
      created: !existing,
      activated: !existing,
      indicators: await syncIndicators(tx, planRow.id, plan, changes),
      agencies: { added: 0, updated: 0, withdrawn: 0 },
      duties: { added: 0, updated: 0, withdrawn: 0 },
      changes,
      directory: plan.agencies.map((a, i) => directoryLine(a.code, matches[i]!)),
    };
    await syncAgencies(tx, planRow.id, plan, directoryIds, summary);
    // Chat keeps a plan's duties while its row stays as it was (agencyDuties): any change to an
    // agency or a duty is a change to the row.
    const touched = [summary.agencies, summary.duties].some((c) => c.added + c.updated + c.withdrawn > 0);
    if (existing && touched) {
      const updatedAt = new Date(Math.max(Date.now(), existing.updatedAt.getTime() + 1));
      await tx.plan.update({ where: { id: planRow.id }, data: { updatedAt } });
    }
    return summary;
  });
}

/**
 * A revision of a plan may rename an agency at the same section number (a correction, a merger's
 * new name): that is the agency it was, not a new one. Its new name becomes one of its aliases.
 */
async function keepRenamed(
  tx: Tx,
  existing: Plan | null,
  plan: ParsedPlan,
  matches: AgencyMatch[],
): Promise<AgencyMatch[]> {
  if (!existing || matches.every((m) => m.kind === "matched")) return matches;
  const before = await tx.agency.findMany({
    where: { planId: existing.id, parentId: null, withdrawn: false },
    include: { directory: true },
  });
  const taken = new Set(matches.flatMap((m) => (m.kind === "matched" ? [m.directory.id] : [])));
  const kept: AgencyMatch[] = [];
  for (const [i, m] of matches.entries()) {
    const previous = before.find((a) => a.code === plan.agencies[i]!.code)?.directory;
    if (m.kind === "matched" || !previous || taken.has(previous.id)) {
      kept.push(m);
      continue;
    }
    taken.add(previous.id);
    const folded = foldName(m.name);
    if (!(await tx.agencyAlias.findUnique({ where: { folded } })))
      await tx.agencyAlias.create({ data: { directoryAgencyId: previous.id, name: m.name, folded } });
    kept.push({ kind: "matched", name: m.name, directory: previous });
  }
  return kept;
}

function directoryLine(section: string, m: AgencyMatch): DirectoryLine {
  return m.kind === "matched"
    ? { section, name: m.name, directoryCode: m.directory.code, matched: true }
    : { section, name: m.name, directoryCode: m.code, matched: false };
}

function checkPlanCode(code: string): string {
  const upper = code.trim().toUpperCase();
  if (!PLAN_CODE.test(upper) || upper.length > PLAN_CODE_MAX) throw new AppError("plan.bad_code", { code });
  return upper;
}

async function renamePlan(tx: Tx, id: number, code: string): Promise<void> {
  if (await tx.plan.findFirst({ where: { code, id: { not: id } } })) throw new AppError("plan.code_taken", { code });
  await tx.plan.update({ where: { id }, data: { code } });
}

async function createPlanRow(tx: Tx, plan: ParsedPlan, matches: AgencyMatch[], wanted?: string): Promise<Plan> {
  const taken = new Set((await tx.plan.findMany({ select: { code: true } })).map((p) => p.code));
  if (wanted && taken.has(wanted)) throw new AppError("plan.code_taken", { code: wanted });
  // The provincial social insurance agency reports the indicator figures, wherever the plan puts it.
  const figures = matches.findIndex((m) => (m.kind === "matched" ? m.directory.code : m.code) === "BHXH");
  return tx.plan.create({
    data: {
      code: wanted ?? derivePlanCode(plan.title, plan.year, taken),
      title: plan.title,
      province: plan.province,
      year: plan.year,
      documentNumber: plan.documentNumber,
      reportDeadline: plan.reportDeadline,
      figureReporters: figures >= 0 ? plan.agencies[figures]!.code : "",
    },
  });
}

/** The directory agency of each match, the new ones created with the committed table's other names. */
async function createDirectoryAgencies(tx: Tx, matches: AgencyMatch[]): Promise<number[]> {
  const ids: number[] = [];
  for (const m of matches) {
    if (m.kind === "matched") {
      ids.push(m.directory.id);
      continue;
    }
    const row = await tx.directoryAgency.create({ data: { code: m.code, name: m.name } });
    for (const alias of m.aliases) {
      const folded = foldName(alias);
      if (folded === foldName(m.name) || (await tx.agencyAlias.findUnique({ where: { folded } }))) continue;
      await tx.agencyAlias.create({ data: { directoryAgencyId: row.id, name: alias, folded } });
    }
    ids.push(row.id);
  }
  return ids;
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

async function syncAgencies(
  tx: Tx,
  planId: number,
  plan: ParsedPlan,
  directoryIds: number[],
  summary: ImportSummary,
): Promise<void> {
  // Member agencies (communes) are not in the document; they come from `agencies add-members`.
  const rows = await tx.agency.findMany({ where: { planId, parentId: null }, include: { duties: true } });
  const byDirectory = new Map(rows.map((r) => [r.directoryId, r]));
  const found = summary.changes.agencies;
  await clearSections(tx, rows, plan, directoryIds);
  for (const [index, agency] of plan.agencies.entries()) {
    const directoryId = directoryIds[index]!;
    const data = {
      code: agency.code,
      name: agency.name,
      requested: agency.requested,
      sortOrder: index,
      withdrawn: false,
    };
    let row = byDirectory.get(directoryId);
    if (!row) {
      row = { ...(await tx.agency.create({ data: { planId, directoryId, ...data } })), duties: [] };
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
  const kept = new Set(directoryIds);
  for (const row of rows) {
    if (kept.has(row.directoryId) || row.withdrawn) continue;
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
 * A revised document may renumber its agencies, or give a number to another agency: every row whose
 * number changes or is wanted by another steps aside first, so no two rows hold one number on the way.
 */
async function clearSections(tx: Tx, rows: AgencyRow[], plan: ParsedPlan, directoryIds: number[]): Promise<void> {
  const wanted = new Map(directoryIds.map((id, i) => [id, plan.agencies[i]!.code]));
  const taken = new Set(plan.agencies.map((a) => a.code));
  for (const row of rows) {
    const next = wanted.get(row.directoryId);
    if (next === undefined ? !taken.has(row.code) : next === row.code) continue;
    const aside = `${row.code}~${row.id}`;
    await tx.agency.update({ where: { id: row.id }, data: { code: aside } });
    row.code = aside;
  }
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
