import { missingCalendarYears } from "../services/plan-service.ts";
import { asShownAgency } from "../domain/directory-code.ts";
import type { Choice, OutgoingMessage } from "../model/messages.ts";
import { encodeChoice } from "../model/choices.ts";
import { groupButtons, pendingMembers } from "../i18n/group-buttons.ts";
import { agencyLabel, at } from "../i18n/views.ts";
import { failureOutcome, platformNames, pushDescription } from "../delivery/delivery-views.ts";
import type { Db } from "../db/db.ts";
import { daysLeft } from "../domain/deadline.ts";
import type { Agency, Plan } from "../generated/prisma/client.ts";
import type { Messages } from "../i18n/index.ts";
import type { PlanStatus } from "../services/status-service.ts";
import { MAX_WRONG_PER_HOUR_ALL, wrongCodeLimitReached } from "../services/invite-service.ts";
import { localDate } from "../lib/time.ts";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** A digest's parts: what a merged digest over several plans takes from each. */
export interface DigestParts {
  /** The plan's own sections, each a block of lines; the whole digest when it goes alone. */
  own: (string | null)[];
  /** This plan's new difficulties, one line each (the header left out). */
  difficulties: string[];
  /** Sections about every plan (failed deliveries, wrong codes, pushes waiting): once in a merged digest. */
  shared: (string | null)[];
  /** Agencies (a group as one) and the groups' members, and how many of each have submitted. */
  counts: { agencies: number; submitted: number; members: number; membersSubmitted: number };
}

/**
 * The coordinators' afternoon picture: who has submitted (communes rolled up per group), who has
 * not, what difficulties arrived and which deliveries failed since the previous digest.
 */
export async function buildDigest(
  db: Db,
  t: Messages,
  plan: Plan,
  status: PlanStatus,
  dueAt: Date,
  now: Date,
): Promise<OutgoingMessage & { digest: DigestParts }> {
  const rows = await readDigestRows(db, plan, dueAt, now);
  const d = t.bot.digest;
  const { wrongCodes } = rows;
  const own = [
    d.header(localDate(dueAt), plan.reportDeadline, t.bot.daysLeft(daysLeft(plan.reportDeadline, dueAt))),
    submittedSection(t, status),
    missingSection(t, status),
    difficultiesSection(t, rows.difficulties),
    resolvedSection(t, rows.resolved),
  ];
  const shared = [
    failuresSection(t, rows.failures),
    wrongCodesLine(t, wrongCodes, rows.wrongSince),
    heldSection(t, rows.held),
    calendarLine(t, await missingCalendarYears(db, plan)),
  ];
  const difficulties = rows.difficulties.map((x) =>
    d.difficultyLine(x.id, withAgency(t, x.agency)!, x.duty?.code ?? null, x.text),
  );
  const choices = digestButtons(t, plan, status);
  return {
    text: [...own, ...shared].filter((s): s is string => s !== null).join("\n\n"),
    ...(choices.length && { choices }),
    digest: { own, difficulties, shared, counts: submittedCounts(status) },
  };
}

/**
 * What the coordinator reading the digest does next, as /quahan offers it: the full list of who
 * has not submitted, and under each group its members' list and a nudge for those with a contact.
 */
function digestButtons(t: Messages, plan: Plan, status: PlanStatus): Choice[][] {
  const missing = status.agencies.filter((a) => a.agency.parentId === null && !a.submitted);
  if (!missing.length) return [];
  const groups = missing.filter((a) => a.memberCount > 0 && pendingMembers(status, a.agency.id).length > 0);
  return [
    [
      {
        label: t.bot.digest.missingButton(missing.length),
        value: encodeChoice({ kind: "overdue_page", plan: plan.code, page: 1 }),
      },
    ],
    ...groups.flatMap((g) => groupButtons(t, plan.code, status, g)),
  ];
}

/** Reminders placed without the year's days off may fall on a holiday: the coordinators can load it. */
function calendarLine(t: Messages, years: number[]): string | null {
  return years.length ? t.bot.digest.calendarMissing(years.join(", ")) : null;
}

async function readDigestRows(db: Db, plan: Plan, dueAt: Date, now: Date) {
  const previous = await db.outboxMessage.findFirst({
    where: { kind: "digest", planId: plan.id, dueAt: { lt: dueAt } },
    orderBy: { dueAt: "desc" },
  });
  // Difficulties already reached coordinators one by one, so the first digest shows only the last
  // day's; failed deliveries were told to nobody, so the first digest shows all of them.
  const difficultiesSince = previous?.dueAt ?? new Date(dueAt.getTime() - DAY_MS);
  const failuresSince = previous?.dueAt ?? new Date(0);
  const wrongSince = previous?.dueAt ?? new Date(dueAt.getTime() - DAY_MS);
  const [difficulties, resolved, failures, wrongCodes, held] = await Promise.all([
    // "New" means still open: one raised and resolved since the last digest is listed as resolved.
    db.difficulty.findMany({
      where: {
        agency: { planId: plan.id },
        createdAt: { gt: difficultiesSince, lte: now },
        OR: [{ resolvedAt: null }, { resolvedAt: { gt: now } }],
      },
      include: { agency: true, duty: true },
      orderBy: { createdAt: "asc" },
    }),
    db.difficulty.findMany({
      where: { agency: { planId: plan.id }, resolvedAt: { gt: difficultiesSince, lte: now } },
      include: { agency: true, duty: true },
      orderBy: { resolvedAt: "asc" },
    }),
    db.outboxMessage.findMany({
      // A final failure's nextAttemptAt is the moment it failed, so each one is listed once.
      where: {
        status: { in: ["failed", "unreachable"] },
        kind: { not: "digest" },
        nextAttemptAt: { gt: failuresSince, lte: now },
      },
      include: { person: { include: { directoryAgency: true } } },
      orderBy: { id: "asc" },
    }),
    // Wrong invite codes reaching the limit for all accounts look like someone guessing: coordinators
    // should know. The hour before the previous digest counts too: the limit may be reached across it.
    db.joinAttempt.findMany({
      where: { at: { gt: new Date(wrongSince.getTime() - HOUR_MS), lte: now } },
      select: { platform: true, userId: true, at: true },
    }),
    // Not a failure and not since the previous digest: what waits right now for a platform to run.
    db.outboxMessage.findMany({
      where: { status: "pending", heldReason: { not: null }, kind: { not: "digest" } },
      include: { person: { include: { directoryAgency: true, identities: true } } },
      orderBy: { id: "asc" },
    }),
  ]);
  return { difficulties, resolved, failures, wrongCodes, wrongSince, held };
}

type DigestRows = Awaited<ReturnType<typeof readDigestRows>>;

/** Only when the limit for all accounts was reached since the previous digest. */
function wrongCodesLine(t: Messages, rows: DigestRows["wrongCodes"], since: Date): string | null {
  const times = rows.map((w) => w.at);
  if (!wrongCodeLimitReached(times, since)) return null;
  const recent = rows.filter((w) => w.at > since);
  const accounts = new Set(recent.map((w) => `${w.platform}:${w.userId}`)).size;
  return t.bot.digest.wrongCodes(recent.length, accounts, MAX_WRONG_PER_HOUR_ALL);
}

const withAgency = (t: Messages, agency: Pick<Agency, "code" | "name" | "parentId"> | null) =>
  agency ? `${agency.code} ${agencyLabel(t, agency)}` : null;

function submittedCounts(status: PlanStatus): DigestParts["counts"] {
  const top = status.agencies.filter((a) => a.agency.parentId === null);
  return {
    agencies: top.length,
    submitted: top.filter((a) => a.submitted).length,
    members: top.reduce((n, a) => n + a.memberCount, 0),
    membersSubmitted: top.reduce((n, a) => n + a.membersSubmitted, 0),
  };
}

function submittedSection(t: Messages, status: PlanStatus): string {
  const top = status.agencies.filter((a) => a.agency.parentId === null);
  const ordinary = top.filter((a) => a.memberCount === 0);
  const groups = top.filter((a) => a.memberCount > 0);
  return [
    t.bot.digest.agencies(ordinary.filter((a) => a.submitted).length, ordinary.length),
    ...groups.map((g) => t.bot.digest.group(g.agency.code, g.agency.name, g.membersSubmitted, g.memberCount)),
  ].join("\n");
}

/**
 * The agencies that have not submitted, a group's members summed on its line (how many have not,
 * how many have nobody to remind): one bullet per commune made the digest several screens long.
 * `/quahan` lists the members on demand, and the exports in full.
 */
function missingSection(t: Messages, status: PlanStatus): string {
  const missing = status.agencies.filter((a) => a.agency.parentId === null && !a.submitted);
  if (!missing.length) return t.bot.digest.noneMissing;
  return [
    t.bot.digest.missingHeader(missing.length),
    ...missing.map((a) => {
      if (a.memberCount === 0) return t.bot.agencyItem(a.agency.code, agencyLabel(t, a.agency));
      const members = status.agencies.filter((m) => m.agency.parentId === a.agency.id && !m.submitted);
      const noContact = members.filter((m) => m.contacts === 0).length;
      return t.bot.coord.overdueGroupLine(a.agency.code, a.agency.name, members.length, a.memberCount, noContact);
    }),
  ].join("\n");
}

function difficultiesSection(t: Messages, difficulties: DigestRows["difficulties"]): string {
  const d = t.bot.digest;
  if (!difficulties.length) return d.noDifficulties;
  return [
    d.difficultiesHeader(difficulties.length),
    ...difficulties.map((x) => d.difficultyLine(x.id, withAgency(t, x.agency)!, x.duty?.code ?? null, x.text)),
  ].join("\n");
}

/** Resolved since the last digest, whenever raised: coordinators see the others' answers. */
function resolvedSection(t: Messages, resolved: DigestRows["resolved"]): string | null {
  const d = t.bot.digest;
  if (!resolved.length) return null;
  return [
    d.resolvedHeader(resolved.length),
    ...resolved.map((x) => d.difficultyLine(x.id, withAgency(t, x.agency)!, x.duty?.code ?? null, x.text)),
  ].join("\n");
}

/** In the catalogue's words only: the platforms' own texts stay in lastError, for operators. */
function failuresSection(t: Messages, failures: DigestRows["failures"]): string | null {
  const d = t.bot.digest;
  if (!failures.length) return null;
  return [
    d.failuresHeader(failures.length),
    ...failures.map((f) =>
      d.failureLine(
        f.person.displayName,
        withAgency(t, f.person.directoryAgency && asShownAgency(f.person.directoryAgency)),
        pushDescription(t, f.kind, f.point),
        at(f.dueAt),
        failureOutcome(t, f),
      ),
    ),
  ].join("\n");
}

function heldSection(t: Messages, held: DigestRows["held"]): string | null {
  const heldByPerson = new Map<number, DigestRows["held"]>();
  for (const row of held) heldByPerson.set(row.personId, [...(heldByPerson.get(row.personId) ?? []), row]);
  if (!heldByPerson.size) return null;
  return [
    t.bot.digest.heldHeader(held.length),
    ...[...heldByPerson.values()].map((rows) => {
      const person = rows[0]!.person;
      return t.bot.digest.heldLine(
        person.displayName,
        withAgency(t, person.directoryAgency && asShownAgency(person.directoryAgency)),
        rows.length,
        platformNames(
          t,
          person.identities.map((i) => i.platform),
        ),
      );
    }),
  ].join("\n");
}
