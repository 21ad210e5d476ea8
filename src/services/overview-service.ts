import { assignmentsOf, planFor } from "./directory-service.ts";
import type { Db } from "../db/db.ts";
import { daysLeft } from "../domain/deadline.ts";
import type { DutyStatus } from "../domain/status.ts";
import type { Agency } from "../generated/prisma/client.ts";
import type { LocalDate } from "../lib/time.ts";
import { findPersonByIdentity } from "./invite-service.ts";
import type { Role } from "../model/roles.ts";
import { mayReportFigures } from "./progress-service.ts";
import { loadPlanStatus } from "./status-service.ts";

// What a platform's forms show before anything is typed: a person's role and language, and for a
// contact the agency's duties as they stand. Read only; every rule about what may be reported stays
// with the core, which receives what the form produces as ordinary chat events.

export interface DutyOverview {
  code: string;
  text: string;
  status: DutyStatus;
  percent: number;
  updatedAt: Date | null;
}

export interface AgencyOverview {
  agency: Pick<Agency, "code" | "name" | "parentId">;
  submitted: boolean;
  duties: DutyOverview[];
  /** The indicators whose figures this contact may report (empty for most agencies). */
  indicators: { code: string; name: string }[];
}

export interface PersonOverview {
  personId: number;
  displayName: string;
  role: Role;
  active: boolean;
  locale: "vi" | "en";
  plan: { reportDeadline: LocalDate; daysLeft: number } | null;
  /** A contact's agency, when there is an active plan; null for coordinators. */
  agency: AgencyOverview | null;
  /** How many active plans the person's agency is in; `agency` is its place in the first. */
  plans: number;
}

/** The person behind a platform account and, for a contact, their agency's duties; null when unknown. */
export async function personOverview(
  db: Db,
  now: Date,
  account: { platform: string; userId: string },
): Promise<PersonOverview | null> {
  const identity = await findPersonByIdentity(db, account.platform, account.userId);
  if (!identity) return null;
  const { person } = identity;
  const places = person.directoryAgencyId === null ? [] : await assignmentsOf(db, person.directoryAgencyId);
  const { plan, agency } = await planFor(db, person, places);
  const base: PersonOverview = {
    personId: person.id,
    displayName: person.displayName,
    role: person.role as Role,
    active: person.active,
    locale: person.locale === "en" ? "en" : "vi",
    plan: plan ? { reportDeadline: plan.reportDeadline, daysLeft: daysLeft(plan.reportDeadline, now) } : null,
    agency: null,
    plans: places.length,
  };
  if (!plan || person.role !== "contact" || !agency) return base;
  const status = await loadPlanStatus(db, plan, agency);
  const state = status.agencies[0];
  if (!state) return base;
  const indicators = mayReportFigures(plan, person, agency)
    ? status.indicators.map(({ indicator }) => ({ code: indicator.code, name: indicator.name }))
    : [];
  return {
    ...base,
    agency: {
      agency: { code: agency.code, name: agency.name, parentId: agency.parentId },
      submitted: state.submitted,
      duties: state.duties.map((d) => ({
        code: d.code,
        text: d.text,
        status: d.status,
        percent: d.percent,
        updatedAt: d.updatedAt,
      })),
      indicators,
    },
  };
}
