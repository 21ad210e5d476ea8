import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Update } from "grammy/types";
import type { HttpRoute } from "../../src/delivery/types.ts";
import { sendJson } from "../../src/server/http-server.ts";

// Telegram posts each update to the webhook and waits for the answer; without an answer in time it
// sends the update again. So the route answers as soon as the update is read and checked, and the
// event is handled after that.

/** Updates are small; a body this large is not from Telegram. */
const MAX_BODY_BYTES = 1024 * 1024;

export const SECRET_HEADER = "x-telegram-bot-api-secret-token";

function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(secret, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function isUpdate(value: unknown): value is Update {
  return (
    typeof value === "object" && value !== null && Number.isSafeInteger((value as { update_id?: unknown }).update_id)
  );
}

export function webhookRoute(deps: {
  path: string;
  secret: string;
  /** Whether updates can be taken now (false while starting or stopping: Telegram tries again later). */
  accepting: () => boolean;
  /** Takes the update; called after the answer is sent, and not awaited. */
  take: (update: Update) => void;
}): HttpRoute {
  return {
    method: "POST",
    path: deps.path,
    async handle(request, response) {
      if (!secretMatches(request.headers[SECRET_HEADER], deps.secret)) {
        request.resume();
        sendJson(response, 401, { ok: false, error: "unauthorized" });
        return;
      }
      if (!deps.accepting()) {
        request.resume();
        sendJson(response, 503, { ok: false, error: "not_running" });
        return;
      }
      let update: unknown;
      try {
        update = JSON.parse(await readBody(request));
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          sendJson(response, 413, { ok: false, error: "too_large" });
          return;
        }
        update = null;
      }
      if (!isUpdate(update)) {
        sendJson(response, 400, { ok: false, error: "not_an_update" });
        return;
      }
      sendJson(response, 200, { ok: true });
      deps.take(update);
    },
  };
}
