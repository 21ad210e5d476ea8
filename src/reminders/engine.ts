import type { Clock } from "../clock.ts";
import type { OutgoingMessage } from "../core/types.ts";
import { agencyLabel, reminderMessage } from "../i18n/views.ts";
import type { Db } from "../db.ts";
import type { OutboxMessage, Person, Plan } from "../generated/prisma/client.ts";
import { messagesFor } from "../i18n/index.ts";
import type { Logger } from "../logger.ts";
import { coordinators } from "../services/contact-service.ts";
import { loadPlanStatus, type AgencyState, type PlanStatus } from "../services/status-service.ts";
import { localDate, localDateTime, toIsoLocal, type LocalDate } from "../time.ts";
import type { WorkCalendar } from "../schedule/calendar.ts";
import { loadWorkCalendar } from "../schedule/calendar-store.ts";
import { buildDigest } from "./digest.ts";
import { enqueue, recordSkipped, type OutboxItem } from "../delivery/outbox.ts";
import type { OutboxSender, SendResult, Serialize } from "../delivery/sender.ts";
import { policyOf, type ReminderPolicy } from "../schedule/policy.ts";
import { digestDates, isQuietTime, reminderPoints } from "../schedule/schedule.ts";
import type { DigestChannel } from "../delivery/types.ts";

export type SkipReason = "submitted" | "paused" | "no_contact" | "recent_report" | "expired" | "all_submitted";

export interface ReminderEntry {
  kind: string;
  agency: string | null;
  agencyName: string | null;
  contact: number | null;
  contactName: string | null;
  point: string;
  dueAt: string;
  duties: string[];
  reason?: SkipReason;
}

export interface TickResult {
  due: ReminderEntry[];
  sent: ReminderEntry[];
  skipped: ReminderEntry[];
}

export interface ReminderEngine {
  /** What is due at `now`; unless dryRun, writes it to the outbox (idempotently). */
  plan(now: Date, options?: { dryRun?: boolean }): Promise<Pick<TickResult, "due" | "skipped">>;
  /** Sends due outbox rows: reminders, digests, nudges and the core's notifications alike. */
  send(now: Date): Promise<SendResult>;
  /** One cron tick: plan, then send. */
  tick(now?: Date): Promise<TickResult>;
}

/** Everything one planning pass looks at, read once. */
interface Planning {
  plan: Plan;
  status: PlanStatus;
  policy: ReminderPolicy;
  calendar: WorkCalendar;
  now: Date;
  dryRun: boolean;
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Digest dates whose time has come and not passed by more than the policy's expiry. */
function liveDigestDates(plan: Plan, policy: ReminderPolicy, calendar: WorkCalendar, now: Date, maxAgeHours: number) {
  return digestDates(plan.reportDeadline, policy, calendar, localDate(now))
    .map((date) => ({ date, dueAt: localDateTime(date, policy.digestTime) }))
    .filter((d) => d.dueAt <= now && now.getTime() - d.dueAt.getTime() <= maxAgeHours * HOUR_MS);
}

/** After the deadline digests go on only while someone is still missing. */
function digestNotNeeded(plan: Plan, status: PlanStatus, date: LocalDate): boolean {
  return date >= plan.reportDeadline && status.agencies.filter((a) => a.memberCount === 0).every((a) => a.submitted);
}

/**
 * A channel's copy is claimed once per date in the adapters' store, whose claims are kept for a day:
 * later than this the claim could be gone, so the copy is not tried any more.
 */
const DIGEST_COPY_MAX_AGE_HOURS = 20;

function isPaused(state: AgencyState, byId: Map<number, AgencyState>, date: string): boolean {
  const own = state.agency.pausedUntil;
  const parent = state.agency.parentId !== null ? byId.get(state.agency.parentId)?.agency.pausedUntil : null;
  return [own, parent].some((until) => until !== null && until !== undefined && date <= until);
}

export function createReminderEngine(deps: {
  db: Db;
  clock: Clock;
  sender: OutboxSender;
  logger: Logger;
  /** The process's turn for database work; planning takes it, sending takes it only to record. */
  serialize?: Serialize;
  /** Channels that also get the coordinators' digest, once per date (see DigestChannel). */
  digestChannels?: readonly DigestChannel[];
  /** True for the first caller of a key across every process (the adapters' store's firstDelivery). */
  claimOnce?: (key: string) => Promise<boolean>;
}): ReminderEngine {
  const { db, sender } = deps;
  const serialize: Serialize = deps.serialize ?? ((work) => work());

  async function activePlan(): Promise<Plan | null> {
    return db.plan.findFirst({ where: { active: true } });
  }

  async function planReminders({
    plan,
    status,
    policy,
    calendar,
    now,
    dryRun,
  }: Planning): Promise<Pick<TickResult, "due" | "skipped">> {
    const points = reminderPoints(plan.reportDeadline, policy, calendar).filter((p) => p.dueAt <= now);
    const due: ReminderEntry[] = [];
    const skipped: ReminderEntry[] = [];
    if (points.length === 0) return { due, skipped };

    const units = status.agencies.filter((a) => a.memberCount === 0);
    const byId = new Map(status.agencies.map((a) => [a.agency.id, a]));
    const contacts = await db.person.findMany({
      where: { role: "contact", active: true, agency: { planId: plan.id } },
    });
    const contactsByAgency = new Map<number, Person[]>();
    for (const c of contacts) contactsByAgency.set(c.agencyId!, [...(contactsByAgency.get(c.agencyId!) ?? []), c]);
    const planned = new Set(
      (await db.outboxMessage.findMany({ where: { kind: "reminder", planId: plan.id }, select: { key: true } })).map(
        (r) => r.key,
      ),
    );
    const expireMs = policy.expireAfterHours * HOUR_MS;
    // The contacts of one agency get the same text in the same language: built once, not per person.
    const texts = new Map<string, OutgoingMessage>();
    const messageFor = (unit: AgencyState, point: { label: string; dueAt: Date }, locale: string) => {
      const cacheKey = `${unit.agency.id}:${point.label}:${locale}`;
      let message = texts.get(cacheKey);
      if (!message) {
        message = reminderMessage(messagesFor(locale), plan, unit, point.dueAt);
        texts.set(cacheKey, message);
      }
      return message;
    };
    const pending: { item: OutboxItem; entry: ReminderEntry }[] = [];
    const expired: { item: OutboxItem; entry: ReminderEntry }[] = [];

    // Only the window before each live point counts: a report sent after the point (say, in answer
    // to it) must not undo the decision, and the latest report alone cannot tell.
    const live = points.filter((p) => now.getTime() - p.dueAt.getTime() <= expireMs);
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
    const reportedBefore = (agencyId: number, dueAt: Date) =>
      (reportTimes.get(agencyId) ?? []).some((t) => t < dueAt.getTime() && t >= dueAt.getTime() - windowMs);

    for (const point of points) {
      const stale = now.getTime() - point.dueAt.getTime() > expireMs;
      for (const unit of units) {
        const people = contactsByAgency.get(unit.agency.id) ?? [];
        const open = unit.duties.filter((d) => d.status !== "done").map((d) => d.code);
        const entry = (person: Person | null, reason?: SkipReason): ReminderEntry => ({
          kind: "reminder",
          agency: unit.agency.code,
          agencyName: agencyLabel(messagesFor("vi"), unit.agency),
          contact: person?.id ?? null,
          contactName: person?.displayName ?? null,
          point: point.label,
          dueAt: toIsoLocal(point.dueAt),
          duties: open,
          ...(reason && { reason }),
        });
        const reason: SkipReason | null = unit.submitted
          ? "submitted"
          : isPaused(unit, byId, point.date)
            ? "paused"
            : people.length === 0
              ? "no_contact"
              : reportedBefore(unit.agency.id, point.dueAt)
                ? "recent_report"
                : null;
        if (reason) {
          // Reasons for old points would repeat on every tick forever; only the live window is reported.
          if (!stale) (people.length ? people : [null]).forEach((p) => skipped.push(entry(p, reason)));
          continue;
        }
        for (const person of people) {
          const key = `reminder:${plan.id}:${unit.agency.id}:${person.id}:${point.label}`;
          if (planned.has(key)) continue;
          const item: OutboxItem = {
            key,
            kind: "reminder",
            personId: person.id,
            planId: plan.id,
            agencyId: unit.agency.id,
            point: point.label,
            // An expired point is only recorded, never sent: it needs no text.
            message: stale ? { text: "" } : messageFor(unit, point, person.locale),
            duties: open,
            dueAt: point.dueAt,
          };
          if (stale) {
            // A bot started on 24/11 must not greet everyone with the reminder of 13/11.
            expired.push({ item, entry: entry(person, "expired") });
            continue;
          }
          pending.push({ item, entry: entry(person) });
        }
      }
    }
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

  async function planDigests({
    plan,
    status,
    policy,
    calendar,
    now,
    dryRun,
  }: Planning): Promise<Pick<TickResult, "due" | "skipped">> {
    const dates = liveDigestDates(plan, policy, calendar, now, policy.expireAfterHours);
    const due: ReminderEntry[] = [];
    const skipped: ReminderEntry[] = [];
    if (dates.length === 0) return { due, skipped };
    const recipients = await coordinators(db);
    for (const { date, dueAt } of dates) {
      for (const person of recipients) {
        const entry = (reason?: SkipReason): ReminderEntry => ({
          kind: "digest",
          agency: null,
          agencyName: null,
          contact: person.id,
          contactName: person.displayName,
          point: `digest-${date}`,
          dueAt: toIsoLocal(dueAt),
          duties: [],
          ...(reason && { reason }),
        });
        if (digestNotNeeded(plan, status, date)) {
          skipped.push(entry("all_submitted"));
          continue;
        }
        const key = `digest:${plan.id}:${person.id}:${date}`;
        if (await db.outboxMessage.findUnique({ where: { key }, select: { id: true } })) continue;
        const message: OutgoingMessage = await buildDigest(db, messagesFor(person.locale), plan, status, dueAt, now);
        const created = dryRun
          ? true
          : (
              await enqueue(db, now, [
                { key, kind: "digest", personId: person.id, planId: plan.id, point: `digest-${date}`, message, dueAt },
              ])
            ).has(key);
        if (created) due.push(entry());
      }
    }
    return { due, skipped };
  }

  async function plan(now: Date, options: { dryRun?: boolean } = {}) {
    const active = await activePlan();
    if (!active) return { due: [], skipped: [] };
    const planning: Planning = {
      plan: active,
      status: await loadPlanStatus(db, active),
      policy: policyOf(active),
      calendar: await loadWorkCalendar(db),
      now,
      dryRun: options.dryRun === true,
    };
    const reminders = await planReminders(planning);
    const digests = await planDigests(planning);
    return { due: [...reminders.due, ...digests.due], skipped: [...reminders.skipped, ...digests.skipped] };
  }

  async function describeSent(rows: readonly OutboxMessage[]): Promise<ReminderEntry[]> {
    const people = new Map(
      (await db.person.findMany({ where: { id: { in: rows.map((r) => r.personId) } } })).map((p) => [p.id, p]),
    );
    const agencies = new Map(
      (await db.agency.findMany({ where: { id: { in: rows.flatMap((r) => (r.agencyId ? [r.agencyId] : [])) } } })).map(
        (a) => [a.id, a],
      ),
    );
    return rows.map((r) => {
      const agency = r.agencyId ? agencies.get(r.agencyId) : undefined;
      return {
        kind: r.kind,
        agency: agency?.code ?? null,
        agencyName: agency ? agencyLabel(messagesFor("vi"), agency) : null,
        contact: r.personId,
        contactName: people.get(r.personId)?.displayName ?? null,
        point: r.point ?? r.kind,
        dueAt: toIsoLocal(r.dueAt),
        duties: r.duties ? (JSON.parse(r.duties) as string[]) : [],
      };
    });
  }

  /**
   * Posts the digest of each live date to every digest channel, once across processes. The copy is
   * built like a coordinator's, in the channel's language; it is not an outbox row (a channel is no
   * person), so a post that fails is logged and not retried.
   */
  async function copyDigests(now: Date): Promise<void> {
    const channels = deps.digestChannels ?? [];
    const claimOnce = deps.claimOnce;
    if (channels.length === 0 || !claimOnce) return;
    const live = await serialize(async () => {
      const active = await activePlan();
      if (!active) return null;
      const policy = policyOf(active);
      // Like every push, the copy waits out the night.
      if (isQuietTime(now, policy)) return null;
      const maxAge = Math.min(policy.expireAfterHours, DIGEST_COPY_MAX_AGE_HOURS);
      return { plan: active, dates: liveDigestDates(active, policy, await loadWorkCalendar(db), now, maxAge) };
    });
    if (!live) return;
    for (const { date, dueAt } of live.dates) {
      for (const channel of channels) {
        if (!(await claimOnce(`digest:${channel.name}:${live.plan.id}:${date}`))) continue;
        const message = await serialize(async () => {
          const status = await loadPlanStatus(db, live.plan);
          if (digestNotNeeded(live.plan, status, date)) return null;
          return buildDigest(db, messagesFor(channel.locale), live.plan, status, dueAt, now);
        });
        if (!message) continue;
        try {
          await channel.post(message);
        } catch (error) {
          deps.logger.error({ err: error, channel: channel.name, date }, "digest copy to a channel failed");
        }
      }
    }
  }

  return {
    plan,
    send: (now) => sender.sendDue(now),
    async tick(at) {
      const now = at ?? deps.clock.now();
      const planned = await serialize(() => plan(now));
      const result = await sender.sendDue(now);
      await copyDigests(now);
      return { ...planned, sent: await serialize(() => describeSent(result.sent)) };
    },
  };
}
