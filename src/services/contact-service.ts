import type { Clock } from "../lib/clock.ts";
import type { Db, Tx } from "../db/db.ts";
import { AppError } from "../model/errors.ts";
import type { DirectoryAgency, Identity, Person } from "../generated/prisma/client.ts";

export type PersonWithIdentities = Person & { identities: Identity[]; directoryAgency: DirectoryAgency | null };

/**
 * Everyone who uses the bot, or the contacts of one directory agency: people belong to the
 * directory, so what a plan import does never changes this list.
 */
export async function listContacts(db: Db, directoryId: number | null): Promise<PersonWithIdentities[]> {
  return db.person.findMany({
    where: directoryId !== null ? { directoryAgencyId: directoryId } : {},
    include: { identities: true, directoryAgency: true },
    // Coordinators (no agency) first on both databases: PostgreSQL would put NULLs last.
    orderBy: [{ directoryAgencyId: { sort: "asc", nulls: "first" } }, { id: "asc" }],
  });
}

/**
 * Staff turnover: the person now speaks for another agency. Their reports stay with the agency
 * they were about (reports name the agency, not only the person).
 */
export async function moveContact(db: Db, id: number, directoryId: number): Promise<Person> {
  const person = await db.person.findUnique({ where: { id } });
  if (!person || person.role !== "contact") throw new AppError("contact.unknown", { id });
  return db.person.update({ where: { id }, data: { directoryAgencyId: directoryId } });
}

/**
 * A staff change: the person can no longer act, but everything they reported stays. Their unused
 * link codes (/lienket) are revoked with them: a code handed on must not attach a new account.
 */
export async function deactivateContact(deps: { db: Db; clock: Clock }, id: number): Promise<Person> {
  const person = await deps.db.person.findUnique({ where: { id } });
  if (!person || person.role === "admin") throw new AppError("contact.unknown", { id });
  if (!person.active) return person;
  const now = deps.clock.now();
  return deps.db.$transaction(async (tx) => {
    await tx.invite.updateMany({
      where: { linkPersonId: id, usedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    return tx.person.update({ where: { id }, data: { active: false, deactivatedAt: now } });
  });
}

/** Who hears about submissions and difficulties: coordinators, and administrators who can act as one. */
export async function coordinators(db: Db | Tx): Promise<Person[]> {
  return db.person.findMany({ where: { role: { in: ["coordinator", "admin"] }, active: true } });
}

/** The contacts of an agency's place in a plan: the people of its directory agency. */
export async function agencyContacts(db: Db | Tx, agencyId: number): Promise<Person[]> {
  return db.person.findMany({
    where: { directoryAgency: { assignments: { some: { id: agencyId } } }, role: "contact", active: true },
  });
}

/** The built-in administrator of the local console: no invite, because whoever runs it owns the machine. */
export async function ensureLocalAdmin(
  deps: { db: Db; clock: Clock },
  identity: { platform: string; userId: string; chatId: string; displayName: string },
): Promise<Person> {
  const existing = await deps.db.identity.findUnique({
    where: { platform_userId: { platform: identity.platform, userId: identity.userId } },
    include: { person: true },
  });
  if (existing?.person.role === "admin" && existing.person.active) return existing.person;
  const now = deps.clock.now();
  return deps.db.$transaction(async (tx) => {
    const person = await tx.person.create({
      data: { displayName: identity.displayName, role: "admin", createdAt: now },
    });
    await tx.identity.upsert({
      where: { platform_userId: { platform: identity.platform, userId: identity.userId } },
      create: { ...identity, personId: person.id, createdAt: now },
      update: { personId: person.id, chatId: identity.chatId, displayName: identity.displayName },
    });
    return person;
  });
}

/** The language a person reads the bot in. */
export async function setLocale(db: Db, personId: number, locale: "vi" | "en"): Promise<void> {
  await db.person.update({ where: { id: personId }, data: { locale } });
}

/** A person by id, or null. */
export async function findPerson(db: Db, id: number): Promise<Person | null> {
  return db.person.findUnique({ where: { id } });
}

/** The plans a coordinator follows; null follows every plan. */
export async function setFollows(db: Db, personId: number, planIds: readonly number[] | null): Promise<void> {
  await db.person.update({
    where: { id: personId },
    data: { follows: planIds ? [...new Set(planIds)].join(",") : null },
  });
}
