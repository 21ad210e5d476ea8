// The kit's body reading over real HTTP: a body within the cap arrives whole, one past it gets 413
// (declared or not), and the connection still carries the answer.
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { bodyWithin, MAX_WEBHOOK_BODY_BYTES } from "../../../adapters/kit/body.ts";
import { createLogger } from "../../../src/lib/logger.ts";
import { createHttpServer, sendJson, type HttpServer } from "../../../src/server/http-server.ts";

const silent = createLogger("silent");
let server: HttpServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

async function serve(maxBytes?: number): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  server = createHttpServer({
    host: "127.0.0.1",
    port: 0,
    logger: silent,
    routes: [
      {
        method: "POST",
        path: "/hook",
        async handle(request, response) {
          const body = await bodyWithin(request, response, maxBytes);
          if (body === null) return;
          bodies.push(body);
          sendJson(response, 200, { ok: true });
        },
      },
    ],
  });
  const { port } = await server.start();
  return { url: `http://127.0.0.1:${port}/hook`, bodies };
}

/** Posts in chunks without a content-length (chunked), as a sender that does not declare it would. */
function postChunked(url: string, chunks: Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "POST" }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe("adapter kit: request bodies", () => {
  it("hands over a body within the cap, exactly as sent", async () => {
    // 17 bytes in UTF-8 (the cap counts bytes, not characters).
    const { url, bodies } = await serve(17);
    const response = await fetch(url, { method: "POST", body: "Nhắc việc ✓" });
    expect(response.status).toBe(200);
    expect(bodies).toEqual(["Nhắc việc ✓"]);
  });

  it("refuses a declared length past the cap with 413, reading none of it", async () => {
    const { url, bodies } = await serve(16);
    const response = await fetch(url, { method: "POST", body: "x".repeat(17) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ ok: false, error: "too_large" });
    expect(bodies).toEqual([]);
  });

  it("refuses an undeclared body with 413 once it passes the cap", async () => {
    const { url, bodies } = await serve(1024);
    const status = await postChunked(url, [Buffer.alloc(1000, 97), Buffer.alloc(1000, 98), Buffer.alloc(1000, 99)]);
    expect(status).toBe(413);
    expect(bodies).toEqual([]);
  });

  it("caps at 1 MiB by default", async () => {
    const { url, bodies } = await serve();
    expect(MAX_WEBHOOK_BODY_BYTES).toBe(1024 * 1024);
    expect((await fetch(url, { method: "POST", body: "y".repeat(MAX_WEBHOOK_BODY_BYTES) })).status).toBe(200);
    expect((await fetch(url, { method: "POST", body: "y".repeat(MAX_WEBHOOK_BODY_BYTES + 1) })).status).toBe(413);
    expect(bodies.map((b) => b.length)).toEqual([MAX_WEBHOOK_BODY_BYTES]);
  });
});
