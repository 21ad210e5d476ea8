import type { IncomingMessage, ServerResponse } from "node:http";
import type { HttpRoute } from "../../src/delivery/types.ts";
import { sendJson } from "../../src/server/http-server.ts";
import { bodyWithin } from "./body.ts";
import { secretMatches } from "./secret.ts";

// A platform's webhook on the shared HTTP server. Whatever the platform, a request without the
// webhook's secret gets 401, one that comes while the adapter takes no updates 503 (the platform
// sends it again later) and a body past the cap 413; the body that is left is the platform's.

export interface Webhook {
  path: string;
  /** The header that carries the secret the platform was given; none where the platform signs instead. */
  secret?: { header: string; value: string };
  /** False while starting or stopping, or while the database is out. */
  accepting: () => boolean;
  /** Answers the body, read within the cap. */
  take: (body: string, request: IncomingMessage, response: ServerResponse) => Promise<void> | void;
}

function refuse(request: IncomingMessage, response: ServerResponse, status: number, error: string): void {
  // Read to the end unread, so that the answer reaches whoever sent it.
  request.resume();
  sendJson(response, status, { ok: false, error });
}

export function webhookRoute(webhook: Webhook): HttpRoute {
  const { secret } = webhook;
  return {
    method: "POST",
    path: webhook.path,
    async handle(request, response) {
      if (secret && !secretMatches(request.headers[secret.header], secret.value)) {
        return refuse(request, response, 401, "unauthorized");
      }
      if (!webhook.accepting()) return refuse(request, response, 503, "not_running");
      const body = await bodyWithin(request, response);
      if (body === null) return;
      // Stopping began while the body was read: what stop() waits for is already settled.
      if (!webhook.accepting()) return sendJson(response, 503, { ok: false, error: "not_running" });
      await webhook.take(body, request, response);
    },
  };
}

/** The body as JSON, or undefined when it is not JSON. */
export function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
