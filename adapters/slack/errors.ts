import { webApi } from "@slack/bolt";
import { DeliveryError } from "../../src/delivery/types.ts";
import type { DeliveryFailureReason } from "../../src/model/messages.ts";

/**
 * Slack's answers that mean the person cannot be reached from this workspace any more (left it,
 * deactivated, the conversation gone or archived): retrying will not help. Each with its reason.
 */
const UNREACHABLE: ReadonlyMap<string, DeliveryFailureReason> = new Map([
  ["account_inactive", "account_gone"],
  ["user_not_found", "account_gone"],
  ["channel_not_found", "chat_gone"],
  ["is_archived", "chat_gone"],
  ["not_in_channel", "chat_gone"],
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
    const reason = UNREACHABLE.get(code);
    return reason
      ? new DeliveryError("delivery.unreachable", `slack: ${code}`, undefined, reason)
      : new DeliveryError("delivery.failed", `slack: ${code}`, undefined, "platform_error");
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    return new DeliveryError("delivery.failed", `slack: HTTP ${error.statusCode}`, undefined, "platform_error");
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof webApi.WebAPIRequestError) {
    return new DeliveryError("delivery.failed", `slack: ${message}`, undefined, "network");
  }
  return new DeliveryError("delivery.failed", `slack: ${message}`);
}
