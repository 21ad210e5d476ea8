import type { Db } from "../db/db.ts";
import { enqueue, recordSkipped, type OutboxItem } from "../delivery/outbox.ts";
import type { Plan } from "../generated/prisma/client.ts";
import { messagesFor } from "../i18n/index.ts";
import { toIsoLocal } from "../lib/time.ts";
import type { PlannedItem, ReminderDecision } from "./plan-reminders.ts";
import type { Planned } from "./planning.ts";

// A contact of an agency in several plans would get one reminder per plan at 08:00, a coordinator
// one digest per plan at 16:30. People read one message per reminder time: the reminders (or the
// digests) due to one person in one local minute become one push covering every plan, nearest
// deadline first. Each plan's own push is still recorded (as skipped, "merged"), so no later tick
// plans it again and the record says what was covered.

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

/** Takes the reminders due together out of each plan's decision and returns them merged. */
export function mergeAcrossPlans(decisions: readonly PlanDecision[]): Merged {
  const groups = new Map<string, { plan: Plan; planned: PlannedItem }[]>();
  for (const { plan, decision } of decisions) {
    for (const planned of decision.pending) {
      const key = `${planned.item.kind}:${planned.item.personId}:${toIsoLocal(planned.item.dueAt).slice(0, MINUTE)}`;
      groups.set(key, [...(groups.get(key) ?? []), { plan, planned }]);
    }
  }
  const result: Merged = { merged: [], absorbed: [] };
  for (const [key, group] of groups) {
    if (new Set(group.map((g) => g.plan.id)).size < 2) continue;
    result.merged.push(mergedItem(key, group));
    result.absorbed.push(...group.map((g) => g.planned));
  }
  const absorbed = new Set(result.absorbed.map((p) => p.item.key));
  for (const { decision } of decisions) decision.pending = decision.pending.filter((p) => !absorbed.has(p.item.key));
  return result;
}

function mergedItem(key: string, group: readonly { plan: Plan; planned: PlannedItem }[]): PlannedItem {
  const [first] = group;
  const { item, entry, locale } = first!.planned;
  const t = messagesFor(locale);
  const sections = group.map(
    ({ plan, planned }) => `${t.bot.reminder.planSection(plan.code)}\n${planned.item.message.text}`,
  );
  const header =
    item.kind === "digest" ? t.bot.digest.mergedHeader(group.length) : t.bot.reminder.mergedHeader(group.length);
  const merged: OutboxItem = {
    ...item,
    key: `merged:${key}`,
    message: {
      text: [header, ...sections].join("\n\n"),
      // The first plan's buttons: the guided report and the submission act on the plan due first.
      ...(item.message.choices && { choices: item.message.choices }),
    },
    duties: group.flatMap((g) => g.planned.item.duties ?? []),
  };
  return { item: merged, entry: { ...entry, plan: group.map((g) => g.plan.code).join(",") }, locale };
}

/** Writes the merged pushes and records what each carries; in a dry run, only lists them. */
export async function writeMerged(db: Db, now: Date, dryRun: boolean, { merged, absorbed }: Merged): Promise<Planned> {
  if (merged.length === 0) return { due: [], skipped: [] };
  const created = dryRun
    ? null
    : await enqueue(
        db,
        now,
        merged.map((m) => m.item),
      );
  if (!dryRun)
    await recordSkipped(
      db,
      now,
      absorbed.map((a) => a.item),
      "merged",
    );
  return {
    due: merged.filter((m) => !created || created.has(m.item.key)).map((m) => m.entry),
    skipped: absorbed.map((a) => ({ ...a.entry, reason: "merged" as const })),
  };
}
