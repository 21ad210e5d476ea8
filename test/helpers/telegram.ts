// Telegram as the tests see it: the bot's getMe, updates as Telegram sends them, and a recorder
// that stands in for the Bot API behind grammY's transformer hook, answering what the real API
// answers for the methods the adapter calls (including its error shapes).
import type { Transformer } from "grammy";
import type { InlineKeyboardMarkup, Message, Update, UserFromGetMe } from "grammy/types";
import type { Json } from "./json.ts";

export const BOT_INFO: UserFromGetMe = {
  id: 7_000_001,
  is_bot: true,
  first_name: "Nhắc Việc",
  username: "NhacViec_Test_Bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

export const TOKEN = "7000001:TEST-token_for-the-stand-in";

export interface Person {
  id: number;
  name: string;
  language?: string;
}

export interface ChatRef {
  id: number;
  type: "private" | "group" | "supergroup";
  title?: string;
}

let nextUpdateId = 1;
let nextMessageId = 1;

export function privateChat(person: Person): ChatRef {
  return { id: person.id, type: "private" };
}

export const GROUP: ChatRef = { id: -100_200_300, type: "supergroup", title: "Sở Nội vụ - đầu mối" };

function chatOf(ref: ChatRef, person: Person): Message["chat"] {
  return ref.type === "private"
    ? { id: ref.id, type: "private", first_name: person.name }
    : { id: ref.id, type: ref.type, title: ref.title ?? "Nhóm" };
}

function userOf(person: Person) {
  return {
    id: person.id,
    is_bot: false,
    first_name: person.name,
    ...(person.language && { language_code: person.language }),
  };
}

/** A text message; a leading /command gets its bot_command entity, as Telegram adds it. */
export function textUpdate(person: Person, text: string, chat: ChatRef = privateChat(person)): Update {
  const command = /^\/[A-Za-z0-9_@]+/.exec(text);
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: nextMessageId++,
      date: 1_764_550_800,
      chat: chatOf(chat, person),
      from: userOf(person),
      text,
      ...(command && { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] }),
    },
  } as Update;
}

/** A document with an optional caption (a /command in the caption is marked like in text). */
export function documentUpdate(
  person: Person,
  document: { fileId: string; name: string; mimeType: string; size: number },
  caption?: string,
): Update {
  const command = caption ? /^\/[A-Za-z0-9_@]+/.exec(caption) : null;
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: nextMessageId++,
      date: 1_764_550_800,
      chat: chatOf(privateChat(person), person),
      from: userOf(person),
      document: {
        file_id: document.fileId,
        file_unique_id: `u-${document.fileId}`,
        file_name: document.name,
        mime_type: document.mimeType,
        file_size: document.size,
      },
      ...(caption && { caption }),
      ...(command && { caption_entities: [{ type: "bot_command", offset: 0, length: command[0].length }] }),
    },
  } as Update;
}

/** A press on a button of a message the bot sent. */
export function pressUpdate(person: Person, carrier: { chatId: number; messageId: number }, data: string): Update {
  return {
    update_id: nextUpdateId++,
    callback_query: {
      id: `cq-${nextUpdateId}`,
      from: userOf(person),
      chat_instance: "ci-1",
      data,
      message: {
        message_id: carrier.messageId,
        date: 1_764_550_800,
        chat: { id: carrier.chatId, type: "private", first_name: person.name },
        text: "…",
      },
    },
  };
}

export interface Call {
  method: string;
  payload: Json;
  /** The message_id the recorder gave a sent message. */
  messageId?: number;
}

export interface ApiError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

export const BLOCKED: ApiError = { error_code: 403, description: "Forbidden: bot was blocked by the user" };
export const CANT_INITIATE: ApiError = {
  error_code: 403,
  description: "Forbidden: bot can't initiate conversation with a user",
};
export const CHAT_NOT_FOUND: ApiError = { error_code: 400, description: "Bad Request: chat not found" };
export const BAD_GATEWAY: ApiError = { error_code: 502, description: "Bad Gateway" };
export const tooMany = (seconds: number): ApiError => ({
  error_code: 429,
  description: `Too Many Requests: retry after ${seconds}`,
  parameters: { retry_after: seconds },
});

const SENDS = new Set(["sendMessage", "sendDocument", "sendPhoto"]);

export interface Recorder {
  transformer: Transformer;
  calls: Call[];
  /** The next call of `method` fails with `error` (in order, one each). */
  failNext(method: string, error: ApiError): void;
  /** getFile answers for this file_id with this path. */
  files: Map<string, string>;
  /** Messages the bot sent, with text (or caption) and keyboard. */
  sent(chatId?: number): { chatId: number; messageId: number; text: string; keyboard?: InlineKeyboardMarkup }[];
  /** Resolves at the next call of `method`. */
  nextCall(method: string): Promise<Call>;
  of(method: string): Call[];
}

/** Records every Bot API call and answers like Telegram, without any network. */
export function createRecorder(): Recorder {
  const calls: Call[] = [];
  const failures: { method: string; error: ApiError }[] = [];
  const waiters: { method: string; resolve: (call: Call) => void }[] = [];
  const files = new Map<string, string>();
  let messageId = 10_000;

  const transformer: Transformer = async (_prev, method, payload) => {
    const call: Call = { method, payload: payload };
    calls.push(call);
    for (const w of waiters.filter((w) => w.method === method)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(call);
    }
    const failure = failures.findIndex((f) => f.method === method);
    if (failure !== -1) {
      const [failed] = failures.splice(failure, 1);
      return { ok: false, ...failed!.error } as never;
    }
    const p = payload as Json;
    if (SENDS.has(method)) {
      call.messageId = ++messageId;
      const text = p.text ?? p.caption;
      const message = {
        message_id: call.messageId,
        date: 1_764_550_800,
        chat: { id: Number(p.chat_id), type: "private", first_name: "x" },
        ...(text !== undefined && { text }),
        ...(p.reply_markup && { reply_markup: p.reply_markup }),
      };
      return { ok: true, result: message } as never;
    }
    if (method === "getMe") return { ok: true, result: BOT_INFO } as never;
    if (method === "getFile") {
      const path = files.get(p.file_id);
      if (!path) return { ok: false, error_code: 400, description: "Bad Request: invalid file_id" } as never;
      return { ok: true, result: { file_id: p.file_id, file_unique_id: `u-${p.file_id}`, file_path: path } } as never;
    }
    if (method === "getUpdates") return { ok: true, result: [] } as never;
    return { ok: true, result: true } as never;
  };

  return {
    transformer,
    calls,
    files,
    failNext: (method, error) => void failures.push({ method, error }),
    of: (method) => calls.filter((c) => c.method === method),
    sent: (chatId) =>
      calls
        .filter((c) => SENDS.has(c.method) && c.messageId !== undefined)
        .filter((c) => chatId === undefined || Number(c.payload.chat_id) === chatId)
        .map((c) => ({
          chatId: Number(c.payload.chat_id),
          messageId: c.messageId!,
          text: String(c.payload.text ?? c.payload.caption ?? ""),
          ...(c.payload.reply_markup && { keyboard: c.payload.reply_markup as InlineKeyboardMarkup }),
        })),
    nextCall: (method) => new Promise((resolve) => waiters.push({ method, resolve })),
  };
}

/** The button with this label (or whose label matches) on the latest message that has one. */
export function findButton(
  recorder: Recorder,
  label: string | RegExp,
  chatId?: number,
): { chatId: number; messageId: number; data: string } {
  const messages = recorder.sent(chatId).reverse();
  for (const message of messages) {
    for (const row of message.keyboard?.inline_keyboard ?? []) {
      for (const button of row) {
        const matches = typeof label === "string" ? button.text === label : label.test(button.text);
        if (matches && "callback_data" in button) {
          return { chatId: message.chatId, messageId: message.messageId, data: button.callback_data };
        }
      }
    }
  }
  throw new Error(`no button ${String(label)} in ${JSON.stringify(messages.map((m) => m.text.slice(0, 60)))}`);
}
