import { createHash, randomInt } from "node:crypto";
import type { Clock } from "../lib/clock.ts";
import { placeholder, type Db } from "../db/db.ts";
import { driverOf } from "../db/driver-access.ts";
import { instantArg } from "../db/row-map.ts";
import { findSender, type SenderIdentity } from "./sender-service.ts";
import { AppError } from "../model/errors.ts";
import type { PlatformIdentity } from "../model/bot-core.ts";
import type { Role } from "../model/roles.ts";
import type { Agency, Identity, Person } from "../generated/prisma/client.ts";

// No 0/O, 1/I/L: codes are read aloud and retyped on phones.
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LENGTH = 10; // 31^10 ≈ 2^49.5
/** Wrong codes per hour from one account. */
const MAX_WRONG_PER_HOUR = 5;
/**
 * Wrong codes per hour from all accounts together, first guesses included, so making many
 * accounts does not buy many guesses. Only wrong codes count and only they are refused: a right
 * code always joins (see redeemInvite).
 */
export const MAX_WRONG_PER_HOUR_ALL = 30;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export function generateInviteCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Case, spaces and dashes do not matter when a code is typed back. */
export function normalizeInviteCode(code: string): string {
  return code.toUpperCase().replace(/[\s\-_.]/g, "");
}

export function hashInviteCode(code: string): string {
  return createHash("sha256").update(normalizeInviteCode(code)).digest("hex");
}

export interface CreatedInvite {
  code: string;
  agency: Agency | null;
  role: Role;
  expiresAt: Date;
}

export interface InviteDeps {
  db: Db;
  clock: Clock;
  inviteTtlDays: number;
  /** Language of people who join; they can change it with /ngonngu. */
  defaultLocale?: "vi" | "en";
}

export async function createInvite(
  deps: InviteDeps,
  input: {
    /** The agency's place in a plan, or the agency itself: the invite is to its directory agency. */
    agency: Agency | null;
    role: Role;
    createdById?: number | null;
    linkPersonId?: number | null;
  },
): Promise<CreatedInvite> {
  if (input.role === "contact" && !input.agency) throw new AppError("invite.bad_role");
  if (input.role !== "contact" && input.agency) throw new AppError("invite.bad_role");
  if (input.agency && (await deps.db.agency.count({ where: { parentId: input.agency.id } })) > 0) {
    throw new AppError("agency.is_group", { agency: input.agency.code });
  }
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.inviteTtlDays * DAY_MS);
  const code = generateInviteCode();
  await deps.db.invite.create({
    data: {
      codeHash: hashInviteCode(code),
      directoryAgencyId: input.agency?.directoryId ?? null,
      role: input.role,
      linkPersonId: input.linkPersonId ?? null,
      createdAt: now,
      createdById: input.createdById ?? null,
      expiresAt,
    },
  });
  return { code, agency: input.agency, role: input.role, expiresAt };
}

/**
 * One invite per member of a group (IV.9): the group itself has no contacts. All or nothing: the
 * invites are committed only after `handOver` (writing the sheet, printing the codes) succeeded,
 * so a failure or a kill never leaves invites that nobody received. A kill after the hand-over
 * and before the commit leaves printed codes that do not work; running the command again makes
 * a fresh set.
 */
export async function createGroupInvites(
  deps: InviteDeps,
  input: { group: Agency; createdById?: number | null },
  handOver: (invites: CreatedInvite[]) => Promise<void> = async () => undefined,
): Promise<CreatedInvite[]> {
  const members = await deps.db.agency.findMany({
    where: { parentId: input.group.id, withdrawn: false },
    orderBy: [{ sortOrder: "asc" }, { code: "asc" }],
  });
  if (members.length === 0) throw new AppError("agency.not_group", { agency: input.group.code });
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.inviteTtlDays * DAY_MS);
  const invites: CreatedInvite[] = members.map((agency) => ({
    code: generateInviteCode(),
    agency,
    role: "contact",
    expiresAt,
  }));
  await deps.db.$transaction(
    async (tx) => {
      await tx.invite.createMany({
        data: invites.map((invite) => ({
          codeHash: hashInviteCode(invite.code),
          directoryAgencyId: invite.agency!.directoryId,
          role: "contact",
          createdAt: now,
          createdById: input.createdById ?? null,
          expiresAt,
        })),
      });
      await handOver(invites);
    },
    // Writing a national sheet (3,321 communes) takes a while; the default 5 s would abort it.
    { timeout: 120_000, maxWait: 30_000 },
  );
  return invites;
}

export async function revokeInvite(deps: InviteDeps, code: string): Promise<void> {
  const invite = await deps.db.invite.findUnique({ where: { codeHash: hashInviteCode(code) } });
  if (!invite) throw new AppError("invite.revoke_unknown");
  if (invite.usedAt) throw new AppError("invite.revoke_used");
  if (!invite.revokedAt) {
    await deps.db.invite.update({ where: { id: invite.id }, data: { revokedAt: deps.clock.now() } });
  }
}

/** The account with its person, their directory agency and their accounts (which was seen last decides where pushes go). */
export async function findPersonByIdentity(db: Db, platform: string, userId: string): Promise<SenderIdentity | null> {
  return (await findSender(db, platform, userId))?.identity ?? null;
}

/** What a message tells of the account it came from: where it is, what it is called, that it is seen. */
export async function markSeen(
  db: Db,
  identityId: number,
  seen: Pick<Identity, "chatId" | "displayName" | "lastSeenAt" | "unreachableAt" | "unreachableReason">,
): Promise<void> {
  const query = driverOf(db);
  if (!query) {
    await db.identity.update({ where: { id: identityId }, data: seen });
    return;
  }
  // By hand, as the sender is read (sender-service.ts): a message from someone not seen for a while
  // makes this statement, and through Prisma its compiling cost more than the database's writing.
  const p = (n: number) => placeholder(db, n);
  await query(
    `UPDATE "Identity" SET "chatId" = ${p(1)}, "displayName" = ${p(2)}, "lastSeenAt" = ${p(3)},
       "unreachableAt" = ${p(4)}, "unreachableReason" = ${p(5)} WHERE "id" = ${p(6)}`,
    [
      seen.chatId,
      seen.displayName,
      seen.lastSeenAt && instantArg(seen.lastSeenAt),
      seen.unreachableAt && instantArg(seen.unreachableAt),
      seen.unreachableReason,
      identityId,
    ],
  );
}

/** How many platform accounts a person has. */
export async function identityCount(db: Db, personId: number): Promise<number> {
  return db.identity.count({ where: { personId } });
}

/**
 * Joins a platform identity with a code. A right code always joins, whatever the counts: looking
 * it up first is safe because there are 31^10 ≈ 2^49.5 codes, so a guess hits a live invite about
 * once in 10^11 tries even with thousands of invites out. Wrong codes are what the limits count,
 * per account and for all accounts together; past either limit a wrong code is answered with the
 * limit and no longer recorded, so guessing costs the database nothing.
 */
export async function redeemInvite(deps: InviteDeps, identity: PlatformIdentity, code: string): Promise<Person> {
  const { db, clock } = deps;
  const now = clock.now();
  const existing = await findPersonByIdentity(db, identity.platform, identity.userId);
  if (existing?.person.active) throw new AppError("invite.already_joined");

  const invite = await db.invite.findUnique({ where: { codeHash: hashInviteCode(code) } });
  // A link code is the person's own: once they are deactivated it must not attach anyone to them.
  if (invite?.linkPersonId != null && !(await isActive(db, invite.linkPersonId)))
    throw new AppError("invite.link_inactive");
  const problem: AppError | null = !invite
    ? new AppError("invite.unknown")
    : invite.revokedAt
      ? new AppError("invite.revoked")
      : invite.usedAt
        ? new AppError("invite.used")
        : invite.expiresAt <= now
          ? new AppError("invite.expired")
          : null;
  if (problem || !invite) throw await wrongCode(db, identity, now, problem ?? new AppError("invite.unknown"));

  return db.$transaction(async (tx) => {
    // Guarded update: of two people racing with one code, only one gets it.
    const claimed = await tx.invite.updateMany({ where: { id: invite.id, usedAt: null }, data: { usedAt: now } });
    if (claimed.count === 0) throw new AppError("invite.used");
    const linked =
      invite.linkPersonId !== null ? await tx.person.findUnique({ where: { id: invite.linkPersonId } }) : null;
    // Deactivated between the check above and this transaction: roll the claim back.
    if (invite.linkPersonId !== null && !linked?.active) throw new AppError("invite.link_inactive");
    const person =
      linked ??
      (await tx.person.create({
        data: {
          displayName: identity.displayName,
          role: invite.role,
          directoryAgencyId: invite.directoryAgencyId,
          locale: deps.defaultLocale ?? "vi",
          createdAt: now,
        },
      }));
    const identityData = {
      personId: person.id,
      chatId: identity.chatId,
      displayName: identity.displayName,
      unreachableAt: null,
      unreachableReason: null,
    };
    await tx.identity.upsert({
      where: { platform_userId: { platform: identity.platform, userId: identity.userId } },
      create: { platform: identity.platform, userId: identity.userId, createdAt: now, ...identityData },
      update: identityData,
    });
    await tx.invite.update({ where: { id: invite.id }, data: { usedByPersonId: person.id } });
    return person;
  });
}

/**
 * Whether the limit for all accounts was reached at some moment after `after`: some
 * MAX_WRONG_PER_HOUR_ALL wrong codes, recorded in order, within one hour, the last after `after`.
 * Past that moment no more are recorded, so the rows alone tell.
 */
export function wrongCodeLimitReached(times: readonly Date[], after: Date): boolean {
  const sorted = times.map((t) => t.getTime()).sort((a, b) => a - b);
  for (let last = MAX_WRONG_PER_HOUR_ALL - 1; last < sorted.length; last++) {
    const reachedAt = sorted[last]!;
    if (reachedAt > after.getTime() && reachedAt - sorted[last - MAX_WRONG_PER_HOUR_ALL + 1]! < HOUR_MS) return true;
  }
  return false;
}

async function isActive(db: Db, personId: number): Promise<boolean> {
  return (await db.person.findUnique({ where: { id: personId }, select: { active: true } }))?.active === true;
}

/**
 * The answer to a code that does not join. Under both limits it is recorded and named (unknown,
 * expired...); past either, the limit is the answer and nothing is stored.
 */
async function wrongCode(db: Db, identity: PlatformIdentity, now: Date, problem: AppError): Promise<AppError> {
  const since = new Date(now.getTime() - HOUR_MS);
  const own = await db.joinAttempt.count({
    where: { platform: identity.platform, userId: identity.userId, at: { gt: since } },
  });
  if (own >= MAX_WRONG_PER_HOUR) return new AppError("invite.rate_limited");
  if ((await db.joinAttempt.count({ where: { at: { gt: since } } })) >= MAX_WRONG_PER_HOUR_ALL)
    return new AppError("invite.too_many_wrong");
  await db.joinAttempt.create({ data: { platform: identity.platform, userId: identity.userId, at: now } });
  return problem;
}
