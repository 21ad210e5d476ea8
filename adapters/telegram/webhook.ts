import type { Update } from "grammy/types";
import type { HttpRoute } from "../../src/delivery/types.ts";
import { sendJson } from "../../src/server/http-server.ts";
import { jsonOf, webhookRoute as route } from "../kit/webhook.ts";
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

export function webhookRoute(t: Telegram, webhook: { url: string; secret: string }): HttpRoute {
  return route({
    path: new URL(webhook.url).pathname,
    secret: { header: SECRET_HEADER, value: webhook.secret },
    // Not while starting or stopping, nor while the database is out: Telegram tries again later.
    accepting: () => t.state === "running" && (t.host.databaseReachable?.() ?? true),
    take(text, _request, response) {
      const update = jsonOf(text);
      if (!isUpdate(update)) return sendJson(response, 400, { ok: false, error: "not_an_update" });
      sendJson(response, 200, { ok: true });
      t.bot
        .handleUpdate(update)
        .catch((error: unknown) => t.logger.error({ err: loggable(error) }, "telegram update failed"));
    },
  });
}
