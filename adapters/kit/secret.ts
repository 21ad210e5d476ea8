import { createHash, createHmac, timingSafeEqual } from "node:crypto";

// A webhook's secret, or a request's signature, compared in constant time: both sides are hashed
// first, so the digests are of equal length and the comparison takes as long whatever was sent.

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Whether the header carries exactly `expected`; a missing or repeated header never matches. */
export function secretMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/** The hex HMAC-SHA256 of `text` under `key` (Slack's request signatures). */
export function hmacHex(key: string, text: string): string {
  return createHmac("sha256", key).update(text, "utf8").digest("hex");
}
