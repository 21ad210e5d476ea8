import { z } from "zod";
import { POLL_TIMEOUT_CODE, ZaloApiError } from "./errors.ts";
import { download, type Fetch } from "./media.ts";
import { Id, ZaloUpdateSchema, type ZaloUpdate } from "./updates.ts";

// A small typed client for the Zalo Bot Platform: `POST {root}/bot{TOKEN}/{method}`, JSON in and
// out. Every answer is checked with a schema; fields we do not use are dropped, and a shape we do
// not expect becomes a ZaloApiError rather than a crash further on. No SDK: the published ones
// are unmaintained or wrap the older Official Account API.

export const DEFAULT_ZALO_API_ROOT = "https://bot-api.zaloplatforms.com";

const Envelope = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().optional(),
  description: z.string().optional(),
  // Not documented for Zalo; read when present, as the Telegram-shaped API would send it.
  parameters: z.object({ retry_after: z.number().optional() }).optional(),
});

const BotInfo = z.object({ id: Id, account_name: z.string().optional(), display_name: z.string().optional() });
const Sent = z.object({ message_id: Id.optional() });
const WebhookInfo = z.object({ url: z.string().optional(), updated_at: z.number().optional() });
const Anything = z.unknown();

export interface ZaloClient {
  getMe(): Promise<{ id: string; name: string | null }>;
  /** One update, or null when the poll timed out with nothing new. */
  getUpdates(options: { timeoutSeconds: number; signal?: AbortSignal }): Promise<ZaloUpdate | null>;
  setWebhook(url: string, secret: string): Promise<void>;
  deleteWebhook(): Promise<void>;
  getWebhookInfo(): Promise<{ url: string | null }>;
  sendMessage(chatId: string, text: string): Promise<{ messageId: string | null }>;
  /** `photo` is a URL Zalo fetches itself before answering. */
  sendPhoto(chatId: string, photo: string, caption?: string): Promise<{ messageId: string | null }>;
  sendChatAction(chatId: string, action: "typing" | "upload_photo"): Promise<void>;
  /**
   * The bytes behind a media URL of an update, reading at most `maxBytes + 1` so that a file over
   * the limit is known to be over it without being read whole.
   */
  download(url: string, maxBytes: number): Promise<{ content: Uint8Array; mimeType: string | null }>;
}

const CALL_TIMEOUT_MS = 30_000;
/** Zalo fetches the photo's URL before it answers sendPhoto. */
const PHOTO_TIMEOUT_MS = 120_000;

function retryAfterOf(response: Response, seconds: number | undefined): number | undefined {
  if (seconds !== undefined) return seconds * 1000;
  const header = Number(response.headers.get("retry-after"));
  return Number.isFinite(header) && header > 0 ? header * 1000 : undefined;
}

interface Connection {
  root: string;
  token: string;
  fetch: Fetch;
}

export function createZaloClient(deps: { token: string; root?: string; fetch?: Fetch }): ZaloClient {
  const connection: Connection = {
    root: (deps.root ?? DEFAULT_ZALO_API_ROOT).replace(/\/+$/, ""),
    token: deps.token,
    fetch: deps.fetch ?? ((input, init) => fetch(input, init)),
  };
  const call = <S extends z.ZodType>(method: string, body: Record<string, unknown>, schema: S, options?: CallOptions) =>
    callZalo(connection, method, body, schema, options);

  return {
    async getMe() {
      const me = await call("getMe", {}, BotInfo);
      return { id: me.id, name: me.account_name ?? me.display_name ?? null };
    },
    async getUpdates({ timeoutSeconds, signal }) {
      try {
        // The timeout goes as a string, as the published integrations send it.
        return await call("getUpdates", { timeout: String(timeoutSeconds) }, ZaloUpdateSchema, {
          timeoutMs: (timeoutSeconds + 15) * 1000,
          ...(signal && { signal }),
        });
      } catch (error) {
        if (error instanceof ZaloApiError && error.errorCode === POLL_TIMEOUT_CODE) return null;
        throw error;
      }
    },
    async setWebhook(url, secret) {
      await call("setWebhook", { url, secret_token: secret }, Anything);
    },
    async deleteWebhook() {
      await call("deleteWebhook", {}, Anything);
    },
    async getWebhookInfo() {
      const info = await call("getWebhookInfo", {}, WebhookInfo);
      return { url: info.url ? info.url : null };
    },
    async sendMessage(chatId, text) {
      const sent = await call("sendMessage", { chat_id: chatId, text }, Sent);
      return { messageId: sent.message_id ?? null };
    },
    async sendPhoto(chatId, photo, caption) {
      const body = { chat_id: chatId, photo, ...(caption && { caption }) };
      const sent = await call("sendPhoto", body, Sent, { timeoutMs: PHOTO_TIMEOUT_MS });
      return { messageId: sent.message_id ?? null };
    },
    async sendChatAction(chatId, action) {
      await call("sendChatAction", { chat_id: chatId, action }, Anything);
    },
    download: (url, maxBytes) => download(connection.fetch, url, maxBytes),
  };
}

interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** One Bot API method: its envelope checked, its refusal as a ZaloApiError, its result as `schema` reads it. */
async function callZalo<S extends z.ZodType>(
  connection: Connection,
  method: string,
  body: Record<string, unknown>,
  schema: S,
  options: CallOptions = {},
): Promise<z.output<S>> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? CALL_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let response: Response;
  try {
    response = await connection.fetch(`${connection.root}/bot${connection.token}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    const timedOut = timeout.aborted && !options.signal?.aborted;
    const detail = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : "";
    throw new ZaloApiError(method, timedOut ? "timeout" : "network", null, detail);
  }
  let parsed: z.infer<typeof Envelope>;
  try {
    const text = await response.text();
    parsed = Envelope.parse(JSON.parse(text));
  } catch {
    // Zalo answers a wrong token with a page that is not JSON (seen by integrators).
    throw new ZaloApiError(
      method,
      response.ok ? "bad_response" : "http",
      response.ok ? null : response.status,
      "unexpected answer",
    );
  }
  if (!parsed.ok) {
    const code = parsed.error_code ?? (response.ok ? null : response.status);
    throw new ZaloApiError(
      method,
      "api",
      code,
      parsed.description ?? "",
      code === 429 || response.status === 429 ? retryAfterOf(response, parsed.parameters?.retry_after) : undefined,
    );
  }
  const result = schema.safeParse(parsed.result);
  if (!result.success) throw new ZaloApiError(method, "bad_response", null, "unexpected result");
  return result.data;
}
