import type { HttpRoute } from "../../src/delivery/types.ts";
import { sendJson } from "../../src/server/http-server.ts";
import { bodyWithin } from "../kit/body.ts";
import { secretMatches } from "../kit/secret.ts";
import type { Zalo } from "./context.ts";
import { take } from "./inbound.ts";
import { ZaloUpdateSchema } from "./updates.ts";

// ZALO_WEBHOOK_URL's route on the shared HTTP server: Zalo posts each update with the secret set
// by setWebhook in a header.

const SECRET_HEADER = "x-bot-api-secret-token";

export function webhookRoute(z: Zalo, webhook: { url: string; secret: string }): HttpRoute {
  return {
    method: "POST",
    path: new URL(webhook.url).pathname,
    async handle(request, response) {
      const { stopping } = z;
      if (!secretMatches(request.headers[SECRET_HEADER], webhook.secret)) {
        request.resume();
        return sendJson(response, 401, { error: "unauthorized" });
      }
      if (stopping.signal.aborted || z.host.databaseReachable?.() === false) {
        // Zalo delivers it again later, to this server (or this database) once it is back.
        request.resume();
        return sendJson(response, 503, { error: "stopping" });
      }
      const body = await bodyWithin(request, response);
      if (body === null) return;
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        return sendJson(response, 400, { error: "bad_json" });
      }
      // Some integrators saw the update itself, others wrapped as { ok, result }: both are taken.
      const wrapped = json && typeof json === "object" && "result" in json ? json.result : json;
      const update = ZaloUpdateSchema.safeParse(wrapped);
      if (!update.success) return sendJson(response, 400, { error: "bad_update" });
      // Stopping began while the body was read: what stop() waits for is already settled.
      if (stopping.signal.aborted) return sendJson(response, 503, { error: "stopping" });
      // Answered before it is handled: a photo's download and the replies can take minutes, and Zalo
      // publishes no timeout (a slow answer invites a re-delivery). A re-delivery is recognised by
      // the store; stop() waits for what is in flight.
      sendJson(response, 200, { ok: true });
      void take(z, update.data);
    },
  };
}
