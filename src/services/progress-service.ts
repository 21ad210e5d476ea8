import type { Clock } from "../lib/clock.ts";
import { inTransaction, placeholder, type Db, type Tx } from "../db/db.ts";
import { driverOf } from "../db/driver-access.ts";
import { instantArg, readModel, selectList } from "../db/row-map.ts";
import { DUTY_REPORT } from "../db/tables.ts";
import type { DutyStatus } from "../domain/status.ts";
import { AppError } from "../model/errors.ts";
import type {
  Agency,
  Difficulty,
  Duty,
  DutyReport,
  Indicator,
  IndicatorFigure,
  Person,
  Plan,
} from "../generated/prisma/client.ts";

export interface ProgressDeps {
  db: Db | Tx;
  clock: Clock;
}

export interface ReportInput {
  person: Person;
  agency: Agency;
  duty: Duty;
  status: DutyStatus;
  /** null keeps the percent last reported (a "vướng" reply says nothing about how far along it is). */
  percent: number | null;
  note: string | null;
}

export interface RecordedReport {
  report: DutyReport;
  difficulty: Difficulty | null;
}

/** Reports are append-only; a blocked report is also a difficulty for the coordinators. */
export async function recordReport(deps: ProgressDeps, input: ReportInput): Promise<RecordedReport> {
  const now = deps.clock.now();
  const data = (percent: number) => ({
    agencyId: input.agency.id,
    dutyId: input.duty.id,
    status: input.status,
    percent: Math.round(percent),
    note: input.note,
    personId: input.person.id,
    createdAt: now,
  });
  // A report with its percent and no difficulty is one row, which one statement writes whole: a
  // transaction around it cost a report two more round trips through Prisma.
  if (input.percent !== null && input.status !== "blocked") {
    return { report: await insertReport(deps.db, data(input.percent)), difficulty: null };
  }
  return inTransaction(deps.db, async (tx) => {
    let percent = input.percent;
    if (percent === null) {
      const previous = await tx.dutyReport.findFirst({
        where: { agencyId: input.agency.id, dutyId: input.duty.id },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      });
      percent = previous?.percent ?? 0;
    }
    const report = await tx.dutyReport.create({ data: data(percent) });
    const difficulty =
      input.status === "blocked"
        ? await tx.difficulty.create({
            data: {
              agencyId: input.agency.id,
              dutyId: input.duty.id,
              text: input.note ?? "",
              personId: input.person.id,
              reportId: report.id,
              createdAt: now,
            },
          })
        : null;
    return { report, difficulty };
  });
}

/**
 * One report row, by hand where the client has its driver: the statement every one-line report
 * makes, and through Prisma its compiling was most of a report's time in the process.
 */
async function insertReport(db: Db | Tx, row: Omit<DutyReport, "id">): Promise<DutyReport> {
  const query = driverOf(db);
  if (!query) return db.dutyReport.create({ data: row });
  const p = (n: number) => placeholder(db, n);
  const [inserted] = await query(
    `INSERT INTO "DutyReport" ("agencyId", "dutyId", "status", "percent", "note", "personId", "createdAt")
     VALUES (${[1, 2, 3, 4, 5, 6, 7].map(p).join(", ")}) RETURNING ${selectList(DUTY_REPORT)}`,
    [row.agencyId, row.dutyId, row.status, row.percent, row.note, row.personId, instantArg(row.createdAt)],
  );
  return readModel(DUTY_REPORT, inserted!);
}

/** Accepts "1.120.000", "1120000", "1 120 000" or "1,120,000"; never decimals. */
export function parseParticipants(value: string): number | null {
  const v = value.trim();
  if (!/^\d{1,3}([.,\s]\d{3})*$/.test(v) && !/^\d+$/.test(v)) return null;
  const n = Number(v.replace(/[.,\s]/g, ""));
  return Number.isSafeInteger(n) ? n : null;
}

export function mayReportFigures(plan: Plan, person: Person, agency: Agency | null): boolean {
  if (person.role === "coordinator" || person.role === "admin") return true;
  const allowed = plan.figureReporters.split(",").map((c) => c.trim());
  return agency !== null && allowed.includes(agency.code);
}

export async function recordFigure(
  deps: ProgressDeps,
  input: { plan: Plan; person: Person; agency: Agency | null; indicatorCode: string; participants: string },
): Promise<{ figure: IndicatorFigure; indicator: Indicator }> {
  if (!mayReportFigures(input.plan, input.person, input.agency)) throw new AppError("indicator.not_allowed");
  const code = input.indicatorCode.trim().toUpperCase();
  const indicator = await deps.db.indicator.findFirst({
    where: { planId: input.plan.id, withdrawn: false, OR: [{ code }, { code: `II.${code}` }] },
  });
  if (!indicator) {
    const known = await deps.db.indicator.findMany({
      where: { planId: input.plan.id, withdrawn: false },
      orderBy: { sortOrder: "asc" },
      select: { code: true },
    });
    throw new AppError("indicator.unknown", { code: input.indicatorCode, codes: known.map((i) => i.code).join(", ") });
  }
  const participants = parseParticipants(input.participants);
  if (participants === null || participants > indicator.eligiblePopulation) {
    throw new AppError("indicator.bad_number", { value: input.participants });
  }
  const figure = await deps.db.indicatorFigure.create({
    data: {
      indicatorId: indicator.id,
      participants,
      agencyId: input.agency?.id ?? null,
      personId: input.person.id,
      createdAt: deps.clock.now(),
    },
  });
  return { figure, indicator };
}
