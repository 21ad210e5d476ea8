import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { Config } from "../../src/config.ts";
import {
  MAX_INCOMING_FILE_BYTES,
  type IncomingAttachment,
  type IncomingEvent,
  type PlatformIdentity,
} from "../../src/model/bot-core.ts";
import type { AdapterHost } from "../../src/delivery/adapter-host.ts";
import { commandEvent } from "../../src/core/commands.ts";
import { soleLeadership } from "../../src/delivery/poll-leader.ts";
import { splitText } from "../../src/delivery/split-message.ts";
import {
  DeliveryError,
  type AdapterState,
  type DeliveryTarget,
  type HttpRoute,
  type Pace,
  type PlatformAdapter,
  type PlatformLimits,
} from "../../src/delivery/types.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import { messagesFor, type Locale, type Messages } from "../../src/i18n/index.ts";
import type { Logger } from "../../src/lib/logger.ts";
import { sendJson } from "../../src/server/http-server.ts";
import { createFileLinks, type FileLinks } from "./file-links.ts";
import {
  createZaloClient,
  POLL_TIMEOUT_CODE,
  ZaloApiError,
  ZaloUpdateSchema,
  type Fetch,
  type ZaloClient,
  type ZaloMessage,
  type ZaloUpdate,
} from "./zalo-client.ts";

export const ZALO_PLATFORM = "zalo";
/** sendMessage's and sendPhoto's caption limit. */
export const ZALO_MAX_TEXT = 2000;
/** A webhook body is one small update; anything bigger is not Zalo. */
const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;
const POLL_TIMEOUT_SECONDS = 30;
const BACKOFF_START_MS = 1000;
const BACKOFF_MAX_MS = 30_000;
/** No retry-after was given with a rate limit: wait this long (no limits are published). */
const DEFAULT_RETRY_AFTER_MS = 5000;
/** What Zalo can show from a URL with sendPhoto; anything else goes as a link in the text. */
const PHOTO_TYPES = new Set(["image/png", "image/jpeg"]);

/**
 * Delivery errors by the code the API answered with. Zalo publishes no error codes for sending;
 * these are the ones met so far, and where:
 * - 429: no limit is published; the notes say to treat HTTP 429 as "wait and retry" (rate_limited,
 *   with `parameters.retry_after` or the Retry-After header when present);
 * - 403: the Telegram-shaped answer for "this person never wrote to the bot, or blocked it", which
 *   the notes say is required before the bot can write (unreachable). An API answer with another
 *   code is logged with its description, so a code seen in production can be added here;
 * - 401: a wrong token (Zalo may answer it with a page that is not JSON): failed, and logged;
 * - 5xx, a timeout, a network error or an answer of the wrong shape: failed, retried by the outbox.
 */
const UNREACHABLE_CODES = new Set([403]);

export interface ZaloAdapterDeps {
  config: NonNullable<Config["zalo"]>;
  /** Where this server is reachable from outside; without it files cannot be offered as links. */
  publicBaseUrl?: string | undefined;
  pace: Pace;
  host: AdapterHost;
  fetch?: Fetch;
  /** How long one getUpdates waits for news. */
  pollTimeoutSeconds?: number;
  /** Language of the adapter's own few texts (the core's replies carry their own). */
  locale?: Locale;
  /** How long to wait before setting Zalo up again after the n-th failed try (from 0). */
  reconnectDelayMs?: (attempt: number) => number;
}

export interface ZaloAdapter extends PlatformAdapter {
  /** Handles one update as if it had been polled or posted (tests, and the webhook route). */
  handleUpdate(update: ZaloUpdate): Promise<void>;
  /** Resolves once no update is being handled (a webhook's are handled after its answer). */
  idle(): Promise<void>;
}

/** "1) label" lines under the text, the way the console shows choices. */
export function renderChoices(message: Pick<OutgoingMessage, "text" | "choices">): string {
  const lines = (message.choices ?? []).flat().map((c, i) => `${i + 1}) ${c.label}`);
  return [message.text, ...lines].filter((part) => part.length > 0).join("\n");
}

/** One typed message as an event: a bare number picks the n-th offered choice, "/x args" is a command. */
export function textEvent(text: string, from: PlatformIdentity, offered: readonly string[]): IncomingEvent {
  const trimmed = text.trim();
  if (/^\d{1,3}$/.test(trimmed)) {
    const value = offered[Number(trimmed) - 1];
    if (value !== undefined) return { kind: "choice", from, value };
  }
  if (trimmed.startsWith("/")) {
    const space = trimmed.search(/\s/);
    const command = (space === -1 ? trimmed : trimmed.slice(0, space)).slice(1);
    return commandEvent(from, command, space === -1 ? "" : trimmed.slice(space + 1).trim());
  }
  return { kind: "text", from, text };
}

/** The update's event; without one (seen in polled updates), what its message carries: a photo, or text. */
export function eventNameOf(update: ZaloUpdate): string | undefined {
  if (update.event_name) return update.event_name;
  const message = update.message;
  if (!message) return undefined;
  if (message.photo_url || message.photo) return "message.image.received";
  if (message.text !== undefined) return "message.text.received";
  return "message.unsupported.received";
}

/** The sender's name as Zalo gives it, whichever field it came in; the opaque id only when none did. */
export function displayNameOf(from: ZaloMessage["from"]): string {
  const full = [from.first_name, from.last_name]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(" ");
  return [from.display_name, from.name, full].map((name) => name?.trim()).find(Boolean) ?? from.id;
}

/** A 4xx other than a rate limit or a poll's "nothing new": Zalo will say the same until a setting changes. */
function refused(error: unknown): error is ZaloApiError {
  if (!(error instanceof ZaloApiError) || error.errorCode === null) return false;
  const code = error.errorCode;
  return code >= 400 && code < 500 && code !== 429 && code !== POLL_TIMEOUT_CODE;
}

function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.removeAllListeners("data");
        request.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

const EXTENSIONS: Record<string, string> = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" };

function attachmentName(url: string, messageId: string, mimeType: string | null): string {
  const last = decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");
  if (/^[^/\\]{1,100}\.[A-Za-z0-9]{2,5}$/.test(last)) return last;
  return `zalo-${messageId}.${(mimeType && EXTENSIONS[mimeType]) ?? "jpg"}`;
}

export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ZaloApiError) {
    if (error.errorCode === 429) {
      return new DeliveryError("delivery.rate_limited", message, error.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS);
    }
    if (error.kind === "api" && error.errorCode !== null && UNREACHABLE_CODES.has(error.errorCode)) {
      // Zalo's 403 is both "never wrote to the bot" and "blocked it"; only a description that
      // says "blocked" tells them apart, so otherwise the reason says it may be either.
      const reason = /\bblock|chặn/i.test(message) ? "blocked" : "not_allowed";
      return new DeliveryError("delivery.unreachable", message, undefined, reason);
    }
    const reason = error.kind === "network" || error.kind === "timeout" ? "network" : "platform_error";
    return new DeliveryError("delivery.failed", message, undefined, reason);
  }
  return new DeliveryError("delivery.failed", message);
}

/**
 * The Zalo Bot Platform as a platform adapter: long polling by default, or a webhook on the shared
 * HTTP server when ZALO_WEBHOOK_URL is set. Zalo has no buttons, so choices go out as numbered
 * lines and a reply that is just one of the numbers comes back as that choice; the offer is kept
 * per chat in the database, so it survives a restart and any process can read it.
 */
export function createZaloAdapter(deps: ZaloAdapterDeps): ZaloAdapter {
  const { config, host } = deps;
  const links: FileLinks | null =
    deps.publicBaseUrl && host.files
      ? createFileLinks({ store: host.store, files: host.files, clock: host.clock, publicBaseUrl: deps.publicBaseUrl })
      : null;
  const z: Zalo = {
    deps,
    config,
    host,
    logger: host.logger.child({ platform: ZALO_PLATFORM }),
    t: messagesFor(deps.locale ?? "vi"),
    client: createZaloClient({
      token: config.token,
      ...(config.apiRoot && { root: config.apiRoot }),
      ...(deps.fetch && { fetch: deps.fetch }),
    }),
    links,
    state: "idle",
    reason: null,
    stopping: new AbortController(),
    running: null,
    inFlight: new Set(),
    chats: new Map(),
  };

  return {
    name: ZALO_PLATFORM,
    limits: limitsOf(links),
    pace: deps.pace,
    state: () => z.state,
    failure: () => (z.state === "failed" ? z.reason : null),
    handleUpdate: (update) => track(z, update),
    idle: () => idle(z),
    start: () => start(z),
    async stop() {
      if (z.state === "stopped") return;
      z.state = "stopping";
      z.stopping.abort();
      await z.running;
      await idle(z);
      z.state = "stopped";
    },
    deliver: (target, message) => deliver(z, target, message),
    routes(): HttpRoute[] {
      const routes: HttpRoute[] = [];
      if (config.webhook) {
        const handle = (request: IncomingMessage, response: ServerResponse) => webhook(z, request, response);
        routes.push({ method: "POST", path: new URL(config.webhook.url).pathname, handle });
      }
      if (links) routes.push(links.route());
      return routes;
    },
  };
}

/** The adapter's parts and what changes while it runs, shared by the functions below. */
interface Zalo {
  deps: ZaloAdapterDeps;
  config: ZaloAdapterDeps["config"];
  host: AdapterHost;
  logger: Logger;
  /** The adapter's own few texts. */
  t: Messages;
  client: ZaloClient;
  links: FileLinks | null;
  state: AdapterState;
  /** Why the adapter is `failed`, as Zalo said it (for /healthz). */
  reason: string | null;
  stopping: AbortController;
  running: Promise<void> | null;
  inFlight: Set<Promise<void>>;
  /** The last update of each chat still being handled: the next one of that chat waits for it. */
  chats: Map<string, Promise<void>>;
}

function limitsOf(links: FileLinks | null): PlatformLimits {
  return {
    maxMessageLength: ZALO_MAX_TEXT,
    buttons: false,
    // Choices are numbered lines, and their values stay in the database: nothing limits them.
    maxButtonPayloadBytes: Number.POSITIVE_INFINITY,
    maxButtonsPerRow: Number.POSITIVE_INFINITY,
    maxButtons: Number.POSITIVE_INFINITY,
    files: links !== null,
    groupChats: false,
  };
}

/** Sends a message's text (choices numbered, split at 2,000) and its file; returns the last id. */
async function send(z: Zalo, chatId: string, message: OutgoingMessage): Promise<string | null> {
  const { t, links, client } = z;
  let text = renderChoices(message);
  let photo: string | null = null;
  if (message.file) {
    if (links) {
      const url = await links.linkFor(message.file);
      if (PHOTO_TYPES.has(message.file.mimeType)) photo = url;
      else text = [text, t.zalo.fileLink(message.file.name, url)].filter(Boolean).join("\n\n");
    } else {
      text = [text, t.delivery.fileUnavailable(message.file.name)].filter(Boolean).join("\n\n");
    }
  }
  let messageId: string | null = null;
  // The choices are in the text, so they count toward the limit and end up on the last part.
  for (const part of splitText(text, ZALO_MAX_TEXT).parts) {
    if (part.trim()) messageId = (await client.sendMessage(chatId, part)).messageId;
  }
  if (photo) messageId = (await client.sendPhoto(chatId, photo)).messageId;
  return messageId;
}

const offeredValues = (message: OutgoingMessage) => (message.choices ?? []).flat().map((c) => c.value);

async function reply(z: Zalo, chatId: string, replies: OutgoingMessage[], offered: readonly string[]): Promise<void> {
  // A reply moves the conversation on: its choices replace the offer, and a reply without any
  // withdraws it, so a percent typed next ("3") is not read as an old menu's third line. Stored
  // before sending, so a quick "1" finds it. Saying nothing leaves the offer as it was.
  if (replies.length === 0) return;
  const withChoices = replies.filter((r) => offeredValues(r).length > 0).at(-1);
  const values = withChoices ? offeredValues(withChoices) : [];
  if (values.length !== offered.length || values.some((value, i) => value !== offered[i])) {
    await z.host.store.offerChoices(ZALO_PLATFORM, chatId, values);
  }
  for (const message of replies) {
    try {
      await send(z, chatId, message);
    } catch (error) {
      z.logger.warn({ err: error, chatId }, "reply not delivered");
      return;
    }
  }
}

/** The adapter's own word (a kind of message it cannot read): not a turn of the conversation, so the offer stays. */
async function note(z: Zalo, chatId: string, text: string): Promise<void> {
  await send(z, chatId, { text }).catch((error: unknown) =>
    z.logger.warn({ err: error, chatId }, "note not delivered"),
  );
}

/** The photo with its bytes, or with the reason they could not be had: the core tells the person. */
async function download(z: Zalo, message: ZaloMessage, url: string): Promise<IncomingAttachment> {
  try {
    const { content, mimeType } = await z.client.download(url, MAX_INCOMING_FILE_BYTES);
    const attachment = {
      name: attachmentName(url, message.message_id, mimeType),
      ref: url,
      ...(mimeType && { mimeType }),
    };
    // Over 20 MB only the first bytes were read: none of them are handed on.
    if (content.byteLength > MAX_INCOMING_FILE_BYTES) return { ...attachment, problem: "too_large" };
    return { ...attachment, content };
  } catch (error) {
    z.logger.warn({ err: error, messageId: message.message_id }, "image download failed");
    return { name: attachmentName(url, message.message_id, null), ref: url, problem: "download_failed" };
  }
}

async function handleUpdate(z: Zalo, update: ZaloUpdate): Promise<void> {
  const { host } = z;
  const message = update.message;
  // Events without a message (a follow, say) carry nothing to answer.
  if (!message) return;
  const eventName = eventNameOf(update);
  // Zalo has no update id; an event and its message id name a delivery.
  if (!(await host.store.firstDelivery(ZALO_PLATFORM, `${eventName}:${message.message_id}`))) return;
  const chatId = message.chat.id;
  const from: PlatformIdentity = {
    platform: ZALO_PLATFORM,
    userId: message.from.id,
    chatId,
    displayName: displayNameOf(message.from),
    privateChat: message.chat.chat_type?.toUpperCase() !== "GROUP",
  };
  const offered = await host.store.offeredChoices(ZALO_PLATFORM, chatId);
  let event: IncomingEvent;
  switch (eventName) {
    case "message.text.received": {
      if (!message.text?.trim()) return;
      event = textEvent(message.text, from, offered);
      break;
    }
    case "message.image.received": {
      const url = message.photo_url ?? message.photo ?? message.url;
      if (!url) return;
      void z.client.sendChatAction(chatId, "typing").catch(() => undefined);
      const attachment = await download(z, message, url);
      // A caption is read like a message, but a number under a photo is not a pick.
      const typed = textEvent(message.caption ?? "", from, []);
      event = typed.kind === "choice" || typed.kind === "unknown_command" ? typed : { ...typed, attachment };
      break;
    }
    case "message.sticker.received":
      return;
    default:
      // Voice, files and what Zalo withholds ("unsupported"): say what the bot can read.
      return note(z, chatId, z.t.zalo.unsupported);
  }
  await reply(z, chatId, await host.core.handle(event), offered);
}

/**
 * Handles one update, logging rather than throwing: one bad update must not stop the others. A
 * chat's updates are handled in the order they came (webhook posts are answered before handling).
 */
function track(z: Zalo, update: ZaloUpdate): Promise<void> {
  const { chats, inFlight } = z;
  const chatId = update.message?.chat.id;
  const before = chatId === undefined ? undefined : chats.get(chatId);
  const work = (before ?? Promise.resolve())
    .then(() => handleUpdate(z, update))
    .catch((error: unknown) => z.logger.error({ err: error, event: update.event_name }, "update failed"));
  inFlight.add(work);
  if (chatId !== undefined) chats.set(chatId, work);
  void work.finally(() => {
    inFlight.delete(work);
    if (chatId !== undefined && chats.get(chatId) === work) chats.delete(chatId);
  });
  return work;
}

async function idle(z: Zalo): Promise<void> {
  while (z.inFlight.size > 0) await Promise.allSettled([...z.inFlight]);
}

const fatal = (error: unknown) => error instanceof ZaloApiError && error.errorCode === 401;

/** Marks the adapter failed, keeping Zalo's words (the error's message never holds the token). */
function fail(z: Zalo, error: unknown): void {
  z.state = "failed";
  z.reason = error instanceof Error ? error.message.replace(/^zalo /, "") : String(error);
}

/** A refusal shows as `failed` on /healthz until a retry works; anything else is waited out as `starting`. */
function setupFailed(z: Zalo, error: unknown): void {
  if (refused(error)) {
    // Said at error level once; the retries that follow only repeat it.
    z.logger[z.state === "failed" ? "warn" : "error"]({ err: error }, "Zalo refused the setup; retrying");
    fail(z, error);
  } else {
    z.logger.warn({ err: error }, "Zalo setup failed; retrying");
  }
}

/** Sets up again with a growing pause until it works, the adapter stops, or the token is refused. */
async function retrySetup(z: Zalo): Promise<boolean> {
  const { signal } = z.stopping;
  const reconnectDelayMs =
    z.deps.reconnectDelayMs ?? ((attempt: number) => Math.min(BACKOFF_START_MS * 2 ** attempt, BACKOFF_MAX_MS));
  for (let attempt = 0; !signal.aborted; attempt++) {
    await sleep(reconnectDelayMs(attempt), undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return false;
    try {
      await setup(z);
      return true;
    } catch (error) {
      if (signal.aborted) return false;
      if (fatal(error)) throw error;
      setupFailed(z, error);
    }
  }
  return false;
}

/**
 * Polling and a webhook exclude each other: webhook mode registers the URL and secret, polling
 * removes a webhook left from webhook mode (getUpdates does not work while one is set).
 */
async function setup(z: Zalo): Promise<void> {
  const { config, client, logger } = z;
  if (config.webhook) {
    await client.setWebhook(config.webhook.url, config.webhook.secret);
    return;
  }
  let remove: boolean;
  try {
    remove = (await client.getWebhookInfo()).url !== null;
    if (remove) logger.warn("a webhook was set; removing it to poll");
  } catch (error) {
    if (fatal(error)) throw error;
    // Not knowing must not keep polling from starting: whatever is set is removed all the same.
    logger.warn({ err: error }, "getWebhookInfo could not be read; removing any webhook to poll");
    remove = true;
  }
  if (remove) await client.deleteWebhook();
}

/** Polls while `signal` allows: until stopping, or until this process loses the polling lead. */
async function poll(z: Zalo, signal: AbortSignal): Promise<void> {
  const timeoutSeconds = z.deps.pollTimeoutSeconds ?? POLL_TIMEOUT_SECONDS;
  let backoff = BACKOFF_START_MS;
  while (!signal.aborted) {
    let update: ZaloUpdate | null;
    try {
      update = await z.client.getUpdates({ timeoutSeconds, signal });
      backoff = BACKOFF_START_MS;
    } catch (error) {
      if (signal.aborted) break;
      if (fatal(error)) {
        fail(z, error);
        z.logger.error({ err: error }, "Zalo refused the token; polling stopped");
        return;
      }
      z.logger.warn({ err: error }, "getUpdates failed; retrying");
      await sleep(backoff, undefined, { signal }).catch(() => undefined);
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
      continue;
    }
    if (update) await track(z, update);
  }
}

async function webhook(z: Zalo, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { stopping } = z;
  const given = request.headers["x-bot-api-secret-token"];
  if (typeof given !== "string" || !sameSecret(given, z.config.webhook!.secret)) {
    request.resume();
    return sendJson(response, 401, { error: "unauthorized" });
  }
  if (stopping.signal.aborted || z.host.databaseReachable?.() === false) {
    // Zalo delivers it again later, to this server (or this database) once it is back.
    request.resume();
    return sendJson(response, 503, { error: "stopping" });
  }
  const body = await readBody(request, MAX_WEBHOOK_BODY_BYTES);
  if (!body) return sendJson(response, 413, { error: "too_large" });
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
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
  void track(z, update.data);
}

async function start(z: Zalo): Promise<void> {
  if (z.state !== "idle") return;
  z.state = "starting";
  let ready = false;
  try {
    await setup(z);
    ready = true;
  } catch (error) {
    if (fatal(error)) {
      fail(z, error);
      throw error;
    }
    setupFailed(z, error);
  }
  // The rest runs in the background: a Zalo that is down at start-up must not hold the server.
  z.running = (async () => {
    if (!ready && !(await retrySetup(z))) return;
    if (z.stopping.signal.aborted) return;
    z.state = "running";
    z.reason = null;
    // One poller per bot among all processes: Zalo hands each update to whoever asked.
    if (!z.config.webhook) {
      await (z.host.polling ?? soleLeadership).whileLeader(ZALO_PLATFORM, z.stopping.signal, (signal) =>
        poll(z, signal),
      );
    }
  })().catch((error: unknown) => {
    fail(z, error);
    z.logger.error({ err: error }, "Zalo adapter stopped");
  });
}

async function deliver(z: Zalo, target: DeliveryTarget, message: OutgoingMessage) {
  const values = offeredValues(message);
  // A push with choices (a reminder's "Báo cáo ngay") makes them the ones a number picks; a
  // push without leaves the conversation's offer alone.
  if (values.length > 0) await z.host.store.offerChoices(ZALO_PLATFORM, target.chatId, values);
  try {
    return { messageId: await send(z, target.chatId, message) };
  } catch (error) {
    const mapped = toDeliveryError(error);
    if (mapped.code !== "delivery.rate_limited") {
      z.logger.warn({ err: error, personId: target.personId, code: mapped.code }, "Zalo delivery failed");
    }
    throw mapped;
  }
}
