import { describe, expect, it } from "vitest";
import { DUTY_STATUSES, type DutyStatus } from "../src/domain/status.ts";
import { en } from "../src/i18n/en.ts";
import type { Messages } from "../src/i18n/index.ts";
import { vi } from "../src/i18n/vi.ts";
import type { PlanErrorCode, PlanWarningReason } from "../src/plan/parse-plan.ts";
import type { Role } from "../src/services/invite-service.ts";

// The compile-time half of this file is the point: `tsc --noEmit` (npm run typecheck, CI) checks the
// lines below. vi.ts declares each map with `satisfies Record<Union, …>`, so a key removed there is an
// error in vi.ts; en.ts is typed as Messages (vi's shape), so a key removed there is an error in en.ts.
// The assertions here pin those shapes to the unions, and the `@ts-expect-error` lines show that a
// catalogue missing one text does not compile (were it accepted, the directive itself would fail).

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

export type CatalogueKeys = [
  Assert<Equal<keyof Messages["bot"]["statusLabel"], DutyStatus>>,
  Assert<Equal<keyof Messages["bot"]["statusIcon"], DutyStatus>>,
  Assert<Equal<keyof Messages["bot"]["roleName"], Role>>,
  Assert<Equal<keyof Messages["planErrors"], PlanErrorCode>>,
  Assert<Equal<keyof Messages["warningReasons"], PlanWarningReason>>,
];

// @ts-expect-error: an English catalogue without the text for "done" is not a catalogue
export const missingStatus: Messages["bot"]["statusLabel"] = {
  not_started: "Not started",
  in_progress: "In progress",
  blocked: "Blocked",
};

// @ts-expect-error: nor is one without the administrator's role name
export const missingRole: Messages["bot"]["roleName"] = { contact: "contact", coordinator: "coordinator" };

// @ts-expect-error: a report error's text takes the parse result, not loose extra arguments
export const looseParameters: Messages["bot"]["report"]["errors"]["duty.ambiguous"] = (e: string, r: string) => e + r;

const ROLES: Role[] = ["contact", "coordinator", "admin"];

describe("the catalogues", () => {
  for (const [locale, t] of [
    ["vi", vi],
    ["en", en],
  ] as const) {
    it(`${locale}: every status and role has a non-empty text`, () => {
      for (const s of DUTY_STATUSES) {
        expect(t.bot.statusLabel[s], s).toMatch(/\S/);
        expect(t.bot.statusIcon[s], s).toMatch(/\S/);
      }
      for (const r of ROLES) expect(t.bot.roleName[r], r).toMatch(/\S/);
    });
  }

  it("share the icons, which need no translation", () => {
    expect(en.bot.statusIcon).toBe(vi.bot.statusIcon);
  });
});
