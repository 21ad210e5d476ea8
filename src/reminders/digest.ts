import type { OutgoingMessage } from "../core/types.ts";
import { agencyLabel, at } from "../i18n/views.ts";
import type { Db } from "../db.ts";
import { daysLeft } from "../domain/deadline.ts";
import type { Plan } from "../generated/prisma/client.ts";
import type { Messages } from "../i18n/index.ts";
import type { PlanStatus } from "../services/status-service.ts";
import { MAX_WRONG_PER_HOUR_ALL } from "../services/invite-service.ts";
import { localDate } from "../time.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

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
): Promise<OutgoingMessage> {
  const previous = await db.outboxMessage.findFirst({
    where: { kind: "digest", planId: plan.id, dueAt: { lt: dueAt } },
    orderBy: { dueAt: "desc" },
  });
  // Difficulties already reached coordinators one by one, so the first digest shows only the last
  // day's; failed deliveries were told to nobody, so the first digest shows all of them.
  const difficultiesSince = previous?.dueAt ?? new Date(dueAt.getTime() - DAY_MS);
  const failuresSince = previous?.dueAt ?? new Date(0);
  const top = status.agencies.filter((a) => a.agency.parentId === null);
  const ordinary = top.filter((a) => a.memberCount === 0);
  const groups = top.filter((a) => a.memberCount > 0);
  const missing = status.agencies.filter((a) => a.memberCount === 0 && !a.submitted);

  const [difficulties, failures, wrongCodes, held] = await Promise.all([
    db.difficulty.findMany({
      where: { agency: { planId: plan.id }, createdAt: { gt: difficultiesSince, lte: now } },
      include: { agency: true, duty: true },
      orderBy: { createdAt: "asc" },
    }),
    db.outboxMessage.findMany({
      // A final failure's nextAttemptAt is the moment it failed, so each one is listed once.
      where: {
        status: { in: ["failed", "unreachable"] },
        kind: { not: "digest" },
        nextAttemptAt: { gt: failuresSince, lte: now },
      },
      include: { person: { include: { agency: true } } },
      orderBy: { id: "asc" },
    }),
    // Many wrong invite codes since the last digest look like someone guessing: coordinators should know.
    db.joinAttempt.findMany({
      where: { at: { gt: previous?.dueAt ?? new Date(dueAt.getTime() - DAY_MS), lte: now } },
      select: { platform: true, userId: true },
    }),
    // Not a failure and not since the previous digest: what waits right now for a platform to run.
    db.outboxMessage.findMany({
      where: { status: "pending", heldReason: { not: null }, kind: { not: "digest" } },
      include: { person: { include: { agency: true, identities: true } } },
      orderBy: { id: "asc" },
    }),
  ]);
  const heldByPerson = new Map<number, typeof held>();
  for (const row of held) heldByPerson.set(row.personId, [...(heldByPerson.get(row.personId) ?? []), row]);

  const d = t.bot.digest;
  const sections = [
    d.header(localDate(dueAt), plan.reportDeadline, t.bot.daysLeft(daysLeft(plan.reportDeadline, dueAt))),
    [
      d.agencies(ordinary.filter((a) => a.submitted).length, ordinary.length),
      ...groups.map((g) => d.group(g.agency.code, g.agency.name, g.membersSubmitted, g.memberCount)),
    ].join("\n"),
    missing.length
      ? [
          d.missingHeader(missing.length),
          ...missing.map((a) => t.bot.agencyItem(a.agency.code, agencyLabel(t, a.agency))),
        ].join("\n")
      : d.noneMissing,
    difficulties.length
      ? [
          d.difficultiesHeader(difficulties.length),
          ...difficulties.map((x) =>
            d.difficultyLine(x.id, `${x.agency.code} ${agencyLabel(t, x.agency)}`, x.duty?.code ?? null, x.text),
          ),
        ].join("\n")
      : d.noDifficulties,
    failures.length
      ? [
          d.failuresHeader(failures.length),
          ...failures.map((f) =>
            d.failureLine(
              f.person.displayName,
              f.person.agency ? `${f.person.agency.code} ${agencyLabel(t, f.person.agency)}` : null,
              f.point ?? f.kind,
              f.status === "unreachable",
              f.lastError,
              at(f.dueAt),
            ),
          ),
        ].join("\n")
      : null,
    wrongCodes.length >= MAX_WRONG_PER_HOUR_ALL
      ? d.wrongCodes(wrongCodes.length, new Set(wrongCodes.map((w) => `${w.platform}:${w.userId}`)).size)
      : null,
    heldByPerson.size
      ? [
          d.heldHeader(held.length),
          ...[...heldByPerson.values()].map((rows) => {
            const person = rows[0]!.person;
            return d.heldLine(
              person.displayName,
              person.agency ? `${person.agency.code} ${agencyLabel(t, person.agency)}` : null,
              rows.length,
              [...new Set(person.identities.map((i) => i.platform))].join(", "),
            );
          }),
        ].join("\n")
      : null,
  ];
  return { text: sections.filter((s): s is string => s !== null).join("\n\n") };
}
