// A stand-in for the Zalo Bot Platform on 127.0.0.1, answering the methods the adapter uses the
// way the notes (shared/notes/zalo-bot-api.md) describe the real one: `POST /bot{TOKEN}/{method}`,
// `{ok, result}` or `{ok: false, error_code, description}`, getUpdates handing out ONE update or
// 408 when the wait ends with nothing new, sendPhoto fetching the photo's URL before answering,
// a wrong token answered with a page that is not JSON, and no writing to a person who never wrote
// to the bot. Zalo publishes no code for that last refusal; 403 is the Telegram-shaped one the
// adapter maps (see UNREACHABLE_CODES).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ZaloCall {
  method: string;
  body: Record<string, unknown>;
}

export interface SentToChat {
  method: "sendMessage" | "sendPhoto";
  chatId: string;
  text: string;
  photo?: string;
  /** sendPhoto: what the photo's URL answered when the stand-in fetched it. */
  fetched?: { status: number; bytes: Buffer; contentType: string | null };
}

export interface Failure {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ZaloStandIn {
  root: string;
  token: string;
  calls: ZaloCall[];
  /** What reached people, in order. */
  sent(chatId?: string): SentToChat[];
  /** Builds a text update from `user` (its chat id is `chat-<user>`), with a fresh message id. */
  text(user: string, text: string, options?: { group?: boolean; name?: string }): Update;
  image(user: string, photoUrl: string, caption?: string): Update;
  /** Queues an update for getUpdates; resolves once the adapter took it and came back for more. */
  post(update: Update): Promise<void>;
  /** Lets the bot write to this chat, as if the person had written first. */
  allowChat(chatId: string): void;
  /** The next call of `method` fails like this. */
  failNext(method: string, failure: Failure): void;
  /** Every call of `method` fails like this from now on, until called again with null. */
  failAlways(method: string, failure: Failure | null): void;
  /**
   * Holds the next media download unanswered, as a slow CDN would: `requested` resolves once it
   * arrived, `release` answers it.
   */
  holdNextMedia(): { requested: Promise<void>; release(): void };
  /** Serves `bytes` at a media URL, as Zalo's CDN serves a photo someone sent; a status other than 200 fails it. */
  media(name: string, bytes: Buffer, contentType: string, status?: number): string;
  /** Resolves once a call matching `test` has arrived (now or later). */
  waitForCall(test: (call: ZaloCall) => boolean): Promise<ZaloCall>;
  webhook(): { url: string; secret: string } | null;
  close(): Promise<void>;
}

export interface Update {
  /** Left out by one copy of Zalo's documents for polled updates. */
  event_name?: string;
  message: {
    message_id: string;
    from: { id: string; display_name?: string; first_name?: string; last_name?: string; is_bot: boolean };
    chat: { id: string; chat_type: "PRIVATE" | "GROUP" };
    date: number;
    text?: string;
    photo_url?: string;
    caption?: string;
  };
}

const MAX_TEXT = 2000;

export async function startZaloStandIn(options: { token?: string } = {}): Promise<ZaloStandIn> {
  const token = options.token ?? "12345:standin-token";
  const calls: ZaloCall[] = [];
  const sent: SentToChat[] = [];
  const allowed = new Set<string>();
  const queue: { update: Update; taken: () => void }[] = [];
  /** Updates handed out whose adapter has not come back yet. */
  let handedOut: (() => void)[] = [];
  let waitingPoll: { respond: (update: Update | null) => void } | null = null;
  const failures = new Map<string, Failure[]>();
  const standingFailures = new Map<string, Failure>();
  let mediaHold: { arrived: () => void; released: Promise<void> } | null = null;
  const mediaFiles = new Map<string, { bytes: Buffer; contentType: string; status: number }>();
  const callWaiters: { test: (c: ZaloCall) => boolean; resolve: (c: ZaloCall) => void }[] = [];
  let registered: { url: string; secret: string } | null = null;
  let sequence = 0;
  let root = "";

  const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  };
  const ok = (response: ServerResponse, result: unknown) => json(response, 200, { ok: true, result });
  const error = (response: ServerResponse, status: number, description: string) =>
    json(response, status, { ok: false, error_code: status, description });

  function record(call: ZaloCall): void {
    calls.push(call);
    for (const w of callWaiters.filter((w) => w.test(call))) {
      callWaiters.splice(callWaiters.indexOf(w), 1);
      w.resolve(call);
    }
  }

  function handOut(respond: (update: Update | null) => void): boolean {
    const next = queue.shift();
    if (!next) return false;
    handedOut.push(next.taken);
    respond(next.update);
    return true;
  }

  async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  async function api(method: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readJson(request);
    record({ method, body });
    const failure = failures.get(method)?.shift() ?? standingFailures.get(method);
    if (failure) return json(response, failure.status, failure.body, failure.headers);
    switch (method) {
      case "getMe":
        return ok(response, {
          id: "bot-1",
          account_name: "Bot Nhắc Việc",
          account_type: "BASIC",
          can_join_groups: false,
        });
      case "getWebhookInfo":
        return ok(response, { url: registered?.url ?? "", updated_at: Date.now() });
      case "setWebhook": {
        const secret = String(body.secret_token ?? "");
        // The notes: the URL must be HTTPS.
        if (!String(body.url ?? "").startsWith("https://")) return error(response, 400, "webhook url must be https");
        if (secret.length < 8 || secret.length > 256) return error(response, 400, "secret_token must be 8-256 chars");
        registered = { url: String(body.url), secret };
        return ok(response, { url: registered.url, updated_at: Date.now() });
      }
      case "deleteWebhook":
        registered = null;
        return ok(response, { url: "", updated_at: Date.now() });
      case "getUpdates": {
        // Coming back for more means the update handed out before was handled.
        const done = handedOut;
        handedOut = [];
        done.forEach((taken) => taken());
        if (registered) return error(response, 409, "webhook is active");
        const respond = (update: Update | null) => {
          if (update) ok(response, update);
          // "Nothing new": ok false with 408, answered with HTTP 200 as integrators read it.
          else json(response, 200, { ok: false, error_code: 408, description: "Request timeout" });
        };
        if (handOut(respond)) return;
        const seconds = Number(body.timeout ?? 30);
        const poll = { respond };
        waitingPoll = poll;
        const timer = setTimeout(() => {
          if (waitingPoll === poll) waitingPoll = null;
          respond(null);
        }, seconds * 1000);
        // The adapter gave up (stopping): forget the poll.
        response.on("close", () => {
          clearTimeout(timer);
          if (waitingPoll === poll) waitingPoll = null;
        });
        poll.respond = (update) => {
          clearTimeout(timer);
          respond(update);
        };
        return;
      }
      case "sendChatAction":
        return ok(response, true);
      case "sendMessage":
      case "sendPhoto": {
        const chatId = String(body.chat_id ?? "");
        const text = String((method === "sendMessage" ? body.text : body.caption) ?? "");
        if (method === "sendMessage" && text.length === 0) return error(response, 400, "text is required");
        if (text.length > MAX_TEXT) return error(response, 400, "text is too long");
        if (!allowed.has(chatId)) return error(response, 403, "user has not interacted with the bot");
        const entry: SentToChat = { method, chatId, text };
        if (method === "sendPhoto") {
          entry.photo = String(body.photo ?? "");
          // Zalo fetches the photo before it answers.
          try {
            const fetched = await fetch(entry.photo);
            entry.fetched = {
              status: fetched.status,
              bytes: Buffer.from(await fetched.arrayBuffer()),
              contentType: fetched.headers.get("content-type"),
            };
          } catch {
            return error(response, 400, "photo url is not reachable");
          }
          if (entry.fetched.status !== 200) return error(response, 400, "photo url is not reachable");
        }
        sent.push(entry);
        return ok(response, { message_id: `sent-${++sequence}`, date: Date.now() });
      }
      default:
        return error(response, 404, "method not found");
    }
  }

  async function serveMedia(name: string, response: ServerResponse): Promise<void> {
    const hold = mediaHold;
    mediaHold = null;
    if (hold) {
      hold.arrived();
      await hold.released;
    }
    const file = mediaFiles.get(name);
    if (!file) return error(response, 404, "no such media");
    if (file.status !== 200) return error(response, file.status, "media unavailable");
    response.writeHead(200, { "content-type": file.contentType, "content-length": String(file.bytes.length) });
    response.end(file.bytes);
  }

  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const media = /^\/media\/(.+)$/.exec(path);
    if (request.method === "GET" && media) return void serveMedia(decodeURIComponent(media[1]!), response);
    const call = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(path);
    if (request.method !== "POST" || !call) return error(response, 404, "not found");
    if (call[1] !== token) {
      request.resume();
      response.writeHead(401, { "content-type": "text/html" });
      response.end("<html><body>Unauthorized</body></html>");
      return;
    }
    api(call[2]!, request, response).catch((e: unknown) => {
      if (!response.headersSent) error(response, 500, String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function message(user: string, options: { group?: boolean; name?: string } = {}): Update["message"] {
    const chatId = options.group ? `group-${user}` : `chat-${user}`;
    return {
      message_id: `msg-${++sequence}`,
      from: { id: `user-${user}`, display_name: options.name ?? user, is_bot: false },
      chat: { id: chatId, chat_type: options.group ? "GROUP" : "PRIVATE" },
      date: Date.now(),
    };
  }

  return {
    root,
    token,
    calls,
    sent: (chatId) => (chatId === undefined ? sent : sent.filter((s) => s.chatId === chatId)),
    text: (user, text, options) => ({
      event_name: "message.text.received",
      message: { ...message(user, options), text },
    }),
    image: (user, photoUrl, caption) => ({
      event_name: "message.image.received",
      message: { ...message(user), photo_url: photoUrl, ...(caption !== undefined && { caption }) },
    }),
    post: (update) =>
      new Promise<void>((taken) => {
        // Writing to the bot is what lets it write back.
        if (update.message?.chat?.id) allowed.add(update.message.chat.id);
        queue.push({ update, taken });
        if (waitingPoll) {
          const poll = waitingPoll;
          waitingPoll = null;
          handOut(poll.respond);
        }
      }),
    allowChat: (chatId) => allowed.add(chatId),
    failNext: (method, failure) => failures.set(method, [...(failures.get(method) ?? []), failure]),
    failAlways: (method, failure) => {
      if (failure) standingFailures.set(method, failure);
      else standingFailures.delete(method);
    },
    holdNextMedia: () => {
      let arrived!: () => void;
      let release!: () => void;
      const requested = new Promise<void>((resolve) => (arrived = resolve));
      mediaHold = { arrived, released: new Promise<void>((resolve) => (release = resolve)) };
      return { requested, release };
    },
    media: (name, bytes, contentType, status = 200) => {
      mediaFiles.set(name, { bytes, contentType, status });
      return `${root}/media/${encodeURIComponent(name)}`;
    },
    waitForCall: (test) => {
      const found = calls.find(test);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => callWaiters.push({ test, resolve }));
    },
    webhook: () => registered,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
