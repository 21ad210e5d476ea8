import { type Paragraph, type Table } from "docx";
import type { DutyStatus } from "../domain/status.ts";
import type { Messages } from "../i18n/index.ts";
import type { AgencyState } from "../services/status-service.ts";
import { SIZE, grid, heading, para, runs, type CellContent } from "./docx-blocks.ts";
import type { ExportData, ExportDuty } from "./export-data.ts";
import { agencyProseName, dutyStateText, type GroupOutline, type ReportOutline } from "./report-outline.ts";

// II. Who has reported, then each agency's duties: the duty text gets most of the width, the
// result the rest; a group's members are counted, not listed (their list is the appendix).

const LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split(" ");
/** The code, the duty and its result: the duty text is what wraps most, so it gets the most room. */
const RESULT_ORDER: readonly DutyStatus[] = ["done", "in_progress", "blocked", "not_started"];
const DUTY_COLUMNS = [{ width: 850, align: "center" as const }, { width: 5205 }, { width: 3300 }];

export function dutiesPart(t: Messages, data: ExportData, outline: ReportOutline): (Paragraph | Table)[] {
  const d = t.reports.doc;
  return [
    heading(d.duties),
    heading(d.submissionsHeading),
    ...submissionsPart(t, data, outline),
    heading(d.agenciesHeading),
    ...outline.blocks.flatMap((block, i) => {
      const letter = LETTERS[i] ?? `${LETTERS.at(-1)}${i - LETTERS.length + 2}`;
      return block.kind === "group"
        ? groupBlock(t, data, block.group, letter)
        : agencyBlock(t, data, block.state, letter);
    }),
  ];
}

/** 1. The deadline, how many have sent their report, and who has not, by name. */
function submissionsPart(t: Messages, data: ExportData, outline: ReportOutline): Paragraph[] {
  const d = t.reports.doc;
  const { units, groups } = outline;
  const counts = [
    ...(units.length ? [d.unitsCount(units.filter((u) => u.submitted).length, units.length)] : []),
    ...groups.map((g) => d.membersCount(g.state.membersSubmitted, g.state.memberCount, g.noun)),
  ];
  const missing = [
    ...units.filter((u) => !u.submitted).map((u) => agencyProseName(t, data, u.agency.code, u.agency.name)),
    ...groups
      .filter((g) => g.state.membersSubmitted < g.state.memberCount)
      .map((g) => d.membersMissing(g.state.memberCount - g.state.membersSubmitted, g.noun, g.appendix)),
  ];
  return [
    para(d.deadline(data.plan.reportDeadline), { body: true }),
    ...(counts.length ? [para(d.submittedCount(data.generatedAt, counts), { body: true })] : []),
    para(missing.length ? d.notSubmitted(missing) : d.allSubmitted, { body: true }),
  ];
}

/** "a) Sở Nội vụ (đã gửi Báo cáo số …)": the name in bold, what it sent after it. */
function blockHeading(letter: string, name: string, detail: string): Paragraph {
  return para([...runs(`${letter}) ${name}`, { bold: true }), ...runs(` (${detail})`)], {
    body: true,
    before: 120,
    keepNext: true,
  });
}

function resultCell(t: Messages, duty: ExportDuty): CellContent {
  const cell = { size: SIZE.table, after: 0 };
  return [
    para(dutyStateText(t, duty), { ...cell, bold: true }),
    ...(duty.note && duty.updatedAt ? [para(duty.note, cell)] : []),
  ];
}

function agencyBlock(t: Messages, data: ExportData, state: AgencyState, letter: string): (Paragraph | Table)[] {
  const d = t.reports.doc;
  const s = state.submission;
  const detail = s ? d.submittedAs(s.documentNumber, s.documentDate) : d.notSubmittedYet;
  const name = agencyProseName(t, data, state.agency.code, state.agency.name);
  const duties = data.duties.filter((x) => x.agencyCode === state.agency.code);
  const rows = duties.map((x): CellContent[] => [x.dutyCode, x.dutyText, resultCell(t, x)]);
  return [blockHeading(letter, name, detail), ...(rows.length ? [grid(DUTY_COLUMNS, d.dutyCols, rows)] : [])];
}

/** A group's duties, each with how many members stand where: "Hoàn thành: 40", …, "Chưa báo cáo: 18". */
function groupBlock(t: Messages, data: ExportData, group: GroupOutline, letter: string): (Paragraph | Table)[] {
  const d = t.reports.doc;
  const { state, members, noun, appendix } = group;
  const detail = d.membersSummary(state.memberCount, noun, state.membersSubmitted, appendix);
  const memberCodes = new Set(members.map((m) => m.agency.code));
  const rows = state.duties.map((duty): CellContent[] => {
    const rowsOf = data.duties.filter((x) => x.dutyCode === duty.code && memberCodes.has(x.agencyCode));
    const reported = rowsOf.filter((x) => x.updatedAt !== null);
    const lines = [
      ...RESULT_ORDER.map(
        (status) => [t.bot.statusLabel[status], reported.filter((x) => x.status === status).length] as const,
      ),
      [d.notReported, rowsOf.length - reported.length] as const,
    ]
      .filter(([, n]) => n > 0)
      .map(([label, n]) => para(d.memberStatus(label, n), { size: SIZE.table, after: 0 }));
    return [duty.code, duty.text, lines];
  });
  return [blockHeading(letter, state.agency.name, detail), grid(DUTY_COLUMNS, d.dutyCols, rows)];
}
