import type { Db } from "../db/db.ts";
import { enqueue, type OutboxItem } from "../delivery/outbox.ts";
import type { Plan } from "../generated/prisma/client.ts";
import { messagesFor } from "../i18n/index.ts";
import { reminderChoices } from "../i18n/views.ts";
import { localDate, toIsoLocal } from "../lib/time.ts";
import type { DigestParts } from "./digest.ts";
import { encodeChoice } from "../model/choices.ts";
import type { Choice } from "../model/messages.ts";
import { daysLeft } from "../domain/deadline.ts";
import { pageLines, VIEW_MAX_CHARS } from "../domain/pages.ts";
import type { PlannedItem, ReminderDecision } from "./plan-reminders.ts";
import type { Planned } from "./planning.ts";

// A contact of an agency in several plans would get one reminder per plan at 08:00, a coordinator
// one digest per plan at 16:30. People read one message per reminder time: the reminders (or the
// digests) due to one person in one local minute become one push covering every plan, nearest
// deadline first. The merged push's own row is the record: its key names the person and the
// minute, so a later pass that finds it leaves every plan's push of that minute to that person
// alone, even one that now would be the only one due. (A row per plan carried, as skipped, cost
// 67,000 rows at one national 08:00 and a second of the two the whole pass may take.)

/** A plan's decision, in the order plans are taken (nearest deadline first). */
export interface PlanDecision {
  plan: Plan;
  decision: ReminderDecision;
}

export interface Merged {
  /** One push per person and minute that covers two plans or more. */
  merged: PlannedItem[];
  /** The plans' own reminders that a merged push carries: recorded, never sent on their own. */
  absorbed: PlannedItem[];
}

const MINUTE = 16; // "2026-12-07T08:00" of an ISO local time

/** A person-minute's key; each instant formatted once (a pass has a few points and 70,000 pushes). */
function groupKeys(): (item: OutboxItem) => string {
  const minutes = minuteOf();
  return (item) => `${item.kind}:${item.personId}:${minutes(item.dueAt)}`;
}

function minuteOf(): (at: Date) => string {
  const minutes = new Map<number, string>();
  return (at) => {
    let minute = minutes.get(at.getTime());
    if (minute === undefined) {
      minute = toIsoLocal(at).slice(0, MINUTE);
      minutes.set(at.getTime(), minute);
    }
    return minute;
  };
}
const mergedKey = (group: string) => `merged:${group}`;
/**
 * The person-minutes among the decisions' pushes that a merged push already covers: the merged
 * rows of those minutes, read through the outbox's index by plan, kind and time. (Looking up each
 * push's merged key instead sent Prisma 7,000 keys to compile, half a second at national scale.)
 * A merged row keeps the id of the first plan it carried, which may have closed since: every
 * plan's id is asked for.
 */
export async function mergedAlready(db: Db, decisions: readonly PlanDecision[]): Promise<Set<string>> {
  const pending = decisions.flatMap((d) => d.decision.pending);
  if (pending.length === 0) return new Set();
  const times = new Map(pending.map((p) => [p.item.dueAt.getTime(), p.item.dueAt]));
  const [plans, kinds] = [
    await db.plan.findMany({ select: { id: true } }),
    [...new Set(pending.map((p) => p.item.kind))],
  ];
  const rows = await db.outboxMessage.findMany({
    where: {
      planId: { in: plans.map((p) => p.id) },
      kind: { in: kinds },
      dueAt: { in: [...times.values()] },
      key: { startsWith: "merged:" },
    },
    select: { key: true },
  });
  return new Set(rows.map((r) => r.key.slice("merged:".length)));
}

type Group = { plan: Plan; planned: PlannedItem }[];

/**
 * Takes the reminders due together out of each plan's decision and returns them merged; those of
 * a person-minute in `covered` (a merged push already planned) are dropped.
 */
export function mergeAcrossPlans(decisions: readonly PlanDecision[], covered: ReadonlySet<string>): Merged {
  const groupKey = groupKeys();
  // By kind and minute, then by person: 67,000 pushes at a national 08:00 find their person's
  // group by number, with no key string of their own.
  const groups = new Map<string, Map<number, Group>>();
  const minute = minuteOf();
  for (const { plan, decision } of decisions) {
    if (covered.size > 0) decision.pending = decision.pending.filter((p) => !covered.has(groupKey(p.item)));
    for (const planned of decision.pending) {
      const { item } = planned;
      const at = `${item.kind}:${minute(item.dueAt)}`;
      let people = groups.get(at);
      if (!people) groups.set(at, (people = new Map<number, Group>()));
      const group = people.get(item.personId);
      if (group) group.push({ plan, planned });
      else people.set(item.personId, [{ plan, planned }]);
    }
  }
  const result: Merged = { merged: [], absorbed: [] };
  const made = newMade();
  for (const people of groups.values()) {
    for (const group of people.values()) {
      if (!group.some((g) => g.plan.id !== group[0]!.plan.id)) continue;
      result.merged.push(mergedItem(groupKey(group[0]!.planned.item), group, made));
      for (const g of group) result.absorbed.push(g.planned);
    }
  }
  if (result.absorbed.length > 0) {
    const absorbed = new Set(result.absorbed);
    for (const { decision } of decisions) decision.pending = decision.pending.filter((p) => !absorbed.has(p));
  }
  return result;
}

/**
 * What merged pushes share, made once: an agency's line for each of its contacts, and the whole
 * message for people whose pushes are the same (a commune's two contacts in its ten plans).
 */
interface Made {
  lines: Map<string, Map<object, string>>;
  reminders: Map<string, Pick<OutboxItem, "message" | "duties">>;
  ids: Map<object, number>;
}

const newMade = (): Made => ({ lines: new Map(), reminders: new Map(), ids: new Map() });

/** The message and duties of a merged reminder, the same object for groups of the same pushes. */
function mergedReminder(locale: string, group: Group, dueAt: Date, made: Made): Pick<OutboxItem, "message" | "duties"> {
  const build = () => ({
    message: { text: reminderText(locale, group, dueAt, made.lines), choices: reminderChoices(messagesFor(locale)) },
    duties: group.flatMap((g) => g.planned.item.duties ?? []),
  });
  if (!group.every((g) => g.planned.shared)) return build();
  const id = (shared: object) => {
    let n = made.ids.get(shared);
    if (n === undefined) made.ids.set(shared, (n = made.ids.size));
    return n;
  };
  const key = `${locale}:${dueAt.getTime()}:${group.map((g) => id(g.planned.shared!)).join(",")}`;
  let reminder = made.reminders.get(key);
  if (!reminder) made.reminders.set(key, (reminder = build()));
  return reminder;
}

function mergedItem(key: string, group: Group, made: Made): PlannedItem {
  const [first] = group;
  const { item, entry, locale } = first!.planned;
  const content =
    item.kind === "digest"
      ? {
          // A digest's buttons would act in its first plan only: it gets the list over every plan.
          message: { text: digestText(locale, group), choices: mergedDigestButtons(locale) },
          duties: [],
        }
      : // A reminder has a plan's buttons, the guided report and the submission, which ask which plan.
        mergedReminder(locale, group, item.dueAt, made);
  const merged: OutboxItem = {
    kind: item.kind,
    personId: item.personId,
    planId: item.planId ?? null,
    agencyId: item.agencyId ?? null,
    point: item.point ?? null,
    dueAt: item.dueAt,
    key: mergedKey(key),
    message: content.message,
    duties: content.duties,
  };
  return { item: merged, entry: { ...entry, plan: group.map((g) => g.plan.code).join(",") }, locale };
}

function mergedDigestButtons(locale: string): Choice[][] {
  const label = messagesFor(locale).bot.digest.mergedMissingButton;
  return [[{ label, value: encodeChoice({ kind: "plans_page", view: "quahan", page: 1 }) }]];
}

/** Room for the header and the footer of a merged reminder, within one screen. */
const REMINDER_ROOM = 400;

/**
 * A line per plan (deadline, days left, open duties), as many as fit one screen, nearest deadline
 * first: a department in 39 plans read 17,000 characters when each plan's reminder came whole.
 * `/nhiemvu` lists every duty of every plan.
 */
function reminderText(locale: string, group: Group, dueAt: Date, caches: Map<string, Map<object, string>>): string {
  const t = messagesFor(locale);
  const r = t.bot.reminder;
  // By language and time: a plan's days left differ between two points of one pass.
  const at = `${locale}:${dueAt.getTime()}`;
  let cache = caches.get(at);
  if (!cache) caches.set(at, (cache = new Map<object, string>()));
  const lines = group.map(({ plan, planned }) => {
    // Pushes with nothing in common (no `shared`) get a line each.
    const key = planned.shared ?? planned;
    let line = cache.get(key);
    if (line === undefined) {
      let left = cache.get(plan);
      if (left === undefined) cache.set(plan, (left = t.bot.daysLeft(daysLeft(plan.reportDeadline, dueAt))));
      line = r.mergedLine(plan.code, plan.reportDeadline, left, planned.item.duties ?? []);
      cache.set(key, line);
    }
    return line;
  });
  const [shown] = pageLines(lines, VIEW_MAX_CHARS - REMINDER_ROOM);
  const withDuty = group.find((g) => g.planned.item.duties?.length) ?? group[0]!;
  const duty = withDuty.planned.item.duties?.[0] ?? "IV.1.a";
  return [
    r.mergedHeader(group.length),
    ...shown!,
    ...(shown!.length < lines.length ? [r.mergedMore(lines.length - shown!.length)] : []),
    r.mergedFooter(t.bot.report.example(`${withDuty.plan.code} ${duty}`)),
  ].join("\n");
}

/** Room for the digest's header, totals and footer, within one screen. */
const DIGEST_ROOM = 300;

/**
 * A line per plan (deadline, days left, submitted so far, new difficulties), as many as fit, then
 * the new difficulties and what concerns every plan (failed deliveries, pushes waiting) once, each
 * within what is left of one screen: 48 plans' digests side by side were 39,000 characters.
 */
function digestText(locale: string, group: Group): string {
  const t = messagesFor(locale);
  const d = t.bot.digest;
  const parts = group.map(({ plan, planned }) => ({ plan, parts: planned.digest! }));
  const dueAt = group[0]!.planned.item.dueAt;
  const total = (pick: (c: DigestParts["counts"]) => number) => parts.reduce((n, p) => n + pick(p.parts.counts), 0);
  const head = [
    d.mergedHeader(localDate(dueAt), group.length),
    t.bot.coord.plansTotals(
      total((c) => c.submitted),
      total((c) => c.agencies),
      total((c) => c.membersSubmitted),
      total((c) => c.members),
    ),
  ].join("\n");
  const footer = t.bot.coord.combinedFooter("tongquan", group[0]!.plan.code);
  let budget = VIEW_MAX_CHARS - head.length - footer.length - 4;
  const lines = parts.map(({ plan, parts: p }) =>
    d.mergedLine(
      plan.code,
      plan.reportDeadline,
      t.bot.daysLeft(daysLeft(plan.reportDeadline, dueAt)),
      p.counts,
      p.difficulties.length,
    ),
  );
  const blocks: string[] = [];
  const planLines = fitLines(lines, budget - DIGEST_ROOM, (n) => d.mergedMore(n));
  blocks.push(planLines);
  budget -= planLines.length + 2;
  const difficulties = parts.flatMap(({ plan, parts: p }) => p.difficulties.map((line) => `${plan.code} ${line}`));
  if (difficulties.length) {
    const block = `${d.difficultiesHeader(difficulties.length)}\n${fitLines(difficulties, budget - 40, (n) => d.moreDifficulties(n))}`;
    blocks.push(block);
    budget -= block.length + 2;
  }
  // The same in every plan's digest: taken once, a section that does not fit cut to its first line.
  for (const section of parts[0]!.parts.shared) {
    if (section === null) continue;
    const fitted = section.length <= budget ? section : `${section.split("\n")[0]!}\n${d.sectionCut}`;
    if (fitted.length > budget) continue;
    blocks.push(fitted);
    budget -= fitted.length + 2;
  }
  return [head, ...blocks, footer].join("\n\n");
}

/** As many whole lines as fit `budget` characters, then one saying how many are left out. */
function fitLines(lines: readonly string[], budget: number, more: (left: number) => string): string {
  const [shown] = pageLines(lines, budget - more(lines.length).length - 1);
  const left = lines.length - shown!.length;
  return [...shown!, ...(left > 0 ? [more(left)] : [])].join("\n");
}

/** Writes the merged pushes; in a dry run, only lists them. What each carries is listed, not stored. */
export async function writeMerged(db: Db, now: Date, dryRun: boolean, { merged, absorbed }: Merged): Promise<Planned> {
  if (merged.length === 0) return { due: [], skipped: [] };
  const created = dryRun
    ? null
    : await enqueue(
        db,
        now,
        merged.map((m) => m.item),
      );
  return {
    due: merged.filter((m) => !created || created.has(m.item.key)).map((m) => m.entry),
    skipped: absorbed.map((a) => a.entryAs?.("merged") ?? { ...a.entry, reason: "merged" as const }),
  };
}
