import { GrammyError, HttpError } from "grammy";
import { DeliveryError } from "../../src/delivery/types.ts";

// What Telegram's refusals mean for a push. A person who blocked the bot, never started it, or
// whose account is gone cannot be reached by retrying; a 429 says when to try again; a server
// error or a network failure is worth retrying later.

const GONE = [/chat not found/i, /PEER_ID_INVALID/i, /user is deactivated/i, /bot was blocked/i];

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
    // 403 is every "Forbidden": blocked, can't initiate conversation, kicked, deactivated.
    if (error.error_code === 403 || (error.error_code === 400 && GONE.some((p) => p.test(error.description)))) {
      return new DeliveryError("delivery.unreachable", message);
    }
    return new DeliveryError("delivery.failed", message);
  }
  if (error instanceof HttpError) return new DeliveryError("delivery.failed", `telegram network: ${error.message}`);
  return new DeliveryError("delivery.failed", error instanceof Error ? error.message : String(error));
}

/** A refusal that no retry will change: the token is wrong or revoked. */
export function isBadToken(error: unknown): boolean {
  return isGrammyError(error, 401) || isGrammyError(error, 404);
}
