import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseForm } from "node:querystring";
import { HTTPModuleFunctions, isValidSlackRequest, type App, type Receiver } from "@slack/bolt";
import type { HttpRoute } from "../../src/delivery/types.ts";
import type { Logger } from "../../src/lib/logger.ts";
import { bodyWithin } from "../kit/body.ts";

// Bolt's HTTPReceiver wants its own server; this one is a route on the shared HTTP server instead,
// with the body cap every platform's webhook has. Bolt checks the signature (and that the timestamp
// is under 5 minutes old); a timestamp as far in the future is refused here, as much a replay risk.
// An event is answered as soon as its listener acks, while the listener's slow work goes on.
//
// A signature covers the timestamp and the body, so the same signature again is the same request
// sent again: a replay within those 5 minutes. It is acknowledged and not processed twice, by any
// process (the signatures seen are kept with the updates handled). Slack's own retries of events
// come signed anew (a retry 5 minutes later would be stale otherwise); their event_id covers them.

export const SLACK_EVENTS_PATH = "/slack/events";
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export interface HttpReceiver extends Receiver {
  route(): HttpRoute;
  /** Takes requests from now on; before, they get 503 and Slack sends them again. */
  open(): void;
  /** Refuses new requests (503) from now on; the events in flight go on. */
  close(): void;
}

interface ReceiverDeps {
  signingSecret: string;
  logger: Logger;
  /** Keeps the event's processing in the adapter's count of work in flight. */
  track: (work: Promise<unknown>) => void;
  /** True the first time a request signature is seen, in any process. */
  firstRequest: (signature: string) => Promise<boolean>;
}

type Body = Record<string, unknown>;

function reply(response: ServerResponse, status: number, body?: unknown): null {
  if (response.headersSent) return null;
  if (body === undefined || body === "") {
    response.writeHead(status);
    response.end();
  } else if (typeof body === "string") {
    response.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
    response.end(body);
  } else {
    response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    response.end(JSON.stringify(body));
  }
  return null;
}

function parseBody(form: boolean, text: string): Body {
  if (!form) return JSON.parse(text) as Body;
  const fields = parseForm(text);
  // Interactivity posts one form field, `payload`, holding JSON; slash commands are plain form fields.
  return typeof fields.payload === "string" ? (JSON.parse(fields.payload) as Body) : fields;
}

export function createHttpReceiver(deps: ReceiverDeps): HttpReceiver {
  let app: App | null = null;
  let closed = true;
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (closed || !app) {
      reply(response, 503);
      return;
    }
    const body = await acceptedBody(deps, request, response);
    if (body) await dispatch(app, deps, { request, response, body });
  }
  return {
    init(bolt: App) {
      app = bolt;
    },
    // The shared HTTP server listens; the adapter's start and stop open and close this route.
    start: async () => undefined,
    stop: async () => undefined,
    open() {
      closed = false;
    },
    close() {
      closed = true;
    },
    route: () => ({ method: "POST", path: SLACK_EVENTS_PATH, handle }),
  };
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

/** False (and answered) for a signature seen before, or when that cannot be known. */
async function firstTime(deps: ReceiverDeps, signature: string, response: ServerResponse): Promise<boolean> {
  try {
    if (await deps.firstRequest(signature)) return true;
    deps.logger.warn({ path: SLACK_EVENTS_PATH }, "slack request ignored: the same signed request came again");
    reply(response, 200);
  } catch (error) {
    // Unknown whether it was handled: Slack may try again (an event), or the person may.
    deps.logger.error({ err: error }, "slack request refused: could not check it against those handled");
    reply(response, 503);
  }
  return false;
}

/** The body of a signed request seen for the first time; null when the request is answered already. */
async function acceptedBody(deps: ReceiverDeps, request: IncomingMessage, response: ServerResponse) {
  const text = await bodyWithin(request, response);
  if (text === null) return null;
  const form = request.headers["content-type"]?.startsWith("application/x-www-form-urlencoded") ?? false;
  // Slack's periodic certificate check is unsigned and carries nothing to process.
  if (form && parseForm(text).ssl_check === "1") return reply(response, 200);
  if (!signedBySlack(deps, request, text)) {
    deps.logger.warn({ path: SLACK_EVENTS_PATH }, "slack request refused: bad or stale signature");
    return reply(response, 401);
  }
  if (!(await firstTime(deps, String(request.headers["x-slack-signature"]), response))) return null;
  let body: Body;
  try {
    body = parseBody(form, text);
  } catch {
    return reply(response, 400);
  }
  if (body.type === "url_verification") return reply(response, 200, { challenge: body.challenge });
  return body;
}

/** Hands the event to Bolt and answers Slack as soon as a listener acks, or once nothing will. */
async function dispatch(
  processor: App,
  deps: ReceiverDeps,
  exchange: { request: IncomingMessage; response: ServerResponse; body: Body },
): Promise<void> {
  const { request, response, body } = exchange;
  const retryNum = HTTPModuleFunctions.extractRetryNumFromHTTPRequest(request);
  const retryReason = HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(request);
  await new Promise<void>((answered) => {
    let acked = false;
    const answer = (payload?: unknown) => {
      acked = true;
      reply(response, 200, payload);
      answered();
    };
    const ack = async (payload?: unknown) => {
      if (acked) throw new Error("slack: an event was acknowledged twice");
      answer(payload);
    };
    const work = processor
      .processEvent({ body, ack, ...(Number.isInteger(retryNum) && { retryNum }), ...(retryReason && { retryReason }) })
      .catch((error: unknown) => deps.logger.error({ err: error }, "slack event failed"))
      .finally(() => {
        // Nothing listened (or a listener failed before acking): Slack still needs its 200.
        if (!acked) answer();
      });
    deps.track(work);
  });
}
