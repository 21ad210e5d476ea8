import { stringify } from "csv-stringify/sync";
import type { Messages } from "../i18n/index.ts";
import { dutyState } from "../domain/status.ts";
import { toIsoLocal } from "../lib/time.ts";
import type { ExportData } from "./export-data.ts";

const BOM = "\uFEFF";

/**
 * The usual guard against CSV formula injection (OWASP): a cell starting with =, +, - or @ gets a
 * leading single quote, so Excel shows it as text instead of evaluating it. Only text people typed
 * is guarded; our own numbers (a percent, a date) never start with those characters.
 */
export function guardFormula(value: string | null): string {
  if (value === null) return "";
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The `Nhiệm vụ` table: UTF-8 with a BOM (so Excel reads Vietnamese), RFC 4180 quoting, CRLF line ends. */
export function buildExportCsv(t: Messages, data: ExportData): Uint8Array {
  const rows = data.duties.map((d, i) => [
    String(i + 1),
    d.agencyCode,
    guardFormula(d.agencyName),
    d.dutyCode,
    guardFormula(d.dutyText),
    t.bot.statusLabel[dutyState(d)],
    String(d.percent),
    guardFormula(d.note),
    d.updatedAt ? toIsoLocal(d.updatedAt) : "",
    guardFormula(d.reporter),
  ]);
  const body = stringify([t.reports.dutyCols, ...rows], { record_delimiter: "\r\n", quoted_match: /[",\r\n]/ });
  return new TextEncoder().encode(BOM + body);
}
