import type { ISectionOptions } from "docx";
import type { Messages } from "../i18n/index.ts";
import { SIZE, TEXT_WIDTH, grid, pageSection, para, type CellContent, type GridColumn } from "./docx-blocks.ts";
import type { ExportData } from "./export-data.ts";
import { dutyStateText, type GroupOutline } from "./report-outline.ts";
import type { ReportIssuer } from "./report-issuer.ts";

/**
 * A group's members one per row: whether each sent its report and where each duty stands. An
 * appendix of its own, numbered on its own, so the body stays short whatever the number of communes.
 */
export function appendixSection(
  t: Messages,
  data: ExportData,
  group: GroupOutline,
  issuer: ReportIssuer,
): ISectionOptions {
  const d = t.reports.doc;
  const dutyCodes = group.state.duties.map((duty) => duty.code);
  const fixed = [550, 2200, 1900];
  const rest = TEXT_WIDTH - fixed.reduce((sum, w) => sum + w, 0);
  const dutyWidth = dutyCodes.length ? Math.floor(rest / dutyCodes.length) : 0;
  const columns: GridColumn[] = [
    { width: fixed[0]!, align: "center" },
    { width: fixed[1]! + (dutyCodes.length ? rest - dutyWidth * dutyCodes.length : rest) },
    { width: fixed[2]! },
    ...dutyCodes.map(() => ({ width: dutyWidth, align: "center" as const })),
  ];
  const rows = group.members.map((m, i): CellContent[] => {
    const s = m.submission;
    const duties = data.duties.filter((x) => x.agencyCode === m.agency.code);
    return [
      String(i + 1),
      m.agency.name,
      s ? d.submittedShort(s.documentNumber, s.documentDate) : d.notSubmittedShort,
      ...dutyCodes.map((code) => {
        const duty = duties.find((x) => x.dutyCode === code);
        return duty ? dutyStateText(t, duty) : "";
      }),
    ];
  });
  return pageSection(
    [
      para(group.appendix, { align: "center", bold: true, size: SIZE.motto, after: 0 }),
      para(d.appendixTitle(group.noun), { align: "center", bold: true, after: 0 }),
      para(d.appendixOf(issuer.symbol, data.plan.year, issuer.issuer), { align: "center", italics: true, after: 240 }),
      grid(columns, [...d.appendixCols, ...dutyCodes], rows, SIZE.recipients),
    ],
    true,
  );
}
