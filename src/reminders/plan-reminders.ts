import type { OutgoingMessage } from "../model/messages.ts";
import type { DigestParts } from "./digest.ts";
import type { Db } from "../db/db.ts";
import { enqueue, recordSkipped, type OutboxItem } from "../delivery/outbox.ts";
import type { Person } from "../generated/prisma/client.ts";
import { messagesFor } from "../i18n/index.ts";
import { agencyLabel, reminderMessage } from "../i18n/views.ts";
import type { ReminderPolicy } from "../schedule/policy.ts";
import { reminderPoints, type ReminderPoint } from "../schedule/schedule.ts";
import type { AgencyState } from "../services/status-service.ts";
import { toIsoLocal } from "../lib/time.ts";
import { DAY_MS, HOUR_MS, type Planned, type Planning, type ReminderEntry, type SkipReason } from "./planning.ts";

/** What a pass reads besides the plan's status: who to remind, what is planned, who reported lately. */
export interface ReminderFacts {
  contactsByAgency: ReadonlyMap<number, readonly Person[]>;
  /** Outbox keys of reminders already planned, by this process or another. */
  planned: ReadonlySet<string>;
  /** Whether the agency reported in the policy's window before `dueAt`. */
  reportedBefore(agencyId: number, dueAt: Date): boolean;
}

/** A reminder to write to the outbox, with the line that reports it. */
export interface PlannedItem {
  item: OutboxItem;
  entry: ReminderEntry;
  /** The recipient's language, in which `item.message` is written. */
  locale: string;
  /** A digest's parts, for a digest merged with the person's other plans'. */
  digest?: DigestParts;
}

export interface ReminderDecision {
  /** To be sent. */
  pending: PlannedItem[];
  /** Too old to send: recorded as expired so no later tick tries them. */
  expired: PlannedItem[];
  skipped: ReminderEntry[];
}

/**
 * What a pass reads once for every plan rather than once per plan: the contacts (a commune's are
 * in every plan that has the communes), and the minutes a pass has already gone through.
 */
export interface PassFacts {
  contactsByDirectory: ReadonlyMap<number, readonly Person[]>;
  /**
   * Points too old to send whose minute has reminder rows in some active plan: a pass went through
   * that minute and decided every plan's reminders there, so nothing is left to record. Only a
   * minute no pass saw (a first start) is decided, to record its reminders as expired.
   */
  settledMinutes: ReadonlySet<number>;
}

const isStale = ({ policy, now }: Pick<Planning, "policy" | "now">, point: ReminderPoint) =>
  now.getTime() - point.dueAt.getTime() > policy.expireAfterHours * HOUR_MS;

/** The points of a plan whose time has come and that are still to decide. */
function pointsToDecide(planning: Planning, settled: ReadonlySet<number>): ReminderPoint[] {
  const { plan, policy, calendar, now } = planning;
  return reminderPoints(plan.reportDeadline, policy, calendar).filter(
    (p) => p.dueAt <= now && !(isStale(planning, p) && settled.has(p.dueAt.getTime())),
  );
}

export async function loadPassFacts(db: Db, plannings: readonly Planning[]): Promise<PassFacts> {
  const stale = new Set<number>();
  for (const planning of plannings)
    for (const p of pointsToDecide(planning, new Set())) if (isStale(planning, p)) stale.add(p.dueAt.getTime());
  const [contacts, minutes] = await Promise.all([
    db.person.findMany({ where: { role: "contact", active: true, directoryAgencyId: { not: null } } }),
    stale.size === 0
      ? []
      : db.outboxMessage.groupBy({
          by: ["dueAt"],
          where: {
            kind: "reminder",
            planId: { in: plannings.map((p) => p.plan.id) },
            dueAt: { in: [...stale].map((ms) => new Date(ms)) },
          },
        }),
  ]);
  const contactsByDirectory = new Map<number, Person[]>();
  for (const c of contacts) {
    const list = contactsByDirectory.get(c.directoryAgencyId!);
    if (list) list.push(c);
    else contactsByDirectory.set(c.directoryAgencyId!, [c]);
  }
  return { contactsByDirectory, settledMinutes: new Set(minutes.map((m) => m.dueAt.getTime())) };
}

/** The reminder points whose time has come, with each point's agencies and contacts decided. */
export async function planReminders(db: Db, planning: Planning): Promise<Planned> {
  return writeReminders(db, planning, await decidePlanReminders(db, planning));
}

/** What `planReminders` would write for one plan, decided and not written yet. */
export async function decidePlanReminders(db: Db, planning: Planning, pass?: PassFacts): Promise<ReminderDecision> {
  const facts = pass ?? (await loadPassFacts(db, [planning]));
  const points = pointsToDecide(planning, facts.settledMinutes);
  if (points.length === 0) return { pending: [], expired: [], skipped: [] };
  return decideReminders(planning, points, await loadReminderFacts(db, planning, points, facts));
}

export async function loadReminderFacts(
  db: Db,
  { plan, policy, now, status }: Planning,
  points: readonly ReminderPoint[],
  pass: PassFacts,
): Promise<ReminderFacts> {
  // People belong to directory agencies: each agency of this plan reminds its directory agency's contacts.
  const contactsByAgency = new Map(
    status.agencies.map((a) => [a.agency.id, pass.contactsByDirectory.get(a.agency.directoryId) ?? []]),
  );
  // Only the rows of the points decided now: a plan's whole history of reminders is tens of
  // thousands of keys per commune plan, read for nothing on every pass.
  const rows = await db.outboxMessage.findMany({
    where: { kind: "reminder", planId: plan.id, dueAt: { in: points.map((p) => p.dueAt) } },
    select: { key: true },
  });
  // Only the window before each live point counts: a report sent after the point (say, in answer
  // to it) must not undo the decision, and the latest report alone cannot tell.
  const live = points.filter((p) => !isStale({ policy, now }, p));
  const windowMs = policy.recentReportDays * DAY_MS;
  const recentReports = live.length
    ? await db.dutyReport.findMany({
        where: {
          agency: { planId: plan.id },
          createdAt: { gte: new Date(live[0]!.dueAt.getTime() - windowMs), lt: live.at(-1)!.dueAt },
        },
        select: { agencyId: true, createdAt: true },
      })
    : [];
  const reportTimes = new Map<number, number[]>();
  for (const r of recentReports)
    reportTimes.set(r.agencyId, [...(reportTimes.get(r.agencyId) ?? []), r.createdAt.getTime()]);
  return {
    contactsByAgency,
    planned: new Set(rows.map((r) => r.key)),
    reportedBefore: (agencyId, dueAt) =>
      (reportTimes.get(agencyId) ?? []).some((t) => t < dueAt.getTime() && t >= dueAt.getTime() - windowMs),
  };
}

/** Decides, writing nothing, who gets which reminder and why the others are skipped. */
export function decideReminders(
  planning: Planning,
  points: readonly ReminderPoint[],
  facts: ReminderFacts,
): ReminderDecision {
  const { status, policy } = planning;
  const decision: ReminderDecision = { pending: [], expired: [], skipped: [] };
  const units = status.agencies.filter((a) => a.memberCount === 0);
  const byId = new Map(status.agencies.map((a) => [a.agency.id, a]));
  const messageFor = reminderTexts(planning);
  for (const point of points) {
    const stale = isStale(planning, point);
    for (const unit of units) {
      const people = facts.contactsByAgency.get(unit.agency.id) ?? [];
      const entry = entryFor(planning.plan.code, unit, point);
      const reason = skipReason(unit, byId, point, people, facts, policy);
      if (reason) {
        // Reasons for old points would repeat on every tick forever; only the live window is reported.
        if (!stale) (people.length ? people : [null]).forEach((p) => decision.skipped.push(entry(p, reason)));
        continue;
      }
      const duties = openDuties(unit);
      for (const person of people) {
        const key = `reminder:${planning.plan.id}:${unit.agency.id}:${person.id}:${point.label}`;
        if (facts.planned.has(key)) continue;
        // Its text is built when read: a push merged with the person's other plans never sends its
        // own (at national scale 67,000 texts built for nothing). An expired point is only recorded.
        const item = new PlannedReminder(
          key,
          person.id,
          planning.plan.id,
          unit.agency.id,
          point,
          duties,
          stale
            ? () => ({ text: "" })
            : () => messageFor(unit, point, person.locale, facts.reportedBefore(unit.agency.id, point.dueAt)),
        );
        // A bot started on 24/11 must not greet everyone with the reminder of 13/11.
        if (stale) decision.expired.push({ item, entry: entry(person, "expired"), locale: person.locale });
        else decision.pending.push({ item, entry: entry(person), locale: person.locale });
      }
    }
  }
  return decision;
}

/** A reminder to write: its text is built on first read and kept. */
class PlannedReminder implements OutboxItem {
  readonly kind = "reminder" as const;
  readonly point: string;
  readonly dueAt: Date;
  #message: OutgoingMessage | undefined;

  constructor(
    readonly key: string,
    readonly personId: number,
    readonly planId: number,
    readonly agencyId: number,
    at: ReminderPoint,
    readonly duties: string[],
    private readonly build: () => OutgoingMessage,
  ) {
    this.point = at.label;
    this.dueAt = at.dueAt;
  }

  get message(): OutgoingMessage {
    return (this.#message ??= this.build());
  }
}

function skipReason(
  unit: AgencyState,
  byId: ReadonlyMap<number, AgencyState>,
  point: ReminderPoint,
  people: readonly Person[],
  facts: ReminderFacts,
  policy: ReminderPolicy,
): SkipReason | null {
  if (unit.submitted) return "submitted";
  if (isPaused(unit, byId, point.date)) return "paused";
  if (people.length === 0) return "no_contact";
  if (skipsForRecentReport(point, policy) && facts.reportedBefore(unit.agency.id, point.dueAt)) return "recent_report";
  return null;
}

/**
 * A progress report makes an early reminder unnecessary, not a late one: from T-(n−1) on, and
 * after the deadline, the reminder is about the formal submission, which no progress replaces.
 */
function skipsForRecentReport(point: ReminderPoint, policy: ReminderPolicy): boolean {
  return point.kind === "before" && point.daysBefore >= policy.recentReportSkipUntilDays;
}

function isPaused(state: AgencyState, byId: ReadonlyMap<number, AgencyState>, date: string): boolean {
  const own = state.agency.pausedUntil;
  const parent = state.agency.parentId !== null ? byId.get(state.agency.parentId)?.agency.pausedUntil : null;
  return [own, parent].some((until) => until !== null && until !== undefined && date <= until);
}

function openDuties(unit: AgencyState): string[] {
  return unit.duties.filter((d) => d.status !== "done").map((d) => d.code);
}

function entryFor(plan: string, unit: AgencyState, point: ReminderPoint) {
  // Built once per agency and point, shared by its contacts' entries (the national 08:00 has 70,000).
  let shared: Omit<ReminderEntry, "contact" | "contactName"> | undefined;
  return (person: Person | null, reason?: SkipReason): ReminderEntry => {
    shared ??= {
      plan,
      kind: "reminder",
      agency: unit.agency.code,
      agencyName: agencyLabel(messagesFor("vi"), unit.agency),
      point: point.label,
      dueAt: toIsoLocal(point.dueAt),
      duties: openDuties(unit),
    };
    return {
      ...shared,
      contact: person?.id ?? null,
      contactName: person?.displayName ?? null,
      ...(reason && { reason }),
    };
  };
}

/** The contacts of one agency get the same text in the same language: built once, not per person. */
function reminderTexts({ plan }: Planning) {
  const texts = new Map<string, OutgoingMessage>();
  return (unit: AgencyState, point: ReminderPoint, locale: string, recentReport: boolean): OutgoingMessage => {
    const cacheKey = `${unit.agency.id}:${point.label}:${locale}`;
    let message = texts.get(cacheKey);
    if (!message) {
      message = reminderMessage(messagesFor(locale), plan, unit, point.dueAt, recentReport);
      texts.set(cacheKey, message);
    }
    return message;
  };
}

export async function writeReminders(db: Db, { now, dryRun }: Planning, decision: ReminderDecision): Promise<Planned> {
  const { pending, expired } = decision;
  const skipped = [...decision.skipped];
  const due: ReminderEntry[] = [];
  const recorded = dryRun
    ? null
    : await recordSkipped(
        db,
        now,
        expired.map((e) => e.item),
        "expired",
      );
  for (const e of expired) if (!recorded || recorded.has(e.item.key)) skipped.push(e.entry);
  // Listed as due only when this call planned it: a second process planning the same instant adds nothing.
  const created = dryRun
    ? null
    : await enqueue(
        db,
        now,
        pending.map((p) => p.item),
      );
  for (const p of pending) if (!created || created.has(p.item.key)) due.push(p.entry);
  return { due, skipped };
}
