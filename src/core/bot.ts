import { isDatabaseBusy } from "../db/db-errors.ts";
import { cleanInput, cleanName, INPUT_MAX_LENGTH } from "../domain/clean-text.ts";
import { isAppError } from "../model/errors.ts";
import { errorText } from "../i18n/error-text.ts";
import { messagesFor } from "../i18n/index.ts";
import { findPersonByIdentity, markSeen } from "../services/invite-service.ts";
import { assignmentsOf, planFor } from "../services/directory-service.ts";
import { findSender, type SenderIdentity } from "../services/sender-service.ts";
import { Ctx, type BotDeps, type Member } from "./context.ts";
import { dispatch } from "./routes.ts";
import { runUseCase } from "./use-cases/index.ts";
import type {
  BotCore,
  IncomingEvent,
  PlatformIdentity,
  Reply,
  UseCaseInput,
  UseCaseName,
  UseCaseResult,
} from "../model/bot-core.ts";

export type { BotDeps };

/**
 * What people typed, made safe to store and to show to others: NFC, no control, bidirectional or
 * invisible characters, and a one-line name (a platform's display name is chosen by its owner).
 * Choice values are the bot's own and pass unchanged.
 */
function cleanEvent(event: IncomingEvent): IncomingEvent {
  const from = { ...event.from, displayName: cleanName(event.from.displayName) || event.from.userId };
  if (event.kind === "command") return { ...event, from, args: cleanInput(event.args) };
  if (event.kind === "text") return { ...event, from, text: cleanInput(event.text) };
  return { ...event, from };
}

/**
 * How old lastSeenAt may grow before a message refreshes it. Writing it on every message would make
 * every chat, questions included, wait whenever another process holds the database's write lock.
 */
export const LAST_SEEN_EVERY_MS = 15 * 60 * 1000;

type Identity = SenderIdentity;
type Seen = Pick<Identity, "chatId" | "displayName" | "lastSeenAt" | "unreachableAt" | "unreachableReason">;

/** Whether the account's row must change: something in it did, or pushes would go to another account. */
function mustTouch(identity: Identity, seen: Seen): boolean {
  const last = identity.lastSeenAt;
  if (identity.chatId !== seen.chatId || identity.displayName !== seen.displayName) return true;
  if (identity.unreachableAt !== null || !last || seen.lastSeenAt!.getTime() - last.getTime() >= LAST_SEEN_EVERY_MS) {
    return true;
  }
  // Pushes go to the account seen last: one of the person's other accounts seen since must not win.
  return identity.person.identities.some((other) => other.id !== identity.id && (other.lastSeenAt ?? last) > last);
}

/**
 * Records that the account was seen, when its row must change (see mustTouch); the account as it
 * is then. Only bookkeeping: with the database busy the event goes on without it.
 */
async function touch(deps: BotDeps, identity: Identity, from: PlatformIdentity): Promise<Identity> {
  // Chats move (a person opens a DM after first writing in a group), and pushes should follow the
  // account the person uses now; a message from an account also proves it is reachable again.
  const seen: Seen = {
    chatId: from.chatId,
    displayName: from.displayName,
    lastSeenAt: deps.clock.now(),
    unreachableAt: null,
    unreachableReason: null,
  };
  if (!mustTouch(identity, seen)) return identity;
  try {
    await markSeen(deps.db, identity.id, seen);
    return { ...identity, ...seen };
  } catch (error) {
    // A write the event needs waits for the lock; this one is not worth waiting for.
    if (!isDatabaseBusy(error)) throw error;
    deps.logger.debug({ identity: identity.id }, "last seen not recorded: database busy");
    return identity;
  }
}

async function loadMember(deps: BotDeps, from: PlatformIdentity): Promise<Member | null> {
  const sender = await findSender(deps.db, from.platform, from.userId);
  if (!sender) return null;
  const { directoryAgencyId } = sender.identity.person;
  // The agency's places in the active plans are read once for the whole event (the agency in the
  // plan the event is about is chosen with the plan, see contextFor), beside the account's touch:
  // on PostgreSQL they take two connections at once, and the message waits for one round trip.
  const [current, places] = await Promise.all([
    touch(deps, sender.identity, from),
    directoryAgencyId === null ? [] : assignmentsOf(deps.db, directoryAgencyId),
  ]);
  const { person: withAccounts, ...rest } = current;
  const { identities: _accounts, ...person } = withAccounts;
  return { identity: rest, person, agency: null, places, readAhead: { conversation: sender.conversation } };
}

/** What is refused before the sender is loaded or touched: a message too long, or one in a group. */
async function refusal(deps: BotDeps, event: IncomingEvent): Promise<Reply[] | null> {
  const typed = event.kind === "command" ? event.args : event.kind === "text" ? event.text : "";
  // Duties, reports and invite codes are nobody else's business: in a group the bot only asks
  // to be written to privately, and the group's chat never becomes where pushes are sent.
  const tooLong = typed.length > INPUT_MAX_LENGTH;
  if (!tooLong && event.from.privateChat !== false) return null;
  const identity = await findPersonByIdentity(deps.db, event.from.platform, event.from.userId);
  const t = messagesFor(identity?.person.locale ?? deps.defaultLocale);
  return [{ text: tooLong ? t.bot.tooLong(INPUT_MAX_LENGTH) : t.bot.privateOnly }];
}

/** The sender's context: who they are to the bot (the account's row touched), and the plan in force. */
async function contextFor(deps: BotDeps, from: PlatformIdentity): Promise<Ctx> {
  const member = await loadMember(deps, from);
  const { plan, agency } = await planFor(deps.db, member?.person ?? null, member?.places);
  return new Ctx(deps, from, member && { ...member, agency }, plan);
}

/**
 * Runs `work` for one event or use case; a failure is the only answer then, whatever was said
 * before it, worded for the person. A busy database goes up (see createBotCore).
 */
async function answering<T>(ctx: Ctx, what: string, work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    if (isDatabaseBusy(error)) throw error;
    ctx.replies.length = 0;
    if (isAppError(error)) ctx.reply(errorText(ctx.t, error, "chat"));
    else {
      ctx.deps.logger.error({ err: error, event: { kind: what, platform: ctx.from.platform } }, "event failed");
      ctx.reply(ctx.t.bot.internalError);
    }
    return null;
  }
}

async function handleEvent(deps: BotDeps, raw: IncomingEvent): Promise<Reply[]> {
  const event = cleanEvent(raw);
  const refused = await refusal(deps, event);
  if (refused) return refused;
  const ctx = await contextFor(deps, event.from);
  await answering(ctx, event.kind, () => dispatch(ctx, event));
  return ctx.replies;
}

async function runFor<N extends UseCaseName>(
  deps: BotDeps,
  raw: PlatformIdentity,
  name: N,
  input: UseCaseInput<N>,
): Promise<UseCaseResult<N>> {
  const from = { ...raw, displayName: cleanName(raw.displayName) || raw.userId };
  const ctx = await contextFor(deps, from);
  const result = await answering(ctx, name, () => runUseCase(ctx, name, input));
  return result ?? { ok: false, errors: {}, replies: ctx.replies };
}

export function createBotCore(deps: BotDeps): BotCore {
  // Every step sits inside the boundary, loading the sender included: one event never brings the
  // bot down. A busy database is the exception that goes up, so the caller can wait for the lock
  // outside the process's turn and try the whole event again.
  const boundary = async <T>(what: string, platform: string, work: () => Promise<T>, failed: (r: Reply[]) => T) => {
    try {
      return await work();
    } catch (error) {
      if (isDatabaseBusy(error)) throw error;
      deps.logger.error({ err: error, event: { kind: what, platform } }, "event failed");
      return failed([{ text: messagesFor(deps.defaultLocale).bot.internalError }]);
    }
  };
  return {
    handle: (event) =>
      boundary(
        event.kind,
        event.from.platform,
        () => handleEvent(deps, event),
        (replies) => replies,
      ),
    run: (from, name, input) =>
      boundary(
        name,
        from.platform,
        () => runFor(deps, from, name, input),
        (replies) => ({ ok: false, errors: {}, replies }),
      ),
  };
}
