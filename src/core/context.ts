import type { Clock } from "../lib/clock.ts";
import type { Db } from "../db/db.ts";
import type { Agency, Identity, Person, Plan } from "../generated/prisma/client.ts";
import { messagesFor, type Messages } from "../i18n/index.ts";
import type { ReportSettings } from "../reports/report-issuer.ts";
import type { Logger } from "../lib/logger.ts";
import { coordinators } from "../services/contact-service.ts";
import type { Assignment } from "../services/directory-service.ts";
import type { StoredFlow } from "../services/conversation-service.ts";
import { oneTransaction } from "../services/transaction.ts";
import { deliveryOutlook, type RecipientOutlook } from "../delivery/delivery-outlook.ts";
import { parseReminderPolicy, policyOf } from "../schedule/policy.ts";
import type { PlatformIdentity, Reply, ReplyOutcome } from "../model/bot-core.ts";
import type { Notifier, Transaction } from "../delivery/outbox.ts";
import type { Choice, Notification, NotificationKind, OutgoingMessage } from "../model/messages.ts";
import {
  clearFlow,
  consumeFlow,
  flowOf,
  INVALID_FLOW,
  loadFlow,
  saveFlow,
  type FlowState,
  type FlowStep,
} from "./conversation.ts";

export interface BotDeps {
  db: Db;
  clock: Clock;
  notifier: Notifier;
  logger: Logger;
  inviteTtlDays: number;
  defaultLocale: "vi" | "en";
  /** Builds a deep link for an invite code where the platform has one (Telegram's ?start=). */
  inviteLink?: (code: string) => string | null | Promise<string | null>;
  /**
   * The platforms this process sends for. With it, a command's reply says when a recipient's
   * platforms run nowhere; without it (tests of the core alone) nobody is judged waiting for one.
   */
  platforms?: readonly string[];
  /** Who issues the draft report (/baocaotonghop); unset parts default to the plan's Sở Nội vụ. */
  report?: ReportSettings;
}

/** A person known to the bot, with what every handler needs about them. */
export interface Member {
  identity: Identity;
  person: Person;
  agency: Agency | null;
  /** The person's directory agency in each active plan, nearest deadline first; read once per event. */
  places: readonly Assignment[];
  /**
   * The account's conversation as read with the sender, for the event's first look at its flow.
   * Shared by the event's contexts (one per plan it turns to) and emptied by the first look or
   * write of any of them, so no context acts on a flow another has changed since.
   */
  readAhead?: { conversation?: StoredFlow | null };
}

export class Ctx {
  readonly replies: Reply[] = [];
  readonly t: Messages;

  constructor(
    readonly deps: BotDeps,
    /** Who wrote, or who filled in a form. */
    readonly from: PlatformIdentity,
    readonly member: Member | null,
    readonly plan: Plan | null,
  ) {
    this.t = messagesFor(member?.person.locale ?? deps.defaultLocale);
  }

  get now(): Date {
    return this.deps.clock.now();
  }

  reply(text: string, choices?: Choice[][], outcome?: ReplyOutcome): void {
    this.replies.push({ text, ...(choices && choices.length && { choices }), ...(outcome && { outcome }) });
  }

  /**
   * Runs `work` as one transaction, so a record and the notifications announcing it are stored
   * together or not at all. What `work` leaves for after the commit runs only once it succeeded;
   * keep `work` to database statements, since the single connection waits for it.
   */
  async transaction<T>(work: (within: Transaction) => Promise<T>): Promise<T> {
    const committed: (() => void)[] = [];
    const result = await oneTransaction(this.deps.db, (tx) =>
      work({ tx, afterCommit: (action) => void committed.push(action) }),
    );
    for (const action of committed) {
      // The record and its notifications are stored by now: a failed follow-up (starting the
      // sender) only delays the sending, and must not tell the person their message was lost.
      try {
        action();
      } catch (error) {
        this.deps.logger.error({ err: error }, "after-commit action failed");
      }
    }
    return result;
  }

  /** Sends each person a message built in their own language; within a transaction, queued in it. */
  async notify(
    people: readonly Person[],
    kind: NotificationKind,
    build: (t: Messages, person: Person) => OutgoingMessage,
    within?: Transaction,
  ): Promise<number> {
    const notifications: Notification[] = people
      .filter((p) => p.active && p.id !== this.member?.person.id)
      .map((person) => ({ personId: person.id, kind, message: build(messagesFor(person.locale), person) }));
    if (notifications.length) await this.deps.notifier.notify(notifications, within);
    return notifications.length;
  }

  /**
   * A push a coordinator's command causes to others: queued as `notify` does, with who asked (told
   * later if it fails for good), and returned with what becomes of it for each recipient, so the
   * reply can say so. Whoever the reply already tells is unreachable is not told again later.
   */
  async pushFor(
    people: readonly Person[],
    kind: NotificationKind,
    build: (t: Messages, person: Person) => OutgoingMessage,
    within?: Transaction,
  ): Promise<RecipientOutlook[]> {
    const recipients = people.filter((p) => p.active && p.id !== this.member?.person.id);
    const outlook = await deliveryOutlook(
      within?.tx ?? this.deps.db,
      recipients.map((p) => p.id),
      {
        now: this.now,
        policy: this.plan ? policyOf(this.plan) : parseReminderPolicy(null),
        platforms: this.deps.platforms ?? null,
      },
    );
    const requester = this.member?.person.id;
    const notifications: Notification[] = outlook.map(({ person, outcome }) => ({
      personId: person.id,
      kind,
      message: build(messagesFor(person.locale), person),
      ...(requester !== undefined && { requestedById: requester, requesterTold: outcome.kind === "unreachable" }),
    }));
    if (notifications.length) await this.deps.notifier.notify(notifications, within);
    return outlook;
  }

  async notifyCoordinators(
    build: (t: Messages, person: Person) => OutgoingMessage,
    within?: Transaction,
  ): Promise<number> {
    return this.notify(await coordinators(within?.tx ?? this.deps.db), "notification", build, within);
  }

  /** The flow in progress; INVALID_FLOW when what was stored no longer parses (end it, never use it). */
  async flow(): Promise<FlowState | typeof INVALID_FLOW | null> {
    if (!this.member) return null;
    const ahead = this.member.readAhead;
    const flow =
      ahead && "conversation" in ahead
        ? flowOf(ahead.conversation ?? null, this.now)
        : await loadFlow(this.deps.db, this.member.identity.id, this.now);
    this.forgetReadAhead();
    if (flow === INVALID_FLOW)
      this.deps.logger.warn({ identity: this.member.identity.id }, "stored flow state does not parse");
    return flow;
  }

  /** Keeps the flow's next step, with the plan it is about, so the answer is read in that plan. */
  async setFlow(state: FlowStep): Promise<void> {
    this.forgetReadAhead();
    if (this.member) await saveFlow(this.deps.db, this.member.identity.id, state, this.now, this.plan?.code);
  }

  /** Ends `state` for this event only if no other event has acted on it first. */
  async consumeFlow(state: FlowState, within?: Transaction): Promise<boolean> {
    this.forgetReadAhead();
    return this.member ? consumeFlow(within?.tx ?? this.deps.db, this.member.identity.id, state) : false;
  }

  async endFlow(): Promise<void> {
    this.forgetReadAhead();
    if (this.member) await clearFlow(this.deps.db, this.member.identity.id);
  }

  private forgetReadAhead(): void {
    if (this.member?.readAhead) delete this.member.readAhead.conversation;
  }
}

/** Requires a joined, active member; the bot's dispatcher guarantees it for role-gated commands. */
export function memberOf(ctx: Ctx): Member {
  if (!ctx.member) throw new Error("handler needs a member");
  return ctx.member;
}

export function planOf(ctx: Ctx): Plan {
  if (!ctx.plan) throw new Error("handler needs an active plan");
  return ctx.plan;
}
