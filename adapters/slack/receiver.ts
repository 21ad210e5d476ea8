import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseForm } from "node:querystring";
import { HTTPReceiver, isValidSlackRequest, type Logger as BoltLogger } from "@slack/bolt";
import type { HttpRoute } from "../../src/delivery/types.ts";
import type { Logger } from "../../src/lib/logger.ts";
import { sendJson } from "../../src/server/http-server.ts";
import { webhookRoute } from "../kit/webhook.ts";

// Bolt's HTTPReceiver wants its own server; here it is a route on the shared HTTP server instead,
// with the body cap every platform's webhook has. The signature is checked here (Bolt's check, and
// a timestamp as far in the future as Bolt's 5 minutes in the past is refused too, as much a replay
// risk); Bolt's receiver, never started, then parses the request and answers it once a listener acks.
//
// A signature covers the timestamp and the body, so the same signature again is the same request
// sent again: a replay within those 5 minutes. It is acknowledged and not processed twice, by any
// process (the signatures seen are kept with the updates handled). Slack's own retries of events
// come signed anew (a retry 5 minutes later would be stale otherwise); their event_id covers them.

export const SLACK_EVENTS_PATH = "/slack/events";
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

interface ReceiverDeps {
  signingSecret: string;
  logger: Logger;
  boltLogger: BoltLogger;
  /** How long a listener may take to ack (a form waits for the core up to its budget) before Bolt answers 404. */
  ackTimeoutMs: number;
  /** True the first time a request signature is seen, in any process. */
  firstRequest: (signature: string) => Promise<boolean>;
  /** False before the adapter runs and once it stops: 503, and Slack sends the request again. */
  accepting: () => boolean;
}

/** Bolt's receiver, for the app, and the route on the shared server that feeds it; it is never started. */
export function createHttpReceiver(deps: ReceiverDeps): { receiver: HTTPReceiver; route: HttpRoute } {
  const receiver = new HTTPReceiver({
    signingSecret: deps.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    logger: deps.boltLogger,
    // Checked in accepted(), before the signature is remembered.
    signatureVerification: false,
    unhandledRequestTimeoutMillis: deps.ackTimeoutMs,
  });
  const route = webhookRoute({
    path: SLACK_EVENTS_PATH,
    accepting: deps.accepting,
    async take(body, request, response) {
      if (await accepted(deps, request, response, body)) {
        receiver.requestListener(Object.assign(request, { rawBody: Buffer.from(body) }), response);
      }
    },
  });
  return { receiver, route };
}

function signedBySlack(deps: ReceiverDeps, request: IncomingMessage, body: string): boolean {
  const signature = request.headers["x-slack-signature"];
  const timestamp = Number(request.headers["x-slack-request-timestamp"]);
  if (typeof signature !== "string" || !Number.isInteger(timestamp)) return false;
  // Slack signs with real time, whatever the bot's clock says (NOW=…).
  if (timestamp - Date.now() / 1000 > MAX_CLOCK_SKEW_SECONDS) return false;
  const headers = { "x-slack-signature": signature, "x-slack-request-timestamp": timestamp };
  return isValidSlackRequest({ signingSecret: deps.signingSecret, body, headers });
}

/** Answered here, so it goes no further. */
function answered(response: ServerResponse, status: number): false {
  sendJson(response, status, { ok: status === 200 });
  return false;
}

/** True for a signed request seen for the first time; anything else is answered here. */
async function accepted(deps: ReceiverDeps, request: IncomingMessage, response: ServerResponse, body: string) {
  const form = request.headers["content-type"]?.startsWith("application/x-www-form-urlencoded") ?? false;
  // Slack's periodic certificate check is unsigned and carries nothing to process.
  if (form && parseForm(body).ssl_check === "1") return answered(response, 200);
  if (!signedBySlack(deps, request, body)) {
    deps.logger.warn({ path: SLACK_EVENTS_PATH }, "slack request refused: bad or stale signature");
    return answered(response, 401);
  }
  try {
    if (await deps.firstRequest(String(request.headers["x-slack-signature"]))) return true;
    deps.logger.warn({ path: SLACK_EVENTS_PATH }, "slack request ignored: the same signed request came again");
    return answered(response, 200);
  } catch (error) {
    // Unknown whether it was handled: Slack may try again (an event), or the person may.
    deps.logger.error({ err: error }, "slack request refused: could not check it against those handled");
    return answered(response, 503);
  }
}
