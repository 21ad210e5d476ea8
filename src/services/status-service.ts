import type { Db, Tx } from "../db/db.ts";
import { ratePercent } from "../lib/format.ts";
import type { DutyStatus } from "../domain/status.ts";
import type { Agency, Duty, Indicator, IndicatorFigure, Plan, Submission } from "../generated/prisma/client.ts";

export interface DutyState {
  dutyId: number;
  code: string;
  text: string;
  status: DutyStatus;
  percent: number;
  note: string | null;
  updatedAt: Date | null;
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

const later = (a: LatestReport, b: LatestReport) =>
  a.createdAt.getTime() !== b.createdAt.getTime() ? a.createdAt > b.createdAt : a.id > b.id;

/**
 * Everything a coordinator, the CLI or the reminder engine needs, in a handful of queries. With
 * `onlyAgency` (a reporting agency, not a group) only that agency is read: a contact's /nhiemvu must
 * not grow with every report the other 3,000 communes send.
 */
export async function loadPlanStatus(db: Db | Tx, plan: Plan, onlyAgency?: Agency): Promise<PlanStatus> {
  const rows = await readStatusRows(db, plan, onlyAgency);
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
    db.agency.findMany({
      where: { planId: plan.id, withdrawn: false, ...(onlyAgency && { id: onlyAgency.id }) },
      orderBy: [{ sortOrder: "asc" }, { code: "asc" }],
    }),
    db.duty.findMany({
      where: {
        agency: { planId: plan.id },
        withdrawn: false,
        ...(onlyAgency && { agencyId: onlyAgency.parentId ?? onlyAgency.id }),
      },
      orderBy: { sortOrder: "asc" },
    }),
    db.dutyReport.findMany({
      where: { agency: { planId: plan.id }, ...one },
      select: { id: true, agencyId: true, dutyId: true, status: true, percent: true, note: true, createdAt: true },
    }),
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

/** Each agency's own state (a group's before its members are rolled up), from the rows read once. */
function ownStateOf(rows: StatusRows): (agency: Agency) => AgencyState {
  const latest = new Map<string, LatestReport>();
  const lastReportAt = new Map<number, Date>();
  for (const r of rows.reports) {
    const key = `${r.agencyId}:${r.dutyId}`;
    const current = latest.get(key);
    if (!current || later(r, current)) latest.set(key, r);
    const last = lastReportAt.get(r.agencyId);
    if (!last || r.createdAt > last) lastReportAt.set(r.agencyId, r.createdAt);
  }
  const dutiesByAgency = new Map<number, Duty[]>();
  for (const d of rows.duties) dutiesByAgency.set(d.agencyId, [...(dutiesByAgency.get(d.agencyId) ?? []), d]);
  const submissionByAgency = new Map(rows.submissions.map((s) => [s.agencyId, s]));
  // People belong to the directory agency: its contacts are this plan's agency's contacts.
  const contactsByDirectory = new Map(rows.contacts.map((c) => [c.directoryAgencyId, c._count._all]));
  const byId = new Map(rows.agencies.map((a) => [a.id, a]));
  return (agency) => {
    const states = (dutiesByAgency.get(agency.parentId ?? agency.id) ?? []).map((d): DutyState => {
      const r = latest.get(`${agency.id}:${d.id}`);
      return {
        dutyId: d.id,
        code: d.code,
        text: d.text,
        status: (r?.status as DutyStatus | undefined) ?? "not_started",
        percent: r?.percent ?? 0,
        note: r?.note ?? null,
        updatedAt: r?.createdAt ?? null,
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
    membersOf.set(a.parentId, [...(membersOf.get(a.parentId) ?? []), own(a)]);
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
  const duties = group.duties.map((duty): DutyState => {
    const rows = members.map((m) => m.duties.find((d) => d.dutyId === duty.dutyId)!).filter(Boolean);
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
