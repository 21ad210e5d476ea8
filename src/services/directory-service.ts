import { placeholder, type Db, type Tx } from "../db/db.ts";
import { queryRows } from "../db/driver-access.ts";
import { readModel, selectList } from "../db/row-map.ts";
import { AGENCY, PLAN } from "../db/tables.ts";
import { foldName } from "../domain/text.ts";
import { AppError } from "../model/errors.ts";
import type { Agency, DirectoryAgency, Plan } from "../generated/prisma/client.ts";

export type { DirectoryAgency };

/** A directory agency's place in one plan. */
export interface Assignment {
  plan: Plan;
  agency: Agency;
}

/** A section number (IV.2) or a member's code in a plan (IV.9-25195): never a directory code. */
export const SECTION_NUMBER = /^[IVXLC]+\.\d+/i;

/** Active plans, nearest deadline first (then the oldest): the order chat and views take them in. */
export async function activePlans(db: Db | Tx): Promise<Plan[]> {
  return db.plan.findMany({ where: { active: true }, orderBy: [{ reportDeadline: "asc" }, { id: "asc" }] });
}

/** The active plan a view without a plan code shows: the one whose deadline comes first. */
export async function defaultPlan(db: Db | Tx): Promise<Plan | null> {
  return (await activePlans(db))[0] ?? null;
}

/** The active plans a directory agency is in, with its place in each, nearest deadline first. */
export async function assignmentsOf(db: Db | Tx, directoryId: number): Promise<Assignment[]> {
  // By hand, as one statement: every chat message reads it (see sender-service.ts).
  const rows = await queryRows(
    db,
    `SELECT ${selectList(AGENCY, "a")}, ${selectList(PLAN, "p")} FROM "Agency" a JOIN "Plan" p ON p."id" = a."planId"
     WHERE a."directoryId" = ${placeholder(db, 1)} AND a."withdrawn" = FALSE AND p."active" = TRUE`,
    [directoryId],
  );
  return rows
    .map((row) => ({ agency: readModel(AGENCY, row), plan: readModel(PLAN, row, AGENCY.readers.length) }))
    .sort((a, b) => a.plan.reportDeadline.localeCompare(b.plan.reportDeadline) || a.plan.id - b.plan.id);
}

/** A directory agency by its code, typed in any case; null when none has it. */
export async function directoryByCode(db: Db | Tx, code: string): Promise<DirectoryAgency | null> {
  const wanted = code.trim().toUpperCase();
  if (!wanted) return null;
  return db.directoryAgency.findUnique({ where: { code: wanted } });
}

/** Directory agencies whose name or alias, folded, contains the query folded; exact ones first. */
export async function directoryByName(db: Db | Tx, query: string): Promise<DirectoryAgency[]> {
  const folded = foldName(query);
  if (!folded) return [];
  const [all, aliases] = await Promise.all([
    db.directoryAgency.findMany({ orderBy: { id: "asc" } }),
    db.agencyAlias.findMany(),
  ]);
  const byId = new Map(all.map((d) => [d.id, d]));
  const names = [
    ...all.map((d) => ({ id: d.id, folded: foldName(d.name) })),
    ...aliases.map((a) => ({ id: a.directoryAgencyId, folded: a.folded })),
  ];
  const exact = new Set(names.filter((n) => n.folded === folded).map((n) => n.id));
  if (exact.size > 0) return [...exact].map((id) => byId.get(id)!);
  const partial = new Set(names.filter((n) => n.folded.includes(folded)).map((n) => n.id));
  return [...partial].map((id) => byId.get(id)!);
}

/** Keeps another name of an agency for matching; a name another agency already has is refused. */
export async function addAlias(db: Db, code: string, name: string): Promise<DirectoryAgency> {
  const agency = await directoryByCode(db, code);
  if (!agency) throw new AppError("agency.unknown", { query: code });
  const folded = foldName(name);
  if (!folded) throw new AppError("agency.alias_taken", { name, agency: agency.code });
  const taken = await db.agencyAlias.findUnique({ where: { folded }, include: { directoryAgency: true } });
  if (taken && taken.directoryAgencyId !== agency.id)
    throw new AppError("agency.alias_taken", { name, agency: taken.directoryAgency.code });
  const named = (await directoryByName(db, name)).filter((d) => foldName(d.name) === folded);
  if (named.some((d) => d.id !== agency.id)) throw new AppError("agency.alias_taken", { name, agency: named[0]!.code });
  if (!taken) await db.agencyAlias.create({ data: { directoryAgencyId: agency.id, name: name.trim(), folded } });
  return agency;
}

/**
 * The plan chat is about for a person, and their agency's place in it: for a contact, the first
 * deadline among the active plans their agency is in; for anyone else, the first among all.
 */
export async function planFor(
  db: Db | Tx,
  person: { role: string; directoryAgencyId: number | null; follows?: string | null } | null,
  /** The agency's assignments, when already read. */
  places?: readonly Assignment[],
): Promise<{ plan: Plan | null; agency: Agency | null }> {
  if (person?.role === "contact" && person.directoryAgencyId !== null) {
    const mine = (places ?? (await assignmentsOf(db, person.directoryAgencyId)))[0];
    if (mine) return mine;
  }
  const active = await activePlans(db);
  const followed = person ? active.filter((p) => follows(person, p.id)) : active;
  return { plan: followed[0] ?? active[0] ?? null, agency: null };
}

/** Whether a coordinator follows the plan in views and the digest (everyone follows all by default). */
export function follows(person: { follows?: string | null }, planId: number): boolean {
  return !person.follows || person.follows.split(",").includes(String(planId));
}

/** The directory as `agencies list` shows it: each agency with its places in plans and its contacts. */
export async function listDirectory(db: Db) {
  const rows = await db.directoryAgency.findMany({
    orderBy: { id: "asc" },
    include: {
      assignments: { where: { withdrawn: false }, include: { plan: true }, orderBy: { planId: "asc" } },
      aliases: { orderBy: { id: "asc" } },
      _count: { select: { people: { where: { role: "contact", active: true } } } },
    },
  });
  return rows.map((d) => ({
    code: d.code,
    name: d.name,
    aliases: d.aliases.map((a) => a.name),
    plans: d.assignments.map((a) => ({ plan: a.plan.code, section: a.code, active: a.plan.active })),
    contacts: d._count.people,
  }));
}
