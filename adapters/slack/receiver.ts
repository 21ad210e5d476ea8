import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseForm } from "node:querystring";
import type { App, Receiver, ReceiverEvent } from "@slack/bolt";
import type { HttpRoute } from "../../src/delivery/types.ts";
import type { Logger } from "../../src/lib/logger.ts";
import { bodyWithin } from "../kit/body.ts";
import { hmacHex, secretMatches } from "../kit/secret.ts";

// Bolt's HTTPReceiver wants its own server; this one is a route on the shared HTTP server instead.
// Requests are checked the way Slack signs them (v0 HMAC of "v0:timestamp:body" with the signing
// secret, timestamp within 5 minutes either way) before anything is parsed, and an event is
// answered as soon as its listener acks, while the listener's slow work goes on.
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

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reply(response: ServerResponse, status: number, body?: unknown): void {
  if (response.headersSent) return;
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
}

type Body = Record<string, unknown>;

function parseBody(contentType: string | undefined, text: string): Body {
  if (contentType?.startsWith("application/x-www-form-urlencoded")) {
    const form = parseForm(text);
    // Interactivity posts one form field, `payload`, holding JSON; slash commands are plain form fields.
    return typeof form.payload === "string" ? (JSON.parse(form.payload) as Body) : form;
  }
  return JSON.parse(text) as Body;
}

interface ReceiverDeps {
  signingSecret: string;
  logger: Logger;
  /** Keeps the event's processing in the adapter's count of work in flight. */
  track: (work: Promise<unknown>) => void;
  /** True the first time a request signature is seen, in any process. */
  firstRequest: (signature: string) => Promise<boolean>;
  /** Slack signs with real time, whatever the bot's clock says (NOW=…). */
  nowMs: () => number;
}

export function createHttpReceiver(deps: Omit<ReceiverDeps, "nowMs"> & { nowMs?: () => number }): HttpReceiver {
  const checks: ReceiverDeps = { ...deps, nowMs: deps.nowMs ?? Date.now };
  let app: App | null = null;
  let closed = true;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (closed || !app) {
      reply(response, 503);
      return;
    }
    const body = await acceptedBody(checks, request, response);
    if (body) await dispatch(app, checks, { request, response, body });
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
  const signature = header(request, "x-slack-signature");
  const timestamp = Number(header(request, "x-slack-request-timestamp"));
  if (!signature || !Number.isInteger(timestamp)) return false;
  // Stale either way: a timestamp from the future is as much a replay risk as an old one.
  if (Math.abs(deps.nowMs() / 1000 - timestamp) > MAX_CLOCK_SKEW_SECONDS) return false;
  return secretMatches(signature, `v0=${hmacHex(deps.signingSecret, `v0:${timestamp}:${body}`)}`);
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
async function acceptedBody(
  deps: ReceiverDeps,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<Body | null> {
  const text = await bodyWithin(request, response);
  if (text === null) return null;
  const contentType = header(request, "content-type");
  // Slack's periodic certificate check is unsigned and carries nothing to process.
  if (contentType?.startsWith("application/x-www-form-urlencoded") && parseForm(text).ssl_check === "1") {
    reply(response, 200);
    return null;
  }
  if (!signedBySlack(deps, request, text)) {
    deps.logger.warn({ path: SLACK_EVENTS_PATH }, "slack request refused: bad or stale signature");
    reply(response, 401);
    return null;
  }
  if (!(await firstTime(deps, header(request, "x-slack-signature")!, response))) return null;
  let body: Body;
  try {
    body = parseBody(contentType, text);
  } catch {
    reply(response, 400);
    return null;
  }
  if (body.type === "url_verification") {
    reply(response, 200, { challenge: body.challenge });
    return null;
  }
  return body;
}

/** Hands the event to Bolt and answers Slack as soon as a listener acks, or once nothing will. */
async function dispatch(
  processor: App,
  deps: ReceiverDeps,
  exchange: { request: IncomingMessage; response: ServerResponse; body: Body },
): Promise<void> {
  const { request, response, body } = exchange;
  const retryNum = Number(header(request, "x-slack-retry-num"));
  const retryReason = header(request, "x-slack-retry-reason");
  await new Promise<void>((answered) => {
    let acked = false;
    const answer = (payload?: unknown) => {
      acked = true;
      reply(response, 200, payload);
      answered();
    };
    const event: ReceiverEvent = {
      body,
      ...(Number.isInteger(retryNum) && { retryNum }),
      ...(retryReason && { retryReason }),
      ack: async (payload?: unknown) => {
        if (acked) throw new Error("slack: an event was acknowledged twice");
        answer(payload);
      },
    };
    const work = processor
      .processEvent(event)
      .catch((error: unknown) => deps.logger.error({ err: error }, "slack event failed"))
      .finally(() => {
        // Nothing listened (or a listener failed before acking): Slack still needs its 200.
        if (!acked) answer();
      });
    deps.track(work);
  });
}
