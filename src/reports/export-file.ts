import type { OutgoingFile } from "../model/messages.ts";
import type { Messages } from "../i18n/index.ts";
import { isLocalDate, localDate, parseDayMonth, type LocalDate } from "../lib/time.ts";
import { buildExportCsv } from "./export-csv.ts";
import type { ExportData } from "./export-data.ts";
import { buildExportXlsx } from "./export-xlsx.ts";
import type { ReportSettings } from "./report-issuer.ts";

export const EXPORT_FORMATS = ["xlsx", "csv", "docx", "png"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

const MIME: Record<ExportFormat, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  png: "image/png",
};

/** dd/mm/yyyy (as people write dates here) or YYYY-MM-DD. */
export function parseSince(value: string): LocalDate | null {
  const v = value.trim();
  if (isLocalDate(v)) return v;
  return /^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$/.test(v) ? parseDayMonth(v, 0) : null;
}

/** A file name that says what and when, e.g. `tong-hop-IV.9-2026-12-01.xlsx`. */
export function exportFileName(format: ExportFormat, data: ExportData): string {
  const stem = format === "docx" ? "bao-cao-tong-hop" : format === "png" ? "tien-do" : "tong-hop";
  const agency = data.filters.agency ? `-${data.filters.agency.replace(/[^A-Za-z0-9.-]/g, "")}` : "";
  return `${stem}${agency}-${localDate(data.generatedAt)}.${format}`;
}

/** `report`: who issues the Word draft (the other formats do not name an issuer). */
export async function buildExportFile(
  t: Messages,
  format: ExportFormat,
  data: ExportData,
  report: ReportSettings = {},
): Promise<OutgoingFile> {
  const content = await render(t, format, data, report);
  return { name: exportFileName(format, data), mimeType: MIME[format], content };
}

async function render(
  t: Messages,
  format: ExportFormat,
  data: ExportData,
  report: ReportSettings,
): Promise<Uint8Array> {
  switch (format) {
    case "xlsx":
      return buildExportXlsx(t, data);
    case "csv":
      return buildExportCsv(t, data);
    case "docx":
      return (await import("./export-docx.ts")).buildExportDocx(t, data, report);
    case "png":
      return (await import("./chart.ts")).buildProgressChart(t, data);
  }
}
