import { placeholder, type Db, type Tx } from "../db/db.ts";
import { readModel, selectList } from "../db/row-map.ts";
import { AGENCY } from "../db/tables.ts";
import { pushTo } from "../lib/multi-map.ts";
import { readRows } from "../db/driver-access.ts";
import { ratePercent } from "../lib/format.ts";
import type { DutyStatus } from "../domain/status.ts";
import type { Agency, Duty, Indicator, IndicatorFigure, Plan, Submission } from "../generated/prisma/client.ts";

/** Read-only: an unreported duty's state is one object shared by every agency (see ownStateOf). */
export interface DutyState {
  readonly dutyId: number;
  readonly code: string;
  readonly text: string;
  readonly status: DutyStatus;
  readonly percent: number;
  readonly note: string | null;
  readonly updatedAt: Date | null;
}

export interface AgencyState {
  agency: Agency;
  parentCode: string | null;
  /** A group (IV.9) has members and no contacts of its own; its state is the roll-up of theirs. */
  memberCount: number;
  membersSubmitted: number;
  duties: DutyState[];
  submission: Submission | null;
  submitted: boolean;
  done: boolean;
  contacts: number;
  lastReportAt: Date | null;
}

export interface IndicatorState {
  indicator: Indicator;
  latest: IndicatorFigure | null;
  latestRatePercent: number | null;
}

export interface PlanStatus {
  plan: Plan;
  agencies: AgencyState[];
  indicators: IndicatorState[];
}

interface LatestReport {
  status: string;
  percent: number;
  note: string | null;
  createdAt: Date;
  id: number;
}

/**
 * Everything a coordinator, the CLI or the reminder engine needs, in a handful of queries. With
 * `onlyAgency` (a reporting agency, not a group) only that agency is read: a contact's /nhiemvu must
 * not grow with every report the other 3,000 communes send.
 */
export async function loadPlanStatus(db: Db | Tx, plan: Plan, onlyAgency?: Agency): Promise<PlanStatus> {
  return statusFromRows(plan, await readStatusRows(db, plan, onlyAgency), onlyAgency);
}

/**
 * Every plan's status from one round of queries: a planning pass over 60 plans made 420 queries,
 * each compiled anew by Prisma, where 7 read the same rows. Each plan's status is as
 * `loadPlanStatus` makes it.
 */
export async function loadPlanStatuses(db: Db | Tx, plans: readonly Plan[]): Promise<Map<number, PlanStatus>> {
  const ids = plans.map((p) => p.id);
  const [agencies, duties, reports, submissions, contacts, indicators, figures] = await Promise.all([
    readAgencies(db, ids, undefined),
    db.duty.findMany({ where: { agency: { planId: { in: ids } }, withdrawn: false }, orderBy: { sortOrder: "asc" } }),
    ids.length ? latestReports(db, ids, undefined) : [],
    db.submission.findMany({
      where: { agency: { planId: { in: ids } }, supersededAt: null, reopenedAt: null },
      orderBy: { submittedAt: "asc" },
    }),
    db.person.groupBy({
      by: ["directoryAgencyId"],
      where: { role: "contact", active: true, directoryAgencyId: { not: null } },
      _count: { _all: true },
    }),
    db.indicator.findMany({ where: { planId: { in: ids }, withdrawn: false }, orderBy: { sortOrder: "asc" } }),
    db.indicatorFigure.findMany({
      where: { indicator: { planId: { in: ids } } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
  ]);
  const planOfAgency = new Map(agencies.map((a) => [a.id, a.planId]));
  const planOfIndicator = new Map(indicators.map((i) => [i.id, i.planId]));
  const split = <T>(rows: readonly T[], planOf: (row: T) => number | undefined) => {
    const byPlan = new Map<number, T[]>(ids.map((id) => [id, []]));
    for (const row of rows) byPlan.get(planOf(row) ?? -1)?.push(row);
    return byPlan;
  };
  const parts = {
    agencies: split(agencies, (a) => a.planId),
    duties: split(duties, (d) => planOfAgency.get(d.agencyId)),
    reports: split(reports, (r) => planOfAgency.get(r.agencyId)),
    submissions: split(submissions, (x) => planOfAgency.get(x.agencyId)),
    indicators: split(indicators, (i) => i.planId),
    figures: split(figures, (f) => planOfIndicator.get(f.indicatorId)),
  };
  return new Map(
    plans.map((plan) => {
      const rows: StatusRows = {
        agencies: parts.agencies.get(plan.id)!,
        duties: parts.duties.get(plan.id)!,
        reports: parts.reports.get(plan.id)!,
        submissions: parts.submissions.get(plan.id)!,
        contacts,
        indicators: parts.indicators.get(plan.id)!,
        figures: parts.figures.get(plan.id)!,
      };
      return [plan.id, statusFromRows(plan, rows, undefined)];
    }),
  );
}

function statusFromRows(plan: Plan, rows: StatusRows, onlyAgency: Agency | undefined): PlanStatus {
  const own = ownStateOf(rows);
  return {
    plan,
    agencies: onlyAgency ? rows.agencies.map(own) : groupsWithMembers(rows.agencies, own),
    indicators: indicatorStates(rows.indicators, rows.figures),
  };
}

function readStatusRows(db: Db | Tx, plan: Plan, onlyAgency: Agency | undefined) {
  const one = onlyAgency ? { agencyId: onlyAgency.id } : {};
  return Promise.all([
    readAgencies(db, [plan.id], onlyAgency),
    db.duty.findMany({
      where: {
        agency: { planId: plan.id },
        withdrawn: false,
        ...(onlyAgency && { agencyId: onlyAgency.parentId ?? onlyAgency.id }),
      },
      orderBy: { sortOrder: "asc" },
    }),
    latestReports(db, [plan.id], onlyAgency),
    db.submission.findMany({
      where: { agency: { planId: plan.id }, supersededAt: null, reopenedAt: null, ...one },
      orderBy: { submittedAt: "asc" },
    }),
    db.person.groupBy({
      by: ["directoryAgencyId"],
      where: {
        role: "contact",
        active: true,
        directoryAgency: { assignments: { some: { planId: plan.id, ...(onlyAgency && { id: onlyAgency.id }) } } },
      },
      _count: { _all: true },
    }),
    db.indicator.findMany({ where: { planId: plan.id, withdrawn: false }, orderBy: { sortOrder: "asc" } }),
    db.indicatorFigure.findMany({
      where: { indicator: { planId: plan.id } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
  ]).then(([agencies, duties, reports, submissions, contacts, indicators, figures]) => ({
    agencies,
    duties,
    reports,
    submissions,
    contacts,
    indicators,
    figures,
  }));
}

type StatusRows = Awaited<ReturnType<typeof readStatusRows>>;

/**
 * The plans' agencies that are not withdrawn, in their order, as `agency.findMany` gives them: read
 * through the driver, since a national pass reads 34,000 of them and Prisma's mapping of each
 * row was twice the database's reading it.
 */
async function readAgencies(db: Db | Tx, planIds: readonly number[], only: Agency | undefined): Promise<Agency[]> {
  if (planIds.length === 0) return [];
  const param = (n: number) => placeholder(db, n);
  const rows = await readRows(
    db,
    `SELECT ${selectList(AGENCY, "a")} FROM "Agency" a WHERE a."withdrawn" = FALSE
     AND a."planId" IN (${planIds.map((_, i) => param(i + 1)).join(", ")})${only ? ` AND a."id" = ${param(planIds.length + 1)}` : ""}
     ORDER BY a."sortOrder" ASC, a."code" ASC`,
    [...planIds, ...(only ? [only.id] : [])],
  );
  return rows.map((row) => readModel(AGENCY, row));
}

interface ReportRow extends LatestReport {
  agencyId: number;
  dutyId: number;
}

/**
 * Each agency's latest report on each duty, chosen by the database: a duty's status needs only
 * that one, and a plan's reports grow with every reply (20,000 rows read whole were half of a
 * national planning pass). An agency's latest report on any duty is also its last report.
 */
async function latestReports(
  db: Db | Tx,
  planIds: readonly number[],
  onlyAgency: Agency | undefined,
): Promise<ReportRow[]> {
  const param = (n: number) => placeholder(db, n);
  const plans = planIds.map((_, i) => param(i + 1)).join(", ");
  const rows = await db.$queryRawUnsafe<Record<keyof ReportRow, unknown>[]>(
    `SELECT "id", "agencyId", "dutyId", "status", "percent", "note", "createdAt" FROM (
       SELECT r.*, ROW_NUMBER() OVER (
         PARTITION BY r."agencyId", r."dutyId" ORDER BY r."createdAt" DESC, r."id" DESC) AS "rank"
       FROM "DutyReport" r JOIN "Agency" a ON a."id" = r."agencyId"
       WHERE a."planId" IN (${plans})${onlyAgency ? ` AND r."agencyId" = ${param(planIds.length + 1)}` : ""}
     ) latest WHERE "rank" = 1`,
    ...planIds,
    ...(onlyAgency ? [onlyAgency.id] : []),
  );
  // Raw rows come as each driver types them: SQLite's integers may be big, its instants text.
  return rows.map((r) => ({
    id: Number(r.id),
    agencyId: Number(r.agencyId),
    dutyId: Number(r.dutyId),
    status: r.status as string,
    percent: Number(r.percent),
    note: typeof r.note === "string" ? r.note : null,
    createdAt: r.createdAt instanceof Date ? r.createdAt : new Date(String(r.createdAt)),
  }));
}

/** Each agency's own state (a group's before its members are rolled up), from the rows read once. */
function ownStateOf(rows: StatusRows): (agency: Agency) => AgencyState {
  // By agency, then duty: a national plan has a million (agency, duty) pairs, nearly all unreported,
  // and a key string built for each was most of the pass's garbage.
  const latest = new Map<number, Map<number, LatestReport>>();
  const lastReportAt = new Map<number, Date>();
  for (const r of rows.reports) {
    let own = latest.get(r.agencyId);
    if (!own) latest.set(r.agencyId, (own = new Map<number, LatestReport>()));
    own.set(r.dutyId, r);
    const last = lastReportAt.get(r.agencyId);
    if (!last || r.createdAt > last) lastReportAt.set(r.agencyId, r.createdAt);
  }
  const dutiesByAgency = new Map<number, Duty[]>();
  for (const d of rows.duties) pushTo(dutiesByAgency, d.agencyId, d);
  const submissionByAgency = new Map(rows.submissions.map((s) => [s.agencyId, s]));
  // People belong to the directory agency: its contacts are this plan's agency's contacts.
  const contactsByDirectory = new Map(rows.contacts.map((c) => [c.directoryAgencyId, c._count._all]));
  const byId = new Map(rows.agencies.map((a) => [a.id, a]));
  // A duty nobody has reported on reads the same in every agency: one state, shared by the
  // thousands of communes of a group that have not reported yet.
  const unreported = new Map<number, DutyState>();
  const unreportedState = (d: Duty): DutyState => {
    let state = unreported.get(d.id);
    if (!state) {
      state = {
        dutyId: d.id,
        code: d.code,
        text: d.text,
        status: "not_started",
        percent: 0,
        note: null,
        updatedAt: null,
      };
      unreported.set(d.id, state);
    }
    return state;
  };
  return (agency) => {
    const reported = latest.get(agency.id);
    const states = (dutiesByAgency.get(agency.parentId ?? agency.id) ?? []).map((d): DutyState => {
      const r = reported?.get(d.id);
      if (!r) return unreportedState(d);
      return {
        dutyId: d.id,
        code: d.code,
        text: d.text,
        status: r.status as DutyStatus,
        percent: r.percent,
        note: r.note,
        updatedAt: r.createdAt,
      };
    });
    const submission = submissionByAgency.get(agency.id) ?? null;
    return {
      agency,
      parentCode: agency.parentId === null ? null : (byId.get(agency.parentId)?.code ?? null),
      memberCount: 0,
      membersSubmitted: 0,
      duties: states,
      submission,
      submitted: submission !== null,
      done: states.length > 0 && states.every((s) => s.status === "done"),
      contacts: contactsByDirectory.get(agency.directoryId) ?? 0,
      lastReportAt: lastReportAt.get(agency.id) ?? null,
    };
  };
}

/** Top-level agencies in order, each group rolled up from its members and followed by them. */
function groupsWithMembers(agencies: readonly Agency[], own: (agency: Agency) => AgencyState): AgencyState[] {
  const membersOf = new Map<number, AgencyState[]>();
  for (const a of agencies) {
    if (a.parentId === null) continue;
    pushTo(membersOf, a.parentId, own(a));
  }
  const result: AgencyState[] = [];
  for (const a of agencies) {
    if (a.parentId !== null) continue;
    const members = membersOf.get(a.id);
    result.push(members ? rollUp(own(a), members) : own(a));
    for (const m of members ?? []) result.push(m);
  }
  return result;
}

function indicatorStates(indicators: readonly Indicator[], figures: readonly IndicatorFigure[]): IndicatorState[] {
  const latestFigure = new Map<number, IndicatorFigure>();
  for (const f of figures) latestFigure.set(f.indicatorId, f);
  return indicators.map((indicator) => {
    const f = latestFigure.get(indicator.id) ?? null;
    return {
      indicator,
      latest: f,
      latestRatePercent: f ? ratePercent(f.participants, indicator.eligiblePopulation) : null,
    };
  });
}

/** An indicator's target and its latest figure, as the status JSON and the exports list them. */
export function indicatorFigures(i: IndicatorState) {
  return {
    code: i.indicator.code,
    name: i.indicator.name,
    targetRatePercent: i.indicator.targetRatePercent,
    targetParticipants: i.indicator.targetParticipants,
    eligiblePopulation: i.indicator.eligiblePopulation,
    latestParticipants: i.latest?.participants ?? null,
    latestRatePercent: i.latestRatePercent,
  };
}

/** A group's duty is done when every member's is; blocked when any member is blocked. */
function rollUp(group: AgencyState, members: AgencyState[]): AgencyState {
  const duties = group.duties.map((duty, i): DutyState => {
    // A member's duties are its group's, in the same order (ownStateOf): the i-th is this one.
    const rows = members
      .map((m) => (m.duties[i]?.dutyId === duty.dutyId ? m.duties[i] : m.duties.find((d) => d.dutyId === duty.dutyId)))
      .filter((d): d is DutyState => d !== undefined);
    const statuses = new Set(rows.map((r) => r.status));
    const status: DutyStatus =
      rows.length > 0 && statuses.size === 1
        ? rows[0]!.status
        : statuses.has("blocked")
          ? "blocked"
          : statuses.size === 0
            ? "not_started"
            : "in_progress";
    const updated = rows.map((r) => r.updatedAt).filter((d): d is Date => d !== null);
    return {
      ...duty,
      status,
      percent: rows.length ? Math.round(rows.reduce((sum, r) => sum + r.percent, 0) / rows.length) : 0,
      note: null,
      updatedAt: updated.length ? new Date(Math.max(...updated.map((d) => d.getTime()))) : null,
    };
  });
  const membersSubmitted = members.filter((m) => m.submitted).length;
  const lastReports = members.map((m) => m.lastReportAt).filter((d): d is Date => d !== null);
  return {
    ...group,
    memberCount: members.length,
    membersSubmitted,
    duties,
    submitted: membersSubmitted === members.length,
    done: members.every((m) => m.done),
    lastReportAt: lastReports.length ? new Date(Math.max(...lastReports.map((d) => d.getTime()))) : null,
  };
}
