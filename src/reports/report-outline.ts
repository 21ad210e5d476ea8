import type { Messages } from "../i18n/index.ts";
import { statusLabel } from "../i18n/views.ts";
import type { AgencyState } from "../services/status-service.ts";
import type { ExportData, ExportDuty } from "./export-data.ts";
import { memberKinds } from "../domain/short-name.ts";

// How the printed report groups the export's agencies: agencies that report for themselves, and
// groups whose members (95 communes) are summed by count, with their list in an appendix.

export interface GroupOutline {
  state: AgencyState;
  members: AgencyState[];
  /** What the members are, in words: "xã, phường". */
  noun: string;
  /** The appendix listing the members: "Phụ lục", or "Phụ lục II" when there are several. */
  appendix: string;
}

export type Block = { kind: "agency"; state: AgencyState } | { kind: "group"; group: GroupOutline };

export interface ReportOutline {
  /** In the plan's order: each agency on its own, each group once (its members inside it). */
  blocks: Block[];
  groups: GroupOutline[];
  /** Agencies reporting for themselves that are not a group's member here. */
  units: AgencyState[];
}

const ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];

/** "xã, phường" for Đồng Nai's 95 units; "đơn vị thành viên" when the names do not say. */
export function memberNoun(t: Messages, members: readonly AgencyState[]): string {
  const kinds = memberKinds(members.map((m) => m.agency.name));
  return kinds ? kinds.map((k) => t.reports.doc.memberKind[k]).join(", ") : t.reports.doc.members;
}

export function reportOutline(t: Messages, data: ExportData): ReportOutline {
  const groupStates = data.agencies.filter((a) => a.memberCount > 0);
  const groups = groupStates.map((state, i): GroupOutline => {
    const members = data.agencies.filter((a) => a.parentCode === state.agency.code && a.memberCount === 0);
    const numeral = groupStates.length > 1 ? (ROMAN[i] ?? String(i + 1)) : null;
    return { state, members, noun: memberNoun(t, members), appendix: t.reports.doc.appendix(numeral) };
  });
  const grouped = new Set(groups.map((g) => g.state.agency.code));
  const units = data.agencies.filter((a) => a.memberCount === 0 && !(a.parentCode && grouped.has(a.parentCode)));
  const blocks: Block[] = [];
  for (const a of data.agencies) {
    const group = groups.find((g) => g.state === a);
    if (group) blocks.push({ kind: "group", group });
    else if (units.includes(a)) blocks.push({ kind: "agency", state: a });
  }
  return { blocks, groups, units };
}

/**
 * A duty's state in words. A duty nobody reported on is "Chưa báo cáo": printing "Chưa thực hiện
 * 0%" told the Ministry "not started" when the truth was "not reported".
 */
export function dutyStateText(t: Messages, duty: Pick<ExportDuty, "status" | "percent" | "updatedAt">): string {
  const d = t.reports.doc;
  if (duty.updatedAt === null) return d.notReported;
  const label = statusLabel(t, duty.status);
  return duty.status === "in_progress" || duty.status === "blocked" ? d.withPercent(label, duty.percent) : label;
}

/** A duty's code as the plan's own reference: IV.4.a → "điểm a khoản 4 Mục IV Kế hoạch". */
export function dutyReference(t: Messages, code: string | null): string | null {
  const m = code ? /^([IVXLC]+)\.(\d+)(?:\.(\p{Ll}+))?$/u.exec(code) : null;
  return m ? t.reports.doc.dutyReference(m[1]!, m[2]!, m[3] ?? null) : null;
}

/** An agency as prose names it: members are communes, named by their committee ("UBND Phường X"). */
export function agencyProseName(t: Messages, data: ExportData, code: string, name: string): string {
  const state = data.agencies.find((a) => a.agency.code === code);
  return state?.parentCode ? t.bot.memberName(name) : name;
}
