import type { Db } from "../db/db.ts";
import { AppError } from "../model/errors.ts";
import type { Agency, Person, Plan } from "../generated/prisma/client.ts";
import { findAgency } from "../services/plan-service.ts";
import { indicatorFigures, loadPlanStatus, type AgencyState, type IndicatorState } from "../services/status-service.ts";
import { localDateTime, type LocalDate } from "../lib/time.ts";

export interface ExportFilters {
  /** An agency code; a group (IV.9) includes its members. */
  agency?: string;
  /** Only history and difficulty rows from this local date on: statuses and figures are always the latest. */
  since?: LocalDate;
}

/** Who asks: coordinators and admins see everything, a contact only their own agency. */
export interface ExportRequester {
  role: string;
  agencyId: number | null;
}

export interface ExportDuty {
  agencyCode: string;
  agencyName: string;
  dutyCode: string;
  dutyText: string;
  status: string;
  percent: number;
  note: string | null;
  updatedAt: Date | null;
  reporter: string | null;
}

export interface ExportSubmission {
  agencyCode: string;
  agencyName: string;
  isGroup: boolean;
  memberCount: number;
  membersSubmitted: number;
  submitted: boolean;
  documentNumber: string | null;
  documentDate: string | null;
  submittedAt: Date | null;
  onTime: boolean | null;
  by: string | null;
}

export interface ExportDifficulty {
  id: number;
  agencyCode: string;
  agencyName: string;
  dutyCode: string | null;
  text: string;
  raisedBy: string | null;
  raisedAt: Date;
  resolvedAt: Date | null;
  resolution: string | null;
}

export interface ExportHistoryRow {
  id: number;
  at: Date;
  agencyCode: string;
  agencyName: string;
  dutyCode: string;
  status: string;
  percent: number;
  note: string | null;
  reporter: string | null;
}

export interface ExportIndicator {
  code: string;
  name: string;
  targetRatePercent: number;
  targetParticipants: number;
  eligiblePopulation: number;
  latestParticipants: number | null;
  latestRatePercent: number | null;
  /** Target participants minus the latest reported, never below zero; null before any figure. */
  gap: number | null;
  reportedBy: string | null;
  reportedAt: Date | null;
}

export interface ExportData {
  plan: Plan;
  generatedAt: Date;
  filters: ExportFilters;
  indicators: ExportIndicator[];
  /** Agencies in the export, groups followed by their members (the group row is the roll-up). */
  agencies: AgencyState[];
  duties: ExportDuty[];
  submissions: ExportSubmission[];
  difficulties: ExportDifficulty[];
  /** Every report received, oldest first. */
  history: ExportHistoryRow[];
}

const nameOf = (p: Pick<Person, "displayName"> | null | undefined) => p?.displayName ?? null;

/** The agency an export covers, or null for all. The permission rule lives here, not in an adapter. */
async function exportScope(
  db: Db,
  plan: Plan,
  filters: ExportFilters,
  requester: ExportRequester,
): Promise<Agency | null> {
  const asked = filters.agency ? await findAgency(db, plan.id, filters.agency) : null;
  if (requester.role !== "contact") return asked;
  // A contact asking for another agency, or for everything, gets only their own agency.
  if (requester.agencyId === null) throw new AppError("agency.unknown", { query: filters.agency ?? "" });
  const own = await db.agency.findUniqueOrThrow({ where: { id: requester.agencyId } });
  if (asked && asked.id !== own.id) throw new AppError("export.not_allowed", { agency: asked.code });
  return own;
}

/** The rows behind the tables, oldest first, for the agencies in scope. */
async function readRows(db: Db, plan: Plan, agencyIds: number[], since: Date | null) {
  const person = { select: { displayName: true } };
  const oldestFirst = [{ createdAt: "asc" as const }, { id: "asc" as const }];
  const [reports, submissions, difficulties, figures] = await Promise.all([
    db.dutyReport.findMany({
      where: { agencyId: { in: agencyIds } },
      include: { person, duty: { select: { code: true } } },
      orderBy: oldestFirst,
    }),
    db.submission.findMany({
      where: { agencyId: { in: agencyIds }, supersededAt: null, reopenedAt: null },
      include: { person },
    }),
    db.difficulty.findMany({
      where: { agencyId: { in: agencyIds }, ...(since && { createdAt: { gte: since } }) },
      include: { person, duty: { select: { code: true } } },
      orderBy: oldestFirst,
    }),
    db.indicatorFigure.findMany({
      where: { indicator: { planId: plan.id } },
      include: { person },
      orderBy: oldestFirst,
    }),
  ]);
  return { reports, submissions, difficulties, figures };
}

type Rows = Awaited<ReturnType<typeof readRows>>;

/**
 * Everything an export needs, in one read. A contact gets only their own agency (exportScope).
 */
export async function loadExportData(
  db: Db,
  plan: Plan,
  filters: ExportFilters,
  now: Date,
  requester: ExportRequester = { role: "admin", agencyId: null },
): Promise<ExportData> {
  const scope = await exportScope(db, plan, filters, requester);
  const status = await loadPlanStatus(db, plan);
  const inScope = (a: Agency) => !scope || a.id === scope.id || a.parentId === scope.id;
  const agencies = status.agencies.filter((s) => inScope(s.agency));
  const since = filters.since ? localDateTime(filters.since) : null;
  const rows = await readRows(
    db,
    plan,
    agencies.map((a) => a.agency.id),
    since,
  );
  const byId = new Map(agencies.map((a) => [a.agency.id, a.agency]));
  return {
    plan,
    generatedAt: now,
    filters,
    indicators: indicatorRows(status.indicators, rows.figures),
    agencies,
    duties: dutyRows(agencies, rows.reports),
    submissions: submissionRows(agencies, rows.submissions),
    difficulties: rows.difficulties.map((d) => ({
      id: d.id,
      agencyCode: byId.get(d.agencyId)?.code ?? "",
      agencyName: byId.get(d.agencyId)?.name ?? "",
      dutyCode: d.duty?.code ?? null,
      text: d.text,
      raisedBy: nameOf(d.person),
      raisedAt: d.createdAt,
      resolvedAt: d.resolvedAt,
      resolution: d.resolution,
    })),
    history: rows.reports
      .filter((r) => !since || r.createdAt >= since)
      .map((r) => ({
        id: r.id,
        at: r.createdAt,
        agencyCode: byId.get(r.agencyId)?.code ?? "",
        agencyName: byId.get(r.agencyId)?.name ?? "",
        dutyCode: r.duty.code,
        status: r.status,
        percent: r.percent,
        note: r.note,
        reporter: nameOf(r.person),
      })),
  };
}

function indicatorRows(indicators: readonly IndicatorState[], figures: Rows["figures"]): ExportIndicator[] {
  const latestFigureBy = new Map<number, Rows["figures"][number]>();
  for (const f of figures) latestFigureBy.set(f.indicatorId, f);
  return indicators.map((i) => ({
    ...indicatorFigures(i),
    gap: i.latest ? Math.max(0, i.indicator.targetParticipants - i.latest.participants) : null,
    reportedBy: nameOf(latestFigureBy.get(i.indicator.id)?.person),
    reportedAt: i.latest?.createdAt ?? null,
  }));
}

/** One row per duty of each reporting agency; its reporter is the person behind its latest report. */
function dutyRows(agencies: readonly AgencyState[], reports: Rows["reports"]): ExportDuty[] {
  const latestReporter = new Map<string, string | null>();
  for (const r of reports) latestReporter.set(`${r.agencyId}:${r.dutyId}`, nameOf(r.person));
  return agencies
    .filter((a) => a.memberCount === 0)
    .flatMap((a) =>
      a.duties.map((d) => ({
        agencyCode: a.agency.code,
        agencyName: a.agency.name,
        dutyCode: d.code,
        dutyText: d.text,
        status: d.status,
        percent: d.percent,
        note: d.note,
        updatedAt: d.updatedAt,
        reporter: latestReporter.get(`${a.agency.id}:${d.dutyId}`) ?? null,
      })),
    );
}

function submissionRows(agencies: readonly AgencyState[], submissions: Rows["submissions"]): ExportSubmission[] {
  const submissionBy = new Map(submissions.map((s) => [s.agencyId, s]));
  return agencies.map((a) => {
    const s = submissionBy.get(a.agency.id);
    return {
      agencyCode: a.agency.code,
      agencyName: a.agency.name,
      isGroup: a.memberCount > 0,
      memberCount: a.memberCount,
      membersSubmitted: a.membersSubmitted,
      submitted: a.submitted,
      documentNumber: s?.documentNumber ?? null,
      documentDate: s?.documentDate ?? null,
      submittedAt: s?.submittedAt ?? null,
      onTime: s ? s.onTime : null,
      by: nameOf(s?.person),
    };
  });
}
