import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../../src/lib/clock.ts";
import type { AdapterFiles } from "../../src/delivery/adapter-host.ts";
import type { AdapterStore } from "../../src/delivery/adapter-store.ts";
import type { HttpRoute } from "../../src/delivery/types.ts";
import type { OutgoingFile } from "../../src/model/messages.ts";
import { sendJson } from "../../src/server/http-server.ts";

// Zalo takes no uploads: a file goes out as a link to this server. The link names a StoredFile
// row and an expiry, signed with a key kept in the database, so every process can check a link
// any other made, and nobody can reach a file by counting ids or stretch a link's life.

export const FILE_ROUTE_PATH = "/zalo/files";
export const FILE_LINK_TTL_MS = 24 * 60 * 60 * 1000;
const SIGNING_KEY_SETTING = "files.signing-key";
const TOKEN = /^(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export interface FileLinks {
  /** Keeps the file and returns a URL that serves it for 24 hours. */
  linkFor(file: OutgoingFile): Promise<string>;
  /** The longest URL linkFor returns (twelve digits each for the id and the expiry). */
  maxUrlLength: number;
  route(): HttpRoute;
}

export function createFileLinks(deps: {
  store: AdapterStore;
  files: AdapterFiles;
  clock: Clock;
  publicBaseUrl: string;
}): FileLinks {
  const base = deps.publicBaseUrl.replace(/\/+$/, "");
  let key: Promise<Buffer> | null = null;

  async function loadKey(): Promise<Buffer> {
    const stored = await deps.store.getSetting(SIGNING_KEY_SETTING);
    if (stored) return Buffer.from(stored, "base64url");
    await deps.store.setSetting(SIGNING_KEY_SETTING, randomBytes(32).toString("base64url"));
    // Read back: if another process created one at the same moment, both settle on the stored one.
    return Buffer.from((await deps.store.getSetting(SIGNING_KEY_SETTING))!, "base64url");
  }

  function signingKey(): Promise<Buffer> {
    key ??= loadKey().catch((error: unknown) => {
      key = null;
      throw error;
    });
    return key;
  }

  const signature = (secret: Buffer, id: string, expires: string) =>
    createHmac("sha256", secret).update(`zalo-file:${id}.${expires}`).digest();

  async function verify(token: string): Promise<number | null> {
    const match = TOKEN.exec(token);
    if (!match) return null;
    const [, id, expires, given] = match as unknown as [string, string, string, string];
    // Compared as the exact text this server writes: decoding first would let the 2 unused bits of
    // the last character spell the same signature 4 ways. Both are 43 ASCII characters (TOKEN).
    const expected = Buffer.from(signature(await signingKey(), id, expires).toString("base64url"), "ascii");
    const actual = Buffer.from(given, "ascii");
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
    if (Number(expires) * 1000 <= deps.clock.now().getTime()) return null;
    return Number(id);
  }

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const token = new URL(request.url ?? "/", "http://localhost").searchParams.get("t") ?? "";
    const id = await verify(token);
    const file = id === null ? null : await deps.files.read(id);
    // Expired, altered, made up or gone: all look the same from outside.
    if (!file) return sendJson(response, 404, { error: "not_found" });
    const inline = file.mimeType.startsWith("image/");
    response.writeHead(200, {
      "content-type": file.mimeType,
      "content-length": String(file.content.byteLength),
      "content-disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    });
    response.end(file.content);
  }

  return {
    async linkFor(file) {
      const id = String(await deps.files.keep(file));
      const expires = String(Math.floor((deps.clock.now().getTime() + FILE_LINK_TTL_MS) / 1000));
      const sig = signature(await signingKey(), id, expires).toString("base64url");
      return `${base}${FILE_ROUTE_PATH}?t=${id}.${expires}.${sig}`;
    },
    maxUrlLength: `${base}${FILE_ROUTE_PATH}?t=`.length + 12 + 1 + 12 + 1 + 43,
    route: () => ({ method: "GET", path: FILE_ROUTE_PATH, handle: serve }),
  };
}
