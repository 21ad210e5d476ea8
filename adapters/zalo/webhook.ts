import type { HttpRoute } from "../../src/delivery/types.ts";
import { sendJson } from "../../src/server/http-server.ts";
import { jsonOf, webhookRoute as route } from "../kit/webhook.ts";
import type { Zalo } from "./context.ts";
import { take } from "./inbound.ts";
import { ZaloUpdateSchema } from "./updates.ts";

// ZALO_WEBHOOK_URL's route on the shared HTTP server: Zalo posts each update with the secret set
// by setWebhook in a header.

const SECRET_HEADER = "x-bot-api-secret-token";

export function webhookRoute(z: Zalo, webhook: { url: string; secret: string }): HttpRoute {
  return route({
    path: new URL(webhook.url).pathname,
    secret: { header: SECRET_HEADER, value: webhook.secret },
    // Zalo delivers it again later, to this server (or this database) once it is back.
    accepting: () => !z.stopping.signal.aborted && z.host.databaseReachable?.() !== false,
    take(body, _request, response) {
      const json = jsonOf(body);
      if (json === undefined) return sendJson(response, 400, { error: "bad_json" });
      // Some integrators saw the update itself, others wrapped as { ok, result }: both are taken.
      const wrapped = json && typeof json === "object" && "result" in json ? json.result : json;
      const update = ZaloUpdateSchema.safeParse(wrapped);
      if (!update.success) return sendJson(response, 400, { error: "bad_update" });
      // Answered before it is handled: a photo's download and the replies can take minutes, and Zalo
      // publishes no timeout (a slow answer invites a re-delivery). A re-delivery is recognised by
      // the store; stop() waits for what is in flight.
      sendJson(response, 200, { ok: true });
      void take(z, update.data);
    },
  });
}
