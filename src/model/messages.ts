// What goes out to people, and what can become of it: the core writes these messages, the outbox
// keeps and sends them, every adapter renders them, and the catalogues word the reasons.

export interface Choice {
  label: string;
  /** Opaque to adapters: handed back unchanged in a `choice` event. */
  value: string;
}

export interface OutgoingFile {
  name: string;
  mimeType: string;
  content: Uint8Array;
}

export interface OutgoingMessage {
  text: string;
  /** Rows of buttons. */
  choices?: Choice[][];
  file?: OutgoingFile;
}

export type NotificationKind = "notification" | "nudge" | "reminder" | "digest";

/** A message for someone other than the sender; it goes out through the Notifier. */
export interface Notification {
  personId: number;
  kind: NotificationKind;
  message: OutgoingMessage;
  /** Same key, same message: the outbox sends it at most once. */
  key?: string;
  /** The coordinator whose command causes this push: told if it fails for good. */
  requestedById?: number;
  /** That coordinator already read in the command's reply that it cannot be delivered: not told again. */
  requesterTold?: boolean;
}

/**
 * Why a push did not go out, in the outbox's own words: stored on the outbox row and the account
 * (never the platform's text, which stays in `lastError` and the logs for operators) and shown to
 * coordinators through the catalogues.
 * - blocked: the person blocked the bot;
 * - not_started: the person never wrote to the bot, so the platform lets it write nothing;
 * - not_allowed: one of the two, where the platform does not say which (Zalo's 403);
 * - account_gone: the account was deactivated or deleted, or left the workspace;
 * - chat_gone: the conversation is gone (archived, the bot removed from it);
 * - network: no answer (timeout, connection refused or reset);
 * - platform_error: the platform answered with an error that may pass (5xx) or that nothing here
 *   explains;
 * - rate_limited: the platform asked to slow down (never a final failure);
 * - unknown: anything else, such as an error in the adapter itself.
 */
export const DELIVERY_FAILURE_REASONS = [
  "blocked",
  "not_started",
  "not_allowed",
  "account_gone",
  "chat_gone",
  "network",
  "platform_error",
  "rate_limited",
  "unknown",
] as const;

export type DeliveryFailureReason = (typeof DELIVERY_FAILURE_REASONS)[number];

export function isDeliveryFailureReason(value: unknown): value is DeliveryFailureReason {
  return typeof value === "string" && (DELIVERY_FAILURE_REASONS as readonly string[]).includes(value);
}
