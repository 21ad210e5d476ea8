// Small steps shared by the bot-*.test.ts files, on top of the harness in ./bot.ts.
import { expect } from "vitest";
import type { BotCore, PlatformIdentity } from "../../src/model/bot-core.ts";
import type { Notification, OutgoingMessage } from "../../src/model/messages.ts";
import type { DutyReport } from "../../src/generated/prisma/client.ts";
import { getActivePlan } from "../../src/services/plan-service.ts";
import { loadPlanStatus, type AgencyState } from "../../src/services/status-service.ts";
import { lineEvent, texts, type TestBot } from "./bot.ts";
import { tableCounts, tableSnapshot } from "./db.ts";

export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

/** An invite code as the bot prints it: ABCDE-FGHJK. */
export const CODE_PATTERN = /[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}/;

export function codeIn(text: string): string {
  const m = CODE_PATTERN.exec(text);
  if (!m) throw new Error(`no invite code in: ${text}`);
  return m[0];
}

/** Every choice value offered by a reply, row by row flattened. */
export function choiceValues(replies: OutgoingMessage[]): string[] {
  return replies.flatMap((r) => (r.choices ?? []).flat().map((c) => c.value));
}

export function choiceLabels(replies: OutgoingMessage[]): string[] {
  return replies.flatMap((r) => (r.choices ?? []).flat().map((c) => c.label));
}

/** Runs `action` and asserts that no table gained or lost a row; returns the replies' text. */
export async function expectNothingStored(bot: TestBot, action: () => Promise<OutgoingMessage[]>): Promise<string> {
  const before = await tableSnapshot(bot.db);
  const replies = await action();
  expect(await tableSnapshot(bot.db)).toEqual(before);
  return texts(replies);
}

/** Row count changes made by `action`, table by table (only the tables that changed). */
export async function rowChanges(bot: TestBot, action: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = await tableCounts(bot.db);
  await action();
  const after = await tableCounts(bot.db);
  const diff: Record<string, number> = {};
  for (const [table, n] of Object.entries(after)) if (n !== before[table]) diff[table] = n - (before[table] ?? 0);
  return diff;
}

/** Notifications pushed while `action` ran. */
export async function notificationsDuring(bot: TestBot, action: () => Promise<unknown>): Promise<Notification[]> {
  const mark = bot.notifications.length;
  await action();
  return bot.notifications.slice(mark);
}

export async function personOf(bot: TestBot, user: string, platform = "test") {
  const identity = await bot.db.identity.findUniqueOrThrow({
    where: { platform_userId: { platform, userId: user } },
    include: { person: { include: { directoryAgency: true, identities: true } } },
  });
  return identity.person;
}

export async function directoryId(bot: TestBot, code: string): Promise<number> {
  return (await bot.db.directoryAgency.findUniqueOrThrow({ where: { code } })).id;
}

export async function agencyId(bot: TestBot, code: string): Promise<number> {
  return (await bot.db.agency.findFirstOrThrow({ where: { code } })).id;
}

export async function dutyId(bot: TestBot, code: string): Promise<number> {
  return (await bot.db.duty.findFirstOrThrow({ where: { code } })).id;
}

/** All reports sent by `user`, oldest first, with their duty. */
export async function reportsBy(bot: TestBot, user: string) {
  const person = await personOf(bot, user);
  return bot.db.dutyReport.findMany({
    where: { personId: person.id },
    include: { duty: true },
    orderBy: { id: "asc" },
  });
}

export async function lastReportBy(bot: TestBot, user: string): Promise<DutyReport & { duty: { code: string } }> {
  const reports = await reportsBy(bot, user);
  const last = reports.at(-1);
  if (!last) throw new Error(`${user} has no report`);
  return last;
}

export async function agencyStatus(bot: TestBot, code: string): Promise<AgencyState> {
  const status = await loadPlanStatus(bot.db, await getActivePlan(bot.db));
  const state = status.agencies.find((a) => a.agency.code === code);
  if (!state) throw new Error(`no agency ${code}`);
  return state;
}

/** Sends through another core (a restarted process) as `user`. */
export function sendVia(core: BotCore, from: PlatformIdentity, line: string): Promise<OutgoingMessage[]> {
  return core.handle(lineEvent(line, from));
}

/** `/nopbaocao args` then "Gửi báo cáo": the whole formal submission. */
export async function submitReport(bot: TestBot, user: string, args = ""): Promise<string> {
  const preview = await bot.send(user, `/nopbaocao ${args}`.trim());
  expect(choiceValues(preview)).toContain("submit:confirm");
  return texts(await bot.choose(user, "submit:confirm"));
}

/** Joins coord-1 and coord-2 as coordinators; returns their person ids, sorted. */
export async function joinTwoCoordinators(bot: TestBot): Promise<number[]> {
  await bot.join("coord-1", null, "Điều phối 1");
  await bot.join("coord-2", null, "Điều phối 2");
  return [(await personOf(bot, "coord-1")).id, (await personOf(bot, "coord-2")).id].sort();
}
