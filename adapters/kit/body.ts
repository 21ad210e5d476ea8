import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../../src/server/http-server.ts";

// Every platform posts one small update per request. A body past the cap is not from the platform,
// and is refused (413) before it is held in memory; the rest of it is drained unread, so the answer
// still reaches whoever sent it.

/** Telegram's, Slack's and Zalo's updates are a few kilobytes; a modal's state is the largest. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/** The body, or null once it passes `maxBytes` (the rest is drained unread). Rejects if the request fails. */
export function readBody(request: IncomingMessage, maxBytes = MAX_WEBHOOK_BODY_BYTES): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    // A declared length past the cap is refused without reading a byte.
    if (Number(request.headers["content-length"]) > maxBytes) {
      request.resume();
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.off("data", onData);
        request.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/**
 * The body as text, or null when the request is answered already: 413 past the cap, 400 when the
 * request broke off while it was read.
 */
export async function bodyWithin(
  request: IncomingMessage,
  response: ServerResponse,
  maxBytes = MAX_WEBHOOK_BODY_BYTES,
): Promise<string | null> {
  let body: Buffer | null;
  try {
    body = await readBody(request, maxBytes);
  } catch {
    if (!response.headersSent) sendJson(response, 400, { ok: false, error: "bad_request" });
    return null;
  }
  if (body === null) {
    sendJson(response, 413, { ok: false, error: "too_large" });
    return null;
  }
  return body.toString("utf8");
}
