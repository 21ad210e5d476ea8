import type { Plan } from "../generated/prisma/client.ts";
import type { Messages } from "../i18n/index.ts";

/**
 * Who issues the draft report, as the operator set it (REPORT_* variables, or the export command's
 * options); anything unset falls back to the plan's province's Sở Nội vụ.
 */
export interface ReportSettings {
  /** The issuing body, e.g. "Sở Nội vụ". */
  issuer?: string;
  /** The body it belongs to, e.g. "UBND tỉnh Đồng Nai". */
  parent?: string;
  /** The issuer's short symbol in the number, e.g. "SNV" in "Số: /BC-SNV". */
  symbol?: string;
  /** The place before the date, e.g. "Đồng Nai". */
  place?: string;
  /** The signature block's title lines, separated by "/", e.g. "KT. GIÁM ĐỐC/PHÓ GIÁM ĐỐC". */
  signer?: string;
}

/** Every part of the header and the closing, resolved. */
export interface ReportIssuer {
  issuer: string;
  parent: string;
  symbol: string;
  place: string;
  signer: string[];
  /** The province's People's Committee, to whom the report goes ("Kính gửi"). */
  addressee: string;
}

/** "tỉnh" or "thành phố", as the plan's title names its province (the province field keeps only the name). */
export function provinceKind(plan: Pick<Plan, "title" | "province">): "tỉnh" | "thành phố" {
  const before = plan.title.slice(0, Math.max(0, plan.title.lastIndexOf(plan.province))).trimEnd();
  return /thành phố$/iu.test(before) ? "thành phố" : "tỉnh";
}

/** "Sở Nội vụ" → "SNV", "Sở Tài chính" → "STC": how symbols are formed when none is set. */
export function symbolOf(issuer: string): string {
  return issuer
    .split(/[\s,-]+/u)
    .filter(Boolean)
    .map((word) => word.charAt(0).toLocaleUpperCase("vi"))
    .join("");
}

const given = (value: string | undefined) => (value && value.trim() ? value.trim() : undefined);

export function reportIssuer(t: Messages, plan: Plan, settings: ReportSettings = {}): ReportIssuer {
  const d = t.reports.doc;
  const kind = provinceKind(plan);
  const issuer = given(settings.issuer) ?? d.defaultIssuer;
  return {
    issuer,
    parent: given(settings.parent) ?? d.committeeShort(kind, plan.province),
    symbol: given(settings.symbol) ?? (given(settings.issuer) ? symbolOf(issuer) : d.defaultSymbol),
    place: given(settings.place) ?? plan.province,
    signer: (given(settings.signer) ?? d.defaultSigner)
      .split("/")
      .map((line) => line.trim())
      .filter(Boolean),
    addressee: d.committee(kind, plan.province),
  };
}
