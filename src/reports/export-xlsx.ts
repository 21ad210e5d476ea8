import type ExcelJS from "exceljs";

// exceljs is loaded when a workbook is first made: it costs the idle bot about 25 MB of resident
// memory, and most days nobody exports.
const loadExcel = async () => (await import("exceljs")).default;
import { DUTY_STATES, dutyState } from "../domain/status.ts";
import type { Messages } from "../i18n/index.ts";
import { statusLabel } from "../i18n/views.ts";
import { formatDateVi } from "../lib/time.ts";
import type { ExportData } from "./export-data.ts";
import { stampedAt } from "./zip-stamp.ts";

const OFFSET_MS = 7 * 60 * 60 * 1000;
const DATE_TIME = "dd/mm/yyyy hh:mm";
const PERCENT = "0.0%";

type CellValue = string | number | Date | null;

/**
 * Excel has no time zones: a date cell shows the wall-clock value it holds. Shifting by +07:00
 * makes it show Vietnam time on every computer.
 */
export function excelDate(instant: Date | null): Date | null {
  return instant ? new Date(instant.getTime() + OFFSET_MS) : null;
}

/**
 * Text people typed stays text. exceljs writes a JavaScript string as a string cell (never a
 * formula, which needs `{ formula }`), so a note starting with "=" cannot run in Excel; the test
 * reads such a cell back to keep it that way.
 */
function text(value: string | null | undefined): string | null {
  return value ?? null;
}

interface Column {
  header: string;
  format?: string;
  min?: number;
  max?: number;
  /** Long text (duties, notes): a fixed width for print, wrapped within it. */
  wrap?: number;
}

/**
 * Printed on A4 landscape, as wide as the page, as many pages down as it takes, the header row
 * repeated on each; narrow margins (inches, as Excel stores them) leave room for the wrapped text.
 */
function printSetup(sheet: ExcelJS.Worksheet, titleRows?: string): void {
  sheet.pageSetup = {
    paperSize: 9,
    orientation: "landscape",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    ...(titleRows && { printTitlesRow: titleRows }),
  };
}

function addTable(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: readonly Column[],
  rows: readonly CellValue[][],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.addRow(columns.map((c) => c.header)).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    if (c.format) column.numFmt = c.format;
    // Every cell reads from the top, so a row of wrapped text lines up with its code and status.
    column.alignment = { vertical: "top", ...(c.wrap && { wrapText: true }) };
    column.width =
      c.wrap ??
      fitWidth(
        c,
        rows.map((r) => r[i] ?? null),
      );
  });
  sheet.getRow(1).alignment = { vertical: "middle", wrapText: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  printSetup(sheet, "1:1");
  return sheet;
}

/** Wide enough for the longest line of the column, within bounds so one long note does not rule the sheet. */
function fitWidth(column: Column, values: readonly CellValue[]): number {
  const lengths = values.map((v) =>
    v instanceof Date
      ? 17
      : v === null
        ? 0
        : Math.max(
            ...String(v)
              .split("\n")
              .map((l) => l.length),
          ),
  );
  const longest = Math.max(column.header.length, ...lengths);
  return Math.min(column.max ?? 60, Math.max(column.min ?? 6, longest + 2));
}

/** The catalogue's headers in order, each with the format and bounds its column needs (by position). */
function columnsOf(headers: readonly string[], specs: Record<number, Omit<Column, "header">> = {}): Column[] {
  return headers.map((header, i) => ({ header, ...specs[i] }));
}

export async function buildExportXlsx(t: Messages, data: ExportData): Promise<Uint8Array> {
  const workbook = await newWorkbook(data.generatedAt);
  addPlanSheets(workbook, t, data, "");
  return stampedAt(new Uint8Array(await workbook.xlsx.writeBuffer()), data.generatedAt);
}

/**
 * Several plans in one workbook: a summary across plans first, then each plan's sheets, named
 * with the plan's code in front ("BHYT26 Nhiệm vụ").
 */
export async function buildPlansXlsx(t: Messages, plans: readonly ExportData[]): Promise<Uint8Array> {
  const generatedAt = plans[0]!.generatedAt;
  const workbook = await newWorkbook(generatedAt);
  addPlansSummary(workbook, t, plans);
  for (const data of plans) addPlanSheets(workbook, t, data, `${data.plan.code} `);
  return stampedAt(new Uint8Array(await workbook.xlsx.writeBuffer()), generatedAt);
}

async function newWorkbook(at: Date): Promise<ExcelJS.Workbook> {
  const workbook = new (await loadExcel()).Workbook();
  workbook.created = at;
  workbook.modified = at;
  return workbook;
}

function addPlansSummary(workbook: ExcelJS.Workbook, t: Messages, plans: readonly ExportData[]): void {
  const r = t.reports;
  const rows = plans.map((data) => {
    const units = reportingUnits(data);
    return [
      data.plan.code,
      data.plan.title,
      formatDateVi(data.plan.reportDeadline),
      units.filter((s) => s.submitted).length,
      units.length,
      data.duties.filter((d) => d.status === "done").length,
      data.duties.length,
      data.difficulties.filter((d) => !d.resolvedAt).length,
    ];
  });
  const sheet = addTable(workbook, r.sheets.plans, columnsOf(r.planCols, { 1: { wrap: 60 } }), rows);
  printSetup(sheet, "1:1");
}

function addPlanSheets(workbook: ExcelJS.Workbook, t: Messages, data: ExportData, prefix: string): void {
  const r = t.reports;
  addSummarySheet(workbook, t, data, `${prefix}${r.sheets.summary}`);
  addTable(
    workbook,
    `${prefix}${r.sheets.duties}`,
    columnsOf(r.dutyCols, {
      2: { wrap: 24 },
      4: { wrap: 55 },
      6: { format: "0%" },
      7: { wrap: 40 },
      8: { format: DATE_TIME },
    }),
    dutiesRows(t, data),
  );
  addTable(
    workbook,
    `${prefix}${r.sheets.submissions}`,
    columnsOf(r.submissionCols, { 2: { wrap: 30 }, 6: { format: DATE_TIME } }),
    submissionsRows(t, data),
  );
  addTable(
    workbook,
    `${prefix}${r.sheets.difficulties}`,
    columnsOf(r.difficultyCols, { 2: { wrap: 24 }, 4: { wrap: 50 }, 6: { format: DATE_TIME }, 8: { wrap: 40 } }),
    difficultiesRows(t, data),
  );
  addTable(
    workbook,
    `${prefix}${r.sheets.history}`,
    columnsOf(r.historyCols, { 1: { format: DATE_TIME }, 3: { wrap: 24 }, 6: { format: "0%" }, 7: { wrap: 50 } }),
    historyRows(t, data),
  );
}

/** Tổng hợp: key-value lines, then the indicators table, then the counts. */
function addSummarySheet(workbook: ExcelJS.Workbook, t: Messages, data: ExportData, name: string): void {
  const r = t.reports;
  const summary = workbook.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  summary.addRow([r.plan, `${data.plan.code} ${data.plan.title}`]).font = { bold: true };
  summary.addRow([r.deadline, formatDateVi(data.plan.reportDeadline)]);
  const generated = summary.addRow([r.generatedAt, excelDate(data.generatedAt)]);
  generated.getCell(2).numFmt = DATE_TIME;
  if (data.filters.agency) summary.addRow([r.filterAgency, text(data.filters.agency)]);
  if (data.filters.since) summary.addRow([r.filterSince, formatDateVi(data.filters.since)]);
  summary.addRow([]);
  summary.addRow([r.indicators]).font = { bold: true };
  summary.addRow(r.indicatorCols).font = { bold: true };
  for (const i of data.indicators) {
    const row = summary.addRow([
      i.code,
      i.name,
      i.targetRatePercent / 100,
      i.targetParticipants,
      i.eligiblePopulation,
      i.latestParticipants,
      i.latestRatePercent === null ? null : i.latestRatePercent / 100,
      i.gap,
      text(i.reportedBy),
      excelDate(i.reportedAt),
    ]);
    row.getCell(3).numFmt = PERCENT;
    row.getCell(7).numFmt = PERCENT;
    for (const c of [4, 5, 6, 8]) row.getCell(c).numFmt = "#,##0";
    row.getCell(10).numFmt = DATE_TIME;
  }
  summary.addRow([]);
  const units = reportingUnits(data);
  summary.addRow([r.submittedCount, units.filter((s) => s.submitted).length]);
  summary.addRow([r.notSubmittedCount, units.filter((s) => !s.submitted).length]);
  summary.addRow([]);
  summary.addRow([r.byStatus, r.count]).font = { bold: true };
  for (const s of DUTY_STATES)
    summary.addRow([t.bot.statusLabel[s], data.duties.filter((d) => dutyState(d) === s).length]);
  summary.getColumn(1).width = 30;
  summary.getColumn(2).width = 40;
  summary.getColumn(2).alignment = { vertical: "top", wrapText: true };
  for (let c = 3; c <= 10; c++) summary.getColumn(c).width = 16;
  printSetup(summary);
}

/**
 * Members are rolled up into their group: a group counts as submitted when every member has.
 * (A member exported on its own, with --agency IV.9-25195, counts for itself.)
 */
function reportingUnits(data: ExportData): ExportData["submissions"] {
  const parentOf = new Map(data.agencies.map((a) => [a.agency.code, a.parentCode]));
  return data.submissions.filter((s) => {
    const parent = parentOf.get(s.agencyCode);
    return !parent || !parentOf.has(parent);
  });
}

function dutiesRows(t: Messages, data: ExportData): CellValue[][] {
  return data.duties.map((d, i) => [
    i + 1,
    d.agencyCode,
    d.agencyName,
    d.dutyCode,
    d.dutyText,
    t.bot.statusLabel[dutyState(d)],
    d.percent / 100,
    text(d.note),
    excelDate(d.updatedAt),
    text(d.reporter),
  ]);
}

function submissionsRows(t: Messages, data: ExportData): CellValue[][] {
  const r = t.reports;
  return data.submissions.map((s, i) => [
    i + 1,
    s.agencyCode,
    s.agencyName,
    s.isGroup ? r.membersSubmitted(s.membersSubmitted, s.memberCount) : s.submitted ? r.yes : r.no,
    text(s.documentNumber),
    s.documentDate ? formatDateVi(s.documentDate) : null,
    excelDate(s.submittedAt),
    s.onTime === null ? null : s.onTime ? r.onTime : r.late,
    text(s.by),
  ]);
}

function difficultiesRows(t: Messages, data: ExportData): CellValue[][] {
  const r = t.reports;
  return data.difficulties.map((d, i) => [
    i + 1,
    d.agencyCode,
    d.agencyName,
    d.dutyCode,
    text(d.text),
    text(d.raisedBy),
    excelDate(d.raisedAt),
    d.resolvedAt ? r.resolved : r.open,
    text(d.resolution),
  ]);
}

function historyRows(t: Messages, data: ExportData): CellValue[][] {
  return data.history.map((h, i) => [
    i + 1,
    excelDate(h.at),
    h.agencyCode,
    h.agencyName,
    h.dutyCode,
    statusLabel(t, h.status),
    h.percent / 100,
    text(h.note),
    text(h.reporter),
  ]);
}
