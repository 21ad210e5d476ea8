import { describe, expect, it } from "vitest";
import { DUTY_STATES, type DutyState } from "../../src/domain/status.ts";
import { en } from "../../src/i18n/en.ts";
import type { Messages } from "../../src/i18n/index.ts";
import { vi } from "../../src/i18n/vi.ts";
import { AppError, type ErrorCode, type ErrorParams } from "../../src/model/errors.ts";
import { errorText } from "../../src/i18n/error-text.ts";
import type { PlanErrorCode, PlanWarningReason } from "../../src/plan/parse-plan.ts";
import type { Role } from "../../src/model/roles.ts";

// The compile-time half of this file is the point: `tsc --noEmit` (npm run typecheck, CI) checks the
// lines below. vi.ts declares each map with `satisfies Record<Union, …>`, so a key removed there is an
// error in vi.ts; en.ts is typed as Messages (vi's shape), so a key removed there is an error in en.ts.
// The assertions here pin those shapes to the unions, and the `@ts-expect-error` lines show that a
// catalogue missing one text does not compile (were it accepted, the directive itself would fail).

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

export type CatalogueKeys = [
  Assert<Equal<keyof Messages["bot"]["statusLabel"], DutyState>>,
  Assert<Equal<keyof Messages["bot"]["statusIcon"], DutyState>>,
  Assert<Equal<keyof Messages["bot"]["roleName"], Role>>,
  Assert<Equal<keyof Messages["planErrors"], PlanErrorCode>>,
  Assert<Equal<keyof Messages["warningReasons"], PlanWarningReason>>,
  Assert<Equal<keyof Messages["errors"], ErrorCode>>,
];

// @ts-expect-error: an English catalogue without the text for "done" is not a catalogue
export const missingStatus: Messages["bot"]["statusLabel"] = {
  not_started: "Not started",
  in_progress: "In progress",
  blocked: "Blocked",
  not_reported: "Not reported",
};

// @ts-expect-error: nor is one without the administrator's role name
export const missingRole: Messages["bot"]["roleName"] = { contact: "contact", coordinator: "coordinator" };

// @ts-expect-error: a report error's text takes the parse result, not loose extra arguments
export const looseParameters: Messages["bot"]["report"]["errors"]["duty.ambiguous"] = (e: string, r: string) => e + r;

// @ts-expect-error: nor is one that lost the text of a code
export const missingError: Messages["errors"] = { ...en.errors, "invite.expired": undefined };

// @ts-expect-error: an error's text takes that code's parameters, typed
export const wrongParameters: Messages["errors"]["agency.unknown"] = ({ query }: { query: number }) => `${query}`;

const ROLES: Role[] = ["contact", "coordinator", "admin"];

// One example of every code's parameters; a code added to ErrorParams without one here does not compile.
const EXAMPLES: { [C in ErrorCode]: ErrorParams[C] } = {
  "plan.none_active": {},
  "agency.unknown": { query: "IV.99" },
  "agency.ambiguous": { query: "Sở", candidates: "IV.1, IV.2" },
  "agency.is_group": { agency: "IV.9" },
  "agency.not_group": { agency: "IV.4" },
  "members.bad_csv": { line: 3 },
  "invite.unknown": {},
  "invite.used": {},
  "invite.expired": {},
  "invite.revoked": {},
  "invite.rate_limited": {},
  "invite.too_many_wrong": {},
  "invite.link_inactive": {},
  "invite.already_joined": {},
  "invite.bad_role": {},
  "invite.admin_only": {},
  "invite.revoke_unknown": {},
  "invite.revoke_used": {},
  "contact.unknown": { id: 7 },
  "agency.not_in_plan": { agency: "CAT", plan: "BHXH26" },
  "agency.alias_taken": { name: "BHXH tỉnh", agency: "BHXH" },
  "plan.unknown": { code: "XX26", codes: "BHXH26, BHYT26" },
  "plan.choose": { codes: "BHXH26, BHYT26" },
  "plan.code_taken": { code: "BHXH26" },
  "plan.bad_code": { code: "bảo hiểm" },
  "plan.new_agencies": { names: "IV.10 Công an tỉnh (CAT)" },
  "contact.no_agency": {},
  "indicator.unknown": { code: "II.9", codes: "II.1, II.2" },
  "indicator.bad_number": { value: "nhiều" },
  "indicator.not_allowed": {},
  "submission.none": { agency: { code: "IV.9-25195", name: "Phường Bình Phước", parentId: 9 } },
  "submission.reopened": { agency: { code: "IV.2", name: "Sở Tài chính", parentId: null }, at: new Date(0) },
  "difficulty.unknown": { id: 3 },
  "difficulty.resolved": { id: 3 },
  "file.too_large": { max: 20 * 1024 * 1024 },
  "export.not_allowed": { agency: "IV.2" },
  "db.copy_source_not_sqlite": {},
  "db.copy_target_not_postgres": {},
  "db.copy_target_not_empty": { tables: "Plan, Agency" },
  "db.copy_count_mismatch": { table: "DutyReport", expected: 5000, copied: 4999 },
};

describe("the catalogues", () => {
  for (const [locale, t] of [
    ["vi", vi],
    ["en", en],
  ] as const) {
    it(`${locale}: every status and role has a non-empty text`, () => {
      for (const s of DUTY_STATES) {
        expect(t.bot.statusLabel[s], s).toMatch(/\S/);
        expect(t.bot.statusIcon[s], s).toMatch(/\S/);
      }
      for (const r of ROLES) expect(t.bot.roleName[r], r).toMatch(/\S/);
    });
  }

  for (const [locale, t] of [
    ["vi", vi],
    ["en", en],
  ] as const) {
    it(`${locale}: every error code has its text, in the chat and on the command line`, () => {
      for (const code of Object.keys(EXAMPLES) as ErrorCode[]) {
        const error = new AppError(code, EXAMPLES[code]);
        for (const surface of ["chat", "cli"] as const) {
          const text = errorText(t, error, surface);
          expect(text, `${code} (${surface})`).toMatch(/\S/);
          expect(text, `${code} (${surface})`).not.toContain("undefined");
        }
      }
    });
  }

  it("name a commune by its committee when an error speaks of it", () => {
    const error = new AppError("submission.none", EXAMPLES["submission.none"]);
    expect(errorText(vi, error, "chat")).toBe("UBND Phường Bình Phước chưa nộp báo cáo nào để mở lại.");
  });

  it("share the icons, which need no translation", () => {
    expect(en.bot.statusIcon).toBe(vi.bot.statusIcon);
  });
});
