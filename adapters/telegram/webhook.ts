import type { Update } from "grammy/types";
import type { HttpRoute } from "../../src/delivery/types.ts";
import { sendJson } from "../../src/server/http-server.ts";
import { bodyWithin } from "../kit/body.ts";
import { secretMatches } from "../kit/secret.ts";
import type { Telegram } from "./context.ts";
import { loggable } from "./errors.ts";

// Telegram posts each update to the webhook and waits for the answer; without an answer in time it
// sends the update again. So the route answers as soon as the update is read and checked, and the
// event is handled after that (stop() waits for it).

const SECRET_HEADER = "x-telegram-bot-api-secret-token";

function isUpdate(value: unknown): value is Update {
  return (
    typeof value === "object" && value !== null && Number.isSafeInteger((value as { update_id?: unknown }).update_id)
  );
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function webhookRoute(t: Telegram, webhook: { url: string; secret: string }): HttpRoute {
  // Not while starting or stopping, nor while the database is out: Telegram tries again later.
  const accepting = () => t.state === "running" && (t.host.databaseReachable?.() ?? true);
  return {
    method: "POST",
    path: new URL(webhook.url).pathname,
    async handle(request, response) {
      if (!secretMatches(request.headers[SECRET_HEADER], webhook.secret)) {
        request.resume();
        sendJson(response, 401, { ok: false, error: "unauthorized" });
        return;
      }
      if (!accepting()) {
        request.resume();
        sendJson(response, 503, { ok: false, error: "not_running" });
        return;
      }
      const text = await bodyWithin(request, response);
      if (text === null) return;
      const update = parsed(text);
      if (!isUpdate(update)) {
        sendJson(response, 400, { ok: false, error: "not_an_update" });
        return;
      }
      sendJson(response, 200, { ok: true });
      t.bot
        .handleUpdate(update)
        .catch((error: unknown) => t.logger.error({ err: loggable(error) }, "telegram update failed"));
    },
  };
}
