import { Document, Packer, type Paragraph, type Table } from "docx";
import type { Messages } from "../i18n/index.ts";
import { appendixSection } from "./docx-appendix.ts";
import {
  SIZE,
  TEXT_WIDTH,
  blackStyles,
  dottedLine,
  grid,
  heading,
  layout,
  pageSection,
  para,
  rule,
  runs,
} from "./docx-blocks.ts";
import { dutiesPart } from "./docx-duties.ts";
import type { ExportData } from "./export-data.ts";
import { agencyProseName, dutyReference, reportOutline, type ReportOutline } from "./report-outline.ts";
import { reportIssuer, type ReportIssuer, type ReportSettings } from "./report-issuer.ts";
import { stampedAt } from "./zip-stamp.ts";

// The draft of the province's summary report in the form of an administrative document (Decree
// 30/2020/NĐ-CP, Appendix I). Every sentence is fixed, a figure, or a text someone reported; the
// number, the date, the proposals and the signature are left for the people who send it.

const HEADER_COLUMNS = [3685, TEXT_WIDTH - 3685];

export async function buildExportDocx(
  t: Messages,
  data: ExportData,
  settings: ReportSettings = {},
): Promise<Uint8Array> {
  const issuer = reportIssuer(t, data.plan, settings);
  const outline = reportOutline(t, data);
  const subject = t.reports.doc.subject(data.plan.title);
  const doc = new Document({
    creator: "Nhắc Việc",
    title: subject,
    styles: blackStyles(),
    sections: [
      pageSection(
        [
          headerTable(t, issuer, data.plan.year),
          ...titleBlock(t, subject, issuer),
          ...resultsPart(t, data),
          ...dutiesPart(t, data, outline),
          ...difficultiesPart(t, data),
          ...proposalsPart(t),
          para(t.reports.doc.closing(subject, issuer.issuer, issuer.addressee), { body: true }),
          closingTable(t, data, issuer, outline),
        ],
        false,
      ),
      ...outline.groups.map((g) => appendixSection(t, data, g, issuer)),
    ],
  });
  return stampedAt(await Packer.toBuffer(doc), data.generatedAt);
}

const upper = (text: string) => text.toLocaleUpperCase("vi");

/** Issuing body and number on the left, the national name and motto, place and date on the right; no lines. */
function headerTable(t: Messages, issuer: ReportIssuer, year: number): Table {
  const d = t.reports.doc;
  const [left, right] = HEADER_COLUMNS as [number, number];
  const center = { align: "center", after: 0 } as const;
  return layout(HEADER_COLUMNS, [
    [
      para(upper(issuer.parent), center),
      para(upper(issuer.issuer), { ...center, bold: true }),
      rule(1100, left),
      para(d.number(issuer.symbol), { ...center, before: 160 }),
    ],
    [
      para(d.nation, { ...center, bold: true, size: SIZE.nation }),
      para(d.motto, { ...center, bold: true, size: SIZE.motto }),
      rule(3700, right),
      para(d.placeDate(issuer.place, year), { ...center, italics: true, size: SIZE.motto, before: 160 }),
    ],
  ]);
}

/** "BÁO CÁO", its subject and a short rule, then whom it is addressed to. */
function titleBlock(t: Messages, subject: string, issuer: ReportIssuer): Paragraph[] {
  const d = t.reports.doc;
  return [
    para(d.kind, { align: "center", bold: true, size: SIZE.motto, before: 360, after: 0 }),
    para(subject, { align: "center", bold: true, size: SIZE.motto, after: 0 }),
    rule(2000, TEXT_WIDTH),
    para(d.to(issuer.addressee), { align: "center", before: 240, after: 240 }),
  ];
}

/** I. Each target, its latest figure, the verdict and what is still missing. */
function resultsPart(t: Messages, data: ExportData): (Paragraph | Table)[] {
  const d = t.reports.doc;
  const rows = data.indicators.map((i, n) => {
    // Met when the latest count reaches the target's: the rate follows from the count.
    const verdict =
      i.latestParticipants === null ? d.noFigure : i.latestParticipants >= i.targetParticipants ? d.met : d.notMet;
    const achieved =
      i.latestParticipants === null || i.latestRatePercent === null
        ? "—"
        : [
            t.pct(i.latestRatePercent),
            d.people(i.latestParticipants),
            ...(i.reportedAt ? [d.figureDate(i.reportedAt)] : []),
          ].join("\n");
    return [
      String(n + 1),
      i.name,
      `${t.pct(i.targetRatePercent)}\n${d.people(i.targetParticipants)}`,
      achieved,
      verdict,
      i.gap ? t.num(i.gap) : "—",
    ];
  });
  const columns = [700, 2300, 1900, 2000, 1155, 1300].map((width, i) => ({
    width,
    align: i === 1 ? ("left" as const) : ("center" as const),
  }));
  return [heading(d.results), grid(columns, d.resultCols, rows)];
}

/** III. The difficulties raised, each marked when resolved; duties by the plan's own reference, never a code. */
function difficultiesPart(t: Messages, data: ExportData): Paragraph[] {
  const d = t.reports.doc;
  const items = data.difficulties.map((x, i) => {
    const agency = agencyProseName(t, data, x.agencyCode, x.agencyName);
    const raised = `${i + 1}. ${d.difficulty(agency, dutyReference(t, x.dutyCode), x.raisedAt, x.text)}`;
    const resolved = x.resolvedAt ? runs(`\n${d.resolved(x.resolvedAt, x.resolution)}`, { italics: true }) : [];
    return para([...runs(raised), ...resolved], { body: true });
  });
  return [heading(d.difficulties), ...(items.length ? items : [para(d.none, { body: true })])];
}

/** IV. Left for the author: two dotted lines to write on. */
function proposalsPart(t: Messages): Paragraph[] {
  return [heading(t.reports.doc.proposals), dottedLine(), dottedLine()];
}

/** "Nơi nhận" on the left, the signature block on the right, level with each other. */
function closingTable(t: Messages, data: ExportData, issuer: ReportIssuer, outline: ReportOutline): Table {
  const d = t.reports.doc;
  const own = issuer.issuer.toLocaleLowerCase("vi");
  // The agencies the plan addresses, by name, but not the issuer itself.
  const names = outline.blocks
    .map((b) => (b.kind === "group" ? b.group.state.agency : b.state.agency))
    .map((a) => agencyProseName(t, data, a.code, a.name))
    .filter((name) => name.toLocaleLowerCase("vi") !== own);
  const list = [d.asAbove, ...names.map((n) => d.recipient(n)), d.archive];
  const left = [
    para(d.recipients, { bold: true, italics: true, size: SIZE.recipientsHead, before: 240, after: 0 }),
    ...list.map((line) => para(line, { size: SIZE.recipients, after: 0 })),
  ];
  const right = [
    ...issuer.signer.map((line, i) => para(line, { align: "center", bold: true, before: i === 0 ? 240 : 0, after: 0 })),
    // Room for the signature and the signer's name, written in by hand or by the clerk.
    ...[0, 1, 2, 3, 4].map(() => para("", { after: 0 })),
  ];
  return layout([4400, TEXT_WIDTH - 4400], [left, right]);
}
