import { DeliveryError } from "../../src/delivery/types.ts";

export type ZaloErrorKind = "api" | "http" | "network" | "bad_response" | "timeout";

/**
 * What went wrong on a call. `errorCode` is the API's `error_code`, else the HTTP status; the
 * message never carries the URL, which holds the token.
 */
export class ZaloApiError extends Error {
  constructor(
    readonly method: string,
    readonly kind: ZaloErrorKind,
    readonly errorCode: number | null,
    description: string,
    readonly retryAfterMs?: number,
  ) {
    super(`zalo ${method}: ${errorCode ?? kind} ${description}`.trim());
    this.name = "ZaloApiError";
  }
}

/** getUpdates' "nothing new within the timeout" (seen in the notes), not an error. */
export const POLL_TIMEOUT_CODE = 408;

/** No retry-after was given with a rate limit: wait this long (no limits are published). */
const DEFAULT_RETRY_AFTER_MS = 5000;

/**
 * Delivery errors by the code the API answered with. Zalo publishes no error codes for sending;
 * these are the ones met so far, and where:
 * - 429: no limit is published; the notes say to treat HTTP 429 as "wait and retry" (rate_limited,
 *   with `parameters.retry_after` or the Retry-After header when present);
 * - 403: the Telegram-shaped answer for "this person never wrote to the bot, or blocked it", which
 *   the notes say is required before the bot can write (unreachable). An API answer with another
 *   code is logged with its description, so a code seen in production can be added here;
 * - 401: a wrong token (Zalo may answer it with a page that is not JSON): failed, and logged;
 * - 5xx, a timeout, a network error or an answer of the wrong shape: failed, retried by the outbox.
 */
const UNREACHABLE_CODES = new Set([403]);

/** A 4xx other than a rate limit or a poll's "nothing new": Zalo will say the same until a setting changes. */
export function refused(error: unknown): error is ZaloApiError {
  if (!(error instanceof ZaloApiError) || error.errorCode === null) return false;
  const code = error.errorCode;
  return code >= 400 && code < 500 && code !== 429 && code !== POLL_TIMEOUT_CODE;
}

/** A wrong token: no retry will help. */
export const fatal = (error: unknown) => error instanceof ZaloApiError && error.errorCode === 401;

export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ZaloApiError) {
    if (error.errorCode === 429) {
      return new DeliveryError("delivery.rate_limited", message, error.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS);
    }
    if (error.kind === "api" && error.errorCode !== null && UNREACHABLE_CODES.has(error.errorCode)) {
      // Zalo's 403 is both "never wrote to the bot" and "blocked it"; only a description that
      // says "blocked" tells them apart, so otherwise the reason says it may be either.
      const reason = /\bblock|chặn/i.test(message) ? "blocked" : "not_allowed";
      return new DeliveryError("delivery.unreachable", message, undefined, reason);
    }
    const reason = error.kind === "network" || error.kind === "timeout" ? "network" : "platform_error";
    return new DeliveryError("delivery.failed", message, undefined, reason);
  }
  return new DeliveryError("delivery.failed", message);
}
