import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { Messages } from "../i18n/index.ts";
import { statusLabel } from "../i18n/views.ts";
import { formatDateTimeVi, formatDateVi } from "../lib/time.ts";
import type { ExportData } from "./export-data.ts";
import { stampedAt } from "./zip-stamp.ts";

const FONT = "Times New Roman";
const number = (n: number | null) => (n === null ? "" : n.toLocaleString("vi-VN"));
const rate = (n: number | null) => (n === null ? "" : `${n.toLocaleString("vi-VN", { maximumFractionDigits: 2 })}%`);

/** Notes keep their line breaks: a new line in Word is a break inside the run, not a new paragraph. */
function runs(text: string, bold = false): TextRun[] {
  return text.split("\n").map((line, i) => new TextRun({ text: line, bold, font: FONT, break: i > 0 ? 1 : 0 }));
}

function paragraph(text: string, options: { bold?: boolean; center?: boolean; italics?: boolean } = {}): Paragraph {
  return new Paragraph({
    children: text
      .split("\n")
      .map(
        (line, i) =>
          new TextRun({ text: line, bold: options.bold, italics: options.italics, font: FONT, break: i > 0 ? 1 : 0 }),
      ),
    ...(options.center && { alignment: AlignmentType.CENTER }),
    spacing: { after: 120 },
  });
}

function heading(text: string): Paragraph {
  return new Paragraph({
    children: runs(text, true),
    heading: HeadingLevel.HEADING_2,
    spacing: { before: 240, after: 120 },
  });
}

function table(header: readonly string[], rows: readonly string[][]): Table {
  const row = (cells: readonly string[], bold: boolean) =>
    new TableRow({
      tableHeader: bold,
      children: cells.map((c) => new TableCell({ children: [new Paragraph({ children: runs(c, bold) })] })),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [row(header, true), ...rows.map((r) => row(r, false))],
  });
}

/**
 * The draft of the province's summary report, in its usual four parts. Every sentence is either a
 * fixed heading or a figure, a status or a text someone reported: a person finishes the prose.
 */
export async function buildExportDocx(t: Messages, data: ExportData): Promise<Uint8Array> {
  const r = t.reports;
  const doc = new Document({
    creator: "Nhắc Việc",
    title: data.plan.title,
    styles: { default: { document: { run: { font: FONT, size: 26 } } } },
    sections: [
      {
        children: [
          paragraph(r.docTitle(data.plan.title), { bold: true, center: true }),
          paragraph(r.docDraft, { italics: true, center: true }),
          paragraph(
            `${r.deadline}: ${formatDateVi(data.plan.reportDeadline)}. ${r.generatedAt}: ${formatDateTimeVi(data.generatedAt)}.`,
            {
              center: true,
            },
          ),
          heading(r.docResults),
          resultsTable(t, data),
          heading(r.docDuties),
          ...dutiesPart(t, data),
          heading(r.docDifficulties),
          ...difficultiesPart(t, data),
          heading(r.docNotSubmitted),
          ...notSubmittedPart(t, data),
        ],
      },
    ],
  });
  return stampedAt(await Packer.toBuffer(doc), data.generatedAt);
}

/** I. Each indicator against its target. */
function resultsTable(t: Messages, data: ExportData): Table {
  const r = t.reports;
  const cols = r.indicatorCols;
  return table(
    [cols[0]!, cols[1]!, cols[2]!, cols[3]!, cols[5]!, cols[6]!, cols[7]!],
    data.indicators.map((i) => [
      i.code,
      i.name,
      rate(i.targetRatePercent),
      number(i.targetParticipants),
      i.latestParticipants === null ? r.docNoFigure : number(i.latestParticipants),
      rate(i.latestRatePercent),
      number(i.gap),
    ]),
  );
}

/** II. Each agency's duties; a group gets one line with its members' submissions. */
function dutiesPart(t: Messages, data: ExportData): (Paragraph | Table)[] {
  const r = t.reports;
  const byAgency = new Map<string, typeof data.duties>();
  for (const d of data.duties) byAgency.set(d.agencyCode, [...(byAgency.get(d.agencyCode) ?? []), d]);
  // Members without any report would fill pages with "Chưa thực hiện": the group gets one line instead.
  const duties: (Paragraph | Table)[] = [];
  for (const a of data.agencies) {
    if (a.memberCount > 0) {
      duties.push(
        paragraph(`${a.agency.code}. ${a.agency.name}: ${r.membersSubmitted(a.membersSubmitted, a.memberCount)}`, {
          bold: true,
        }),
      );
      continue;
    }
    const rows = byAgency.get(a.agency.code) ?? [];
    if (a.parentCode && rows.every((d) => d.updatedAt === null)) continue;
    duties.push(paragraph(`${a.agency.code}. ${a.agency.name}`, { bold: true }));
    duties.push(
      table(
        [r.dutyCols[3]!, r.dutyCols[4]!, r.dutyCols[5]!, r.dutyCols[6]!, r.dutyCols[7]!],
        rows.map((d) => [d.dutyCode, d.dutyText, statusLabel(t, d.status), `${d.percent}%`, d.note ?? ""]),
      ),
    );
  }
  return duties;
}

/** III. The difficulties raised, with their answers. */
function difficultiesPart(t: Messages, data: ExportData): Paragraph[] {
  if (!data.difficulties.length) return [paragraph(t.reports.docNone)];
  return data.difficulties.map((d, i) =>
    paragraph(
      `${i + 1}. ${d.agencyCode}${d.dutyCode ? ` (${d.dutyCode})` : ""}, ${formatDateTimeVi(d.raisedAt)}: ${d.text}` +
        (d.resolution ? `\n→ ${d.resolution}` : ""),
    ),
  );
}

/** IV. The agencies that have not submitted. */
function notSubmittedPart(t: Messages, data: ExportData): Paragraph[] {
  const missing = data.submissions.filter((s) => !s.submitted && !s.isGroup);
  if (!missing.length) return [paragraph(t.reports.docNone)];
  return missing.map((s) => paragraph(`- ${s.agencyCode}. ${s.agencyName}`));
}
