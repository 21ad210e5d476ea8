import { webApi } from "@slack/bolt";
import { DeliveryError } from "../../src/delivery/types.ts";

/**
 * Slack's answers that mean the person cannot be reached from this workspace any more (left it,
 * deactivated, the conversation gone or archived): retrying will not help.
 */
export const UNREACHABLE_ERRORS: ReadonlySet<string> = new Set([
  "channel_not_found",
  "user_not_found",
  "account_inactive",
  "is_archived",
  "not_in_channel",
]);

/** The Web API's errors in the outbox's terms. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof webApi.WebAPIRateLimitedError) {
    // The client was told to reject rate-limited calls, so the outbox is the one that waits.
    return new DeliveryError(
      "delivery.rate_limited",
      `slack: ratelimited, retry after ${error.retryAfter} s`,
      Math.max(1, error.retryAfter) * 1000,
    );
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = String(error.data.error);
    if (code === "ratelimited") return new DeliveryError("delivery.rate_limited", "slack: ratelimited", 1000);
    return new DeliveryError(
      UNREACHABLE_ERRORS.has(code) ? "delivery.unreachable" : "delivery.failed",
      `slack: ${code}`,
    );
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    return new DeliveryError("delivery.failed", `slack: HTTP ${error.statusCode}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError("delivery.failed", `slack: ${message}`);
}

/** Seconds Slack asked to wait, when the error is a rate limit. */
export function retryAfterSeconds(error: unknown): number | null {
  if (error instanceof webApi.WebAPIRateLimitedError) return Math.max(1, error.retryAfter);
  if (error instanceof webApi.WebAPIPlatformError && error.data.error === "ratelimited") return 1;
  return null;
}
