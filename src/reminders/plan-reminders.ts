import type { OutgoingMessage } from "../model/messages.ts";
import { pushTo } from "../lib/multi-map.ts";
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
  /** The same line as `entry`, with a reason to skip it. */
  entryAs?(reason: SkipReason): ReminderEntry;
  /** What pushes with the same line in a merged push share (their agency at one point). */
  shared?: object;
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
 * in every plan that has the communes), the points to decide, the reminders already planned there
 * and the recent reports. (Read per plan, the last two were 120 queries at national scale.)
 */
export interface PassFacts {
  contactsByDirectory: ReadonlyMap<number, readonly Person[]>;
  /** Each plan's points to decide now, by plan id. */
  points: ReadonlyMap<number, readonly ReminderPoint[]>;
  /** Outbox keys of reminders already planned at those points, by this process or another. */
  planned: ReadonlySet<string>;
  /** When each agency reported, within the widest window before the live points of any plan. */
  reportTimes: ReadonlyMap<number, readonly number[]>;
}

const isStale = ({ policy, now }: Pick<Planning, "policy" | "now">, point: ReminderPoint) =>
  now.getTime() - point.dueAt.getTime() > policy.expireAfterHours * HOUR_MS;

const windowOf = (planning: Planning) => planning.policy.recentReportDays * DAY_MS;

/**
 * The points of each plan whose time has come and that are still to decide. A point too old to
 * send is left out when its minute has reminder rows in some active plan: a pass went through that
 * minute and decided every plan's reminders there, so nothing is left to record. Only a minute no
 * pass saw (a first start) is decided, to record its reminders as expired.
 */
async function pointsToDecide(db: Db, plannings: readonly Planning[]): Promise<Map<number, ReminderPoint[]>> {
  const due = new Map(
    plannings.map(({ plan, policy, calendar, now }) => [
      plan.id,
      reminderPoints(plan.reportDeadline, policy, calendar).filter((p) => p.dueAt <= now),
    ]),
  );
  const stale = new Set<number>();
  for (const planning of plannings)
    for (const p of due.get(planning.plan.id)!) if (isStale(planning, p)) stale.add(p.dueAt.getTime());
  if (stale.size === 0) return due;
  // One row is enough to tell, looked up through the index by plan, kind and time: grouping the
  // rows of every stale minute read all of them (260,000 at national scale, a third of a second).
  const ids = plannings.map((p) => p.plan.id);
  const seen = await Promise.all(
    [...stale].map(async (ms) => {
      const where = { kind: "reminder", planId: { in: ids }, dueAt: new Date(ms) };
      return (await db.outboxMessage.findFirst({ where, select: { id: true } })) ? [ms] : [];
    }),
  );
  const settled = new Set(seen.flat());
  for (const planning of plannings) {
    const points = due.get(planning.plan.id)!.filter((p) => !(isStale(planning, p) && settled.has(p.dueAt.getTime())));
    due.set(planning.plan.id, points);
  }
  return due;
}

export async function loadPassFacts(db: Db, plannings: readonly Planning[]): Promise<PassFacts> {
  const [contacts, points] = await Promise.all([
    db.person.findMany({ where: { role: "contact", active: true, directoryAgencyId: { not: null } } }),
    pointsToDecide(db, plannings),
  ]);
  const contactsByDirectory = new Map<number, Person[]>();
  for (const c of contacts) pushTo(contactsByDirectory, c.directoryAgencyId!, c);
  const withPoints = plannings.filter((p) => points.get(p.plan.id)!.length > 0);
  const times = [...new Set(withPoints.flatMap((p) => points.get(p.plan.id)!.map((x) => x.dueAt.getTime())))];
  // Only the window before each live point counts: a report sent after the point (say, in answer
  // to it) must not undo the decision, and the latest report alone cannot tell.
  const windows = withPoints.flatMap((planning) => {
    const live = points.get(planning.plan.id)!.filter((p) => !isStale(planning, p));
    return live.length
      ? [{ from: live[0]!.dueAt.getTime() - windowOf(planning), to: live.at(-1)!.dueAt.getTime() }]
      : [];
  });
  const ids = withPoints.map((p) => p.plan.id);
  const [rows, reports] = await Promise.all([
    // Only the rows of the points decided now: a plan's whole history of reminders is tens of
    // thousands of keys per commune plan, read for nothing on every pass.
    ids.length
      ? db.outboxMessage.findMany({
          where: { kind: "reminder", planId: { in: ids }, dueAt: { in: times.map((t) => new Date(t)) } },
          select: { key: true },
        })
      : [],
    windows.length
      ? db.dutyReport.findMany({
          where: {
            agency: { planId: { in: ids } },
            createdAt: {
              gte: new Date(Math.min(...windows.map((w) => w.from))),
              lt: new Date(Math.max(...windows.map((w) => w.to))),
            },
          },
          select: { agencyId: true, createdAt: true },
        })
      : [],
  ]);
  const reportTimes = new Map<number, number[]>();
  for (const r of reports) pushTo(reportTimes, r.agencyId, r.createdAt.getTime());
  return { contactsByDirectory, points, planned: new Set(rows.map((r) => r.key)), reportTimes };
}

/** The reminder points whose time has come, with each point's agencies and contacts decided. */
export async function planReminders(db: Db, planning: Planning): Promise<Planned> {
  return writeReminders(db, planning, await decidePlanReminders(db, planning));
}

/** What `planReminders` would write for one plan, decided and not written yet. */
export async function decidePlanReminders(db: Db, planning: Planning, pass?: PassFacts): Promise<ReminderDecision> {
  const facts = pass ?? (await loadPassFacts(db, [planning]));
  const points = facts.points.get(planning.plan.id) ?? [];
  if (points.length === 0) return { pending: [], expired: [], skipped: [] };
  return decideReminders(planning, points, reminderFacts(planning, facts));
}

/** One plan's share of what the pass read. */
function reminderFacts(planning: Planning, pass: PassFacts): ReminderFacts {
  // People belong to directory agencies: each agency of this plan reminds its directory agency's contacts.
  const contactsByAgency = new Map(
    planning.status.agencies.map((a) => [a.agency.id, pass.contactsByDirectory.get(a.agency.directoryId) ?? []]),
  );
  const windowMs = windowOf(planning);
  return {
    contactsByAgency,
    planned: pass.planned,
    reportedBefore: (agencyId, dueAt) =>
      (pass.reportTimes.get(agencyId) ?? []).some((t) => t < dueAt.getTime() && t >= dueAt.getTime() - windowMs),
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
  const duties = new Map(units.map((u) => [u, openDuties(u)]));
  for (const point of points) {
    const at = { point, stale: isStale(planning, point), dueAt: toIsoLocal(point.dueAt) };
    for (const unit of units) {
      const people = facts.contactsByAgency.get(unit.agency.id) ?? [];
      const reminder = new AgencyReminder(planning, unit, at, duties.get(unit)!, facts);
      const reason = skipReason(unit, byId, point, people, facts, policy);
      if (reason) {
        // Reasons for old points would repeat on every tick forever; only the live window is reported.
        if (!at.stale)
          (people.length ? people : [null]).forEach((p) => decision.skipped.push(reminder.entry(p, reason)));
        continue;
      }
      for (const person of people) {
        const item = new PlannedReminder(reminder, person);
        if (facts.planned.size > 0 && facts.planned.has(item.key)) continue;
        // A bot started on 24/11 must not greet everyone with the reminder of 13/11.
        (at.stale ? decision.expired : decision.pending).push(item);
      }
    }
  }
  return decision;
}

/**
 * What one agency's contacts share at one point: its open duties, its line in the report and its
 * text in each language, made once for all of them (the national 08:00 has 67,000 contacts' pushes
 * from 34,000 agencies, most merged with the person's other plans and never sent on their own).
 */
class AgencyReminder {
  readonly planId: number;
  readonly agencyId: number;
  readonly point: ReminderPoint;
  /** Too old to send: recorded with no text. */
  readonly stale: boolean;
  #entry: Omit<ReminderEntry, "contact" | "contactName"> | undefined;
  readonly #texts = new Map<string, OutgoingMessage>();
  #recentReport: boolean | undefined;

  constructor(
    readonly planning: Planning,
    readonly unit: AgencyState,
    /** The point, whether it is too old to send, and its time as the entries write it (once per point). */
    private readonly at: { point: ReminderPoint; stale: boolean; dueAt: string },
    readonly duties: string[],
    private readonly facts: Pick<ReminderFacts, "reportedBefore">,
  ) {
    this.planId = planning.plan.id;
    this.agencyId = unit.agency.id;
    this.point = at.point;
    this.stale = at.stale;
  }

  /** The line a pass reports for one contact (or for an agency without one). */
  entry(person: Person | null, reason?: SkipReason): ReminderEntry {
    const shared = (this.#entry ??= {
      plan: this.planning.plan.code,
      kind: "reminder",
      agency: this.unit.agency.code,
      agencyName: agencyLabel(messagesFor("vi"), this.unit.agency),
      point: this.point.label,
      dueAt: this.at.dueAt,
      duties: this.duties,
    });
    const entry: ReminderEntry = {
      plan: shared.plan,
      kind: shared.kind,
      agency: shared.agency,
      agencyName: shared.agencyName,
      point: shared.point,
      dueAt: shared.dueAt,
      duties: shared.duties,
      contact: person?.id ?? null,
      contactName: person?.displayName ?? null,
    };
    if (reason) entry.reason = reason;
    return entry;
  }

  message(locale: string): OutgoingMessage {
    if (this.stale) return { text: "" };
    let message = this.#texts.get(locale);
    if (!message) {
      this.#recentReport ??= this.facts.reportedBefore(this.agencyId, this.point.dueAt);
      message = reminderMessage(
        messagesFor(locale),
        this.planning.plan,
        this.unit,
        this.point.dueAt,
        this.#recentReport,
      );
      this.#texts.set(locale, message);
    }
    return message;
  }
}

/**
 * One contact's reminder: an outbox item and the line that reports it, both made when first read.
 * Its key, too: a push merged with the person's other plans is never written under its own.
 */
class PlannedReminder implements OutboxItem, PlannedItem {
  readonly kind = "reminder" as const;
  #key: string | undefined;

  constructor(
    readonly reminder: AgencyReminder,
    readonly person: Person,
  ) {}

  get key(): string {
    const { planId, agencyId, point } = this.reminder;
    return (this.#key ??= `reminder:${planId}:${agencyId}:${this.person.id}:${point.label}`);
  }
  get personId(): number {
    return this.person.id;
  }
  get planId(): number {
    return this.reminder.planId;
  }
  get agencyId(): number {
    return this.reminder.agencyId;
  }
  get point(): string {
    return this.reminder.point.label;
  }
  get dueAt(): Date {
    return this.reminder.point.dueAt;
  }
  get duties(): string[] {
    return this.reminder.duties;
  }
  get message(): OutgoingMessage {
    return this.reminder.message(this.person.locale);
  }
  get item(): OutboxItem {
    return this;
  }
  get locale(): string {
    return this.person.locale;
  }
  get entry(): ReminderEntry {
    return this.reminder.entry(this.person, this.reminder.stale ? "expired" : undefined);
  }
  /** What one plan's line says of this push when another push carries it. */
  entryAs(reason: SkipReason): ReminderEntry {
    return this.reminder.entry(this.person, reason);
  }
  /** What the contact's agency owes at this point, the same for each of its contacts. */
  get shared(): object {
    return this.reminder;
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
