// A small Bot API server on 127.0.0.1 for end-to-end tests: the methods the adapter calls, long
// polling with offsets, file downloads, and the error shapes the real API answers with (the HTTP
// status is the error_code, the body {ok: false, error_code, description}).
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update, UserFromGetMe } from "grammy/types";
import type { Json } from "./json.ts";

export interface StandInCall {
  method: string;
  payload: Json;
  /** The message_id given to a sent message. */
  messageId?: number;
  /** When the request reached the stand-in (Date.now()). */
  at: number;
  /**
   * The path before /bot<token>: "" for the plain API root. Bot processes given roots such as
   * `${apiRoot}/p1` are told apart by it.
   */
  via: string;
}

export interface BotApiStandIn {
  /** The value for TELEGRAM_API_ROOT; any path may follow it (see StandInCall.via). */
  apiRoot: string;
  calls: StandInCall[];
  /** Queues an update for getUpdates (it gets the next update_id), and lets its sender be written to. */
  push(update: Omit<Update, "update_id">): Update;
  /** Lets the bot write to this person, as after they wrote first (webhook tests post updates themselves). */
  introduce(userId: number): void;
  /** Resolves with the first call, past or future, that matches. */
  waitFor(what: string, match: (call: StandInCall) => boolean): Promise<StandInCall>;
  /** While on, sendMessage requests are held unanswered; off answers those held. */
  holdSends(on: boolean): void;
  /**
   * Makes a file downloadable: getFile answers with a path, GET /file/... with the bytes (or, given
   * a status, with that status and no bytes: a download that fails).
   */
  addFile(fileId: string, bytes: Buffer, options?: { status?: number }): void;
  /** Paths of the GET /file/... requests, in order. */
  downloads: string[];
  webhook(): { url: string; secret_token?: string } | null;
  close(): Promise<void>;
}

const COMMAND = /^[a-z0-9_]{1,32}$/;
const SECRET = /^[A-Za-z0-9_-]{1,256}$/;

function fail(response: ServerResponse, code: number, description: string, parameters?: object): void {
  response.writeHead(code, { "content-type": "application/json" });
  response.end(JSON.stringify({ ok: false, error_code: code, description, ...(parameters && { parameters }) }));
}

function ok(response: ServerResponse, result: unknown): void {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify({ ok: true, result }));
}

async function readPayload(request: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const type = request.headers["content-type"] ?? "";
  if (type.startsWith("application/json")) return body.length ? JSON.parse(body.toString("utf8")) : {};
  if (type.startsWith("multipart/form-data")) {
    // Text fields only; a file part is recorded by its name.
    const boundary = /boundary=(.+)$/.exec(type)?.[1] ?? "";
    const fields: Json = {};
    for (const part of body.toString("latin1").split(`--${boundary}`)) {
      const name = /name="([^"]+)"/.exec(part)?.[1];
      const filename = /filename="([^"]*)"/.exec(part)?.[1];
      if (!name) continue;
      const value = part.slice(part.indexOf("\r\n\r\n") + 4).replace(/\r\n$/, "");
      fields[name] = filename !== undefined ? { filename } : Buffer.from(value, "latin1").toString("utf8");
    }
    return fields;
  }
  return {};
}

export async function startBotApiStandIn(options: { token: string; bot: UserFromGetMe }): Promise<BotApiStandIn> {
  const { token, bot } = options;
  const calls: StandInCall[] = [];
  const updates: Update[] = [];
  const waiters: { match: (c: StandInCall) => boolean; resolve: (c: StandInCall) => void }[] = [];
  const polls = new Set<() => void>();
  const held: (() => void)[] = [];
  const files = new Map<string, { path: string; bytes: Buffer; status: number }>();
  const downloads: string[] = [];
  /** Private chats the bot may write to: people who wrote to it first. */
  const started = new Set<number>();
  const messages = new Map<string, { chat: object; text?: string }>();
  let holding = false;
  let webhook: { url: string; secret_token?: string } | null = null;
  let nextUpdateId = 900_000;
  let nextMessageId = 1;

  function record(call: StandInCall): void {
    calls.push(call);
    for (const w of waiters.filter((w) => w.match(call))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(call);
    }
  }

  function sentMessage(payload: Json, call: StandInCall) {
    const chatId = Number(payload.chat_id);
    const chat =
      chatId > 0
        ? { id: chatId, type: "private", first_name: "người dùng" }
        : { id: chatId, type: "group", title: "nhóm" };
    call.messageId = nextMessageId++;
    const text = payload.text ?? payload.caption;
    messages.set(`${chatId}:${call.messageId}`, { chat, text });
    return {
      message_id: call.messageId,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username },
      ...(text !== undefined && { text }),
      ...(payload.reply_markup && { reply_markup: payload.reply_markup }),
    };
  }

  function checkKeyboard(payload: Json): string | null {
    const markup = typeof payload.reply_markup === "string" ? JSON.parse(payload.reply_markup) : payload.reply_markup;
    for (const row of markup?.inline_keyboard ?? []) {
      for (const button of row) {
        const bytes = Buffer.byteLength(String(button.callback_data ?? ""));
        if (!button.text) return "Bad Request: text buttons are unallowed in the inline keyboard";
        if (bytes < 1 || bytes > 64) return "Bad Request: BUTTON_DATA_INVALID";
      }
    }
    return null;
  }

  async function handleMethod(
    method: string,
    request: IncomingMessage,
    response: ServerResponse,
    arrival: { at: number; via: string },
  ): Promise<void> {
    const payload = await readPayload(request);
    const call: StandInCall = { method, payload, ...arrival };
    switch (method) {
      case "getMe":
        record(call);
        return ok(response, bot);
      case "setWebhook":
        record(call);
        if (!/^https:\/\//.test(String(payload.url ?? "")))
          return fail(response, 400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
        if (payload.secret_token !== undefined && !SECRET.test(payload.secret_token))
          return fail(response, 400, "Bad Request: secret token contains unallowed characters");
        webhook = { url: payload.url, ...(payload.secret_token && { secret_token: payload.secret_token }) };
        return ok(response, true);
      case "deleteWebhook":
        record(call);
        webhook = null;
        return ok(response, true);
      case "setMyCommands": {
        record(call);
        const list = payload.commands as { command: string; description: string }[];
        if (!Array.isArray(list) || list.length > 100) return fail(response, 400, "Bad Request: too many commands");
        for (const c of list) {
          if (!COMMAND.test(c.command)) return fail(response, 400, "Bad Request: BOT_COMMAND_INVALID");
          if (!c.description || c.description.length > 256)
            return fail(response, 400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
        }
        return ok(response, true);
      }
      case "deleteMyCommands":
        record(call);
        return ok(response, true);
      case "getUpdates": {
        if (webhook) {
          record(call);
          return fail(
            response,
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
          );
        }
        const offset = Number(payload.offset ?? 0);
        const limit = Math.min(100, Number(payload.limit ?? 100));
        // An offset confirms every update before it: they are never handed out again.
        while (updates.length && updates[0]!.update_id < offset) updates.shift();
        const answer = () => ok(response, updates.slice(0, limit));
        record(call);
        if (updates.length) return answer();
        const wake = () => {
          polls.delete(wake);
          clearTimeout(timer);
          while (updates.length && updates[0]!.update_id < offset) updates.shift();
          if (!response.writableEnded && !response.destroyed) answer();
        };
        const timer = setTimeout(wake, Math.min(Number(payload.timeout ?? 0), 30) * 1000);
        polls.add(wake);
        response.on("close", () => {
          polls.delete(wake);
          clearTimeout(timer);
        });
        return;
      }
      case "sendMessage": {
        const chatId = Number(payload.chat_id);
        const text = String(payload.text ?? "");
        // Recorded on arrival, answered now or, while sends are held, later.
        record(call);
        const answer = () => {
          if (chatId > 0 && !started.has(chatId)) return fail(response, 400, "Bad Request: chat not found");
          if (!text.trim()) return fail(response, 400, "Bad Request: message text is empty");
          if (text.length > 4096) return fail(response, 400, "Bad Request: message is too long");
          const invalid = checkKeyboard(payload);
          if (invalid) return fail(response, 400, invalid);
          return ok(response, sentMessage(payload, call));
        };
        if (holding) held.push(answer);
        else answer();
        return;
      }
      case "sendDocument":
      case "sendPhoto": {
        record(call);
        const chatId = Number(payload.chat_id);
        if (chatId > 0 && !started.has(chatId)) return fail(response, 400, "Bad Request: chat not found");
        return ok(response, sentMessage(payload, call));
      }
      case "answerCallbackQuery":
        record(call);
        if (!payload.callback_query_id)
          return fail(
            response,
            400,
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
          );
        return ok(response, true);
      case "editMessageReplyMarkup": {
        record(call);
        const message = messages.get(`${Number(payload.chat_id)}:${Number(payload.message_id)}`);
        if (!message) return fail(response, 400, "Bad Request: message to edit not found");
        return ok(response, {
          message_id: Number(payload.message_id),
          date: 0,
          chat: message.chat,
          text: message.text,
        });
      }
      case "getFile": {
        record(call);
        const file = files.get(String(payload.file_id));
        if (!file) return fail(response, 400, "Bad Request: invalid file_id");
        return ok(response, {
          file_id: payload.file_id,
          file_unique_id: `u-${payload.file_id}`,
          file_size: file.bytes.length,
          file_path: file.path,
        });
      }
      default:
        record(call);
        return fail(response, 404, "Not Found: method not found");
    }
  }

  const server: Server = createServer((request, response) => {
    const at = Date.now();
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const file = /^(\/.*)?\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) {
      downloads.push(file[3]!);
      const found = file[2] === token ? [...files.values()].find((f) => f.path === file[3]) : undefined;
      const status = found?.status ?? 404;
      response.writeHead(status);
      response.end(status === 200 ? found!.bytes : status === 404 ? "Not Found" : "Internal Server Error");
      return;
    }
    const route = /^(\/.*)?\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!route) return fail(response, 404, "Not Found");
    if (route[2] !== token) return fail(response, 401, "Unauthorized");
    handleMethod(route[3]!, request, response, { at, via: route[1] ?? "" }).catch((error: unknown) => {
      if (!response.headersSent) fail(response, 500, `Internal Server Error: ${String(error)}`);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    push(partial) {
      const update = { ...partial, update_id: nextUpdateId++ };
      const from = update.message?.from ?? update.callback_query?.from;
      if (from && (update.message?.chat.type ?? "private") === "private") started.add(from.id);
      updates.push(update);
      for (const wake of [...polls]) wake();
      return update;
    },
    introduce(userId) {
      started.add(userId);
    },
    waitFor(what, match) {
      const found = calls.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.push({ match, resolve });
        // Not a timing assertion: a readable failure instead of the test's own timeout.
        setTimeout(
          () => reject(new Error(`stand-in: no ${what}; calls: ${calls.map((c) => c.method).join(", ")}`)),
          45_000,
        ).unref();
      });
    },
    holdSends(on) {
      holding = on;
      if (!on) held.splice(0).forEach((answer) => answer());
    },
    addFile(fileId, bytes, options) {
      files.set(fileId, { path: `documents/${fileId}.pdf`, bytes, status: options?.status ?? 200 });
    },
    downloads,
    webhook: () => webhook,
    async close() {
      for (const wake of [...polls]) wake();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
