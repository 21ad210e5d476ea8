import type { IncomingMessage, ServerResponse } from "node:http";
import type { DeliveryFailureReason, OutgoingMessage } from "../model/messages.ts";

// The delivery port: what every platform adapter implements and what the outbox and the
// composition root use. It imports nothing from the core, so the core can depend on it and not
// the other way round; the messages it carries are the model's (model/messages.ts).

/** Where a push goes: one identity of one person on one platform. */
export interface DeliveryTarget {
  personId: number;
  displayName: string;
  platform: string;
  userId: string;
  chatId: string;
}

export type DeliveryErrorCode = "delivery.unreachable" | "delivery.failed" | "delivery.rate_limited";

/**
 * Adapters throw this. `unreachable` means retrying will not help (blocked the bot, never started
 * it); `rate_limited` carries the platform's "retry after" and is not counted as a failed attempt.
 * `reason` says which, in stable words; an adapter that cannot tell leaves it to the code's default.
 */
export class DeliveryError extends Error {
  readonly reason: DeliveryFailureReason;

  constructor(
    readonly code: DeliveryErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    reason?: DeliveryFailureReason,
  ) {
    super(message);
    this.name = "DeliveryError";
    this.reason = reason ?? (code === "delivery.rate_limited" ? "rate_limited" : "unknown");
  }
}

/** What a platform can carry in one message; the shared splitter and the contract suite obey it. */
export interface PlatformLimits {
  /** Characters (UTF-16 code units) of text per message. */
  maxMessageLength: number;
  buttons: boolean;
  /** Bytes of a button's payload (Telegram's callback_data: 64). */
  maxButtonPayloadBytes: number;
  maxButtonsPerRow: number;
  maxButtons: number;
  /** Whether a file can be uploaded; without it the outbox sends a text saying how to get it. */
  files: boolean;
  /** Whether the platform has group chats (the contract suite checks they are marked not private). */
  groupChats: boolean;
  /**
   * Characters the adapter adds to the part that carries a message's choices and file (Zalo's
   * numbered lines, a file's link): the outbox's split leaves that room, so a part is never split again.
   */
  lastPartRoom?: (message: OutgoingMessage) => number;
}

/** How fast a platform accepts pushes: at most `perSecond` overall, one per `perChatMs` to one chat. */
export interface Pace {
  perSecond: number;
  perChatMs: number;
}

/** Sends one part, already within the platform's limits. */
export interface Deliverer {
  deliver(target: DeliveryTarget, message: OutgoingMessage): Promise<{ messageId: string | null }>;
}

export interface HttpRoute {
  method: "GET" | "POST";
  /** Exact path, e.g. "/telegram/webhook". */
  path: string;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void> | void;
}

export type AdapterState = "idle" | "starting" | "running" | "stopping" | "stopped" | "failed";

/**
 * A place that is nobody's private chat but also receives the coordinators' digest (a Slack
 * channel). The reminder engine posts one copy per digest date, in `locale`.
 */
export interface DigestChannel {
  /** Unique among the channels: part of the key that makes the copy go once. */
  readonly name: string;
  readonly locale: "vi" | "en";
  post(message: OutgoingMessage): Promise<void>;
}

/** One platform, as the composition root sees it. */
export interface PlatformAdapter extends Deliverer {
  readonly name: string;
  readonly limits: PlatformLimits;
  readonly pace: Pace;
  /** Starts taking updates (polling, socket); webhooks arrive through `routes`. */
  start(): Promise<void>;
  /** Stops taking updates and waits for the events in flight. */
  stop(): Promise<void>;
  state(): AdapterState;
  /**
   * While `failed`: why, in the platform's words (e.g. setWebhook's refusal), for /healthz. Never
   * a token or a URL that holds one.
   */
  failure?(): string | null;
  routes?(): HttpRoute[];
  /** Set when the platform is configured to get a copy of the coordinators' digest. */
  readonly digestChannel?: DigestChannel;
  /**
   * Set when the channel is one person's own session (a terminal): it reaches that account alone,
   * so it needs no platform lease, and the platform's other accounts wait for their own sessions.
   */
  readonly session?: { readonly userId: string };
}

/** A channel the outbox can send through: a running adapter, or a test's stand-in. */
export type DeliveryChannel = Pick<PlatformAdapter, "name" | "limits" | "pace" | "deliver" | "session">;

/** No limit at all: the terminal. */
export const UNLIMITED: PlatformLimits = {
  maxMessageLength: Number.POSITIVE_INFINITY,
  buttons: true,
  maxButtonPayloadBytes: Number.POSITIVE_INFINITY,
  maxButtonsPerRow: Number.POSITIVE_INFINITY,
  maxButtons: Number.POSITIVE_INFINITY,
  files: false,
  groupChats: false,
};

export const UNPACED: Pace = { perSecond: Number.POSITIVE_INFINITY, perChatMs: 0 };
