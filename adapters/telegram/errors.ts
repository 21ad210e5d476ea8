import { BotError, GrammyError, HttpError } from "grammy";
import { DeliveryError } from "../../src/delivery/types.ts";
import type { DeliveryFailureReason } from "../../src/model/messages.ts";

// What Telegram's refusals mean for a push. A person who blocked the bot, never started it, or
// whose account is gone cannot be reached by retrying; a 429 says when to try again; a server
// error or a network failure is worth retrying later.

/**
 * Telegram's descriptions of a refusal no retry will change, and what each means. The API has no
 * codes finer than 400/403, so the description is all there is to tell them apart.
 */
const UNREACHABLE: readonly [RegExp, DeliveryFailureReason][] = [
  [/bot was blocked by the user/i, "blocked"],
  [/can't initiate conversation|bot can't send messages to the user/i, "not_started"],
  // A user id the bot never had a chat with, or one that does not exist.
  [/chat not found|PEER_ID_INVALID/i, "not_started"],
  [/user is deactivated/i, "account_gone"],
  [/bot was kicked|bot is not a member/i, "chat_gone"],
];

function unreachableReason(description: string): DeliveryFailureReason | null {
  return UNREACHABLE.find(([pattern]) => pattern.test(description))?.[1] ?? null;
}

export function isGrammyError(error: unknown, code?: number): error is GrammyError {
  return error instanceof GrammyError && (code === undefined || error.error_code === code);
}

export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof GrammyError) {
    const message = `telegram ${error.method}: ${error.error_code} ${error.description}`;
    if (error.error_code === 429) {
      const seconds = error.parameters.retry_after;
      return new DeliveryError("delivery.rate_limited", message, typeof seconds === "number" ? seconds * 1000 : 1000);
    }
    const reason = unreachableReason(error.description);
    // 403 is every "Forbidden": blocked, can't initiate conversation, kicked, deactivated.
    if (error.error_code === 403 || (error.error_code === 400 && reason)) {
      return new DeliveryError("delivery.unreachable", message, undefined, reason ?? "unknown");
    }
    return new DeliveryError("delivery.failed", message, undefined, "platform_error");
  }
  if (error instanceof HttpError) {
    return new DeliveryError("delivery.failed", `telegram network: ${error.message}`, undefined, "network");
  }
  return new DeliveryError("delivery.failed", error instanceof Error ? error.message : String(error));
}

/** A refusal that no retry will change: the token is wrong or revoked. */
export function isBadToken(error: unknown): boolean {
  return isGrammyError(error, 401) || isGrammyError(error, 404);
}

/** What may go in a log line: never a payload (messages, files) nor a URL (it holds the token). */
export function loggable(error: unknown): unknown {
  if (error instanceof BotError) return loggable(error.error);
  if (error instanceof GrammyError) {
    return { type: "GrammyError", method: error.method, code: error.error_code, description: error.description };
  }
  if (error instanceof HttpError) return { type: "HttpError", message: error.message };
  return error;
}
