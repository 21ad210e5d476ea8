import { toEvent } from "../../adapters/console/console-chat.ts";
import { createManualClock, type ManualClock } from "../../src/lib/clock.ts";
import { createBotCore, type BotDeps } from "../../src/core/bot.ts";
import type { BotCore, IncomingEvent, PlatformIdentity } from "../../src/model/bot-core.ts";
import type { Notifier } from "../../src/delivery/outbox.ts";
import type { Notification, OutgoingMessage } from "../../src/model/messages.ts";
import type { Db } from "../../src/db/db.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { importPlan } from "../../src/plan/import-plan.ts";
import { addMembers, parseMembersCsv } from "../../src/plan/members.ts";
import { parsePlan } from "../../src/plan/parse-plan.ts";
import { ensureLocalAdmin } from "../../src/services/contact-service.ts";
import { createInvite } from "../../src/services/invite-service.ts";
import type { Role } from "../../src/model/roles.ts";
import { findAgency } from "../../src/services/plan-service.ts";
import { defaultPlan } from "../../src/services/directory-service.ts";
import { parseIsoInstant } from "../../src/lib/time.ts";
import { createTestDb, seedFile, type TestDb } from "./db.ts";

export interface TestBot {
  db: Db;
  url: string;
  clock: ManualClock;
  core: BotCore;
  deps: BotDeps;
  /** Everything the core pushed to people other than the sender, in order. */
  notifications: Notification[];
  identity(user: string, name?: string): PlatformIdentity;
  /** Sends "/cmd args" or free text as `user`; returns the replies' texts. */
  send(user: string, line: string): Promise<OutgoingMessage[]>;
  choose(user: string, value: string): Promise<OutgoingMessage[]>;
  /** Creates an invite and joins `user` with it (contact of `agency`, or coordinator when agency is null). */
  join(user: string, agency: string | null, name?: string): Promise<void>;
  inviteCode(agency: string | null, role?: Role): Promise<string>;
}

/**
 * A real core on a real throwaway SQLite file with the bundled plan and its 95 communes. With
 * `notifier`, pushes go there instead (the outbox, say) and `notifications` stays empty.
 */
export async function createTestBot(
  options: {
    now?: string;
    members?: boolean;
    notifier?: (db: Db, clock: ManualClock) => Notifier;
    /** Another database than this run's kind (the copy test's SQLite source). */
    database?: TestDb;
  } = {},
): Promise<TestBot> {
  const { db, url } = options.database ?? (await createTestDb());
  const summary = await importPlan(db, parsePlan(seedFile("ke-hoach-bhxh-dong-nai-2026.txt")), {
    createAgencies: true,
  });
  if (options.members !== false) {
    await addMembers(db, summary.planId, "IV.9", parseMembersCsv(seedFile("dong-nai-cap-xa.csv")));
  }
  const clock = createManualClock(parseIsoInstant(options.now ?? "2026-11-25T09:00")!);
  const notifications: Notification[] = [];
  // Like the outbox: what a transaction queues counts as pushed only once it has committed.
  const notifier: Notifier = options.notifier?.(db, clock) ?? {
    notify: async (items, within) => {
      if (within) within.afterCommit(() => notifications.push(...items));
      else notifications.push(...items);
    },
  };
  const deps: BotDeps = {
    db,
    clock,
    notifier,
    logger: createLogger("silent"),
    inviteTtlDays: 14,
    defaultLocale: "vi",
  };
  const core = createBotCore(deps);
  const identity = (user: string, name = user): PlatformIdentity => ({
    platform: "test",
    userId: user,
    chatId: `chat-${user}`,
    displayName: name,
  });
  const send = (user: string, line: string) => core.handle(lineEvent(line, identity(user)));
  const inviteCode = async (agency: string | null, role: Role = agency ? "contact" : "coordinator") => {
    // An invite is to the directory agency: with several plans, a section number is read in the first.
    const plan = await defaultPlan(db);
    const found = agency && plan ? await findAgency(db, plan.id, agency) : null;
    return (await createInvite({ db, clock, inviteTtlDays: 14 }, { agency: found, role })).code;
  };
  return {
    db,
    url,
    clock,
    core,
    deps,
    notifications,
    identity,
    send,
    choose: (user, value) => core.handle({ kind: "choice", from: identity(user), value }),
    inviteCode,
    join: async (user, agency, name) => {
      const code = await inviteCode(agency);
      const replies = await core.handle({
        kind: "command",
        from: identity(user, name ?? user),
        command: "batdau",
        args: code,
      });
      if (!/Chào/.test(replies[0]?.text ?? "")) throw new Error(`join failed: ${replies[0]?.text}`);
    },
  };
}

export async function makeAdmin(bot: TestBot, user: string): Promise<void> {
  await ensureLocalAdmin({ db: bot.db, clock: bot.clock }, bot.identity(user));
}

/**
 * A typed line as the console reads it ("/cmd args" a command, anything else text), through the
 * console's own parser. A blank line, which the console skips, still reaches the core as blank text.
 */
export function lineEvent(line: string, from: PlatformIdentity): IncomingEvent {
  return toEvent(line, from, []) ?? { kind: "text", from, text: "" };
}

export function texts(replies: OutgoingMessage[]): string {
  return replies.map((r) => r.text).join("\n");
}
