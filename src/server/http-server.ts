import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { HttpRoute } from "../delivery/types.ts";
import type { Logger } from "../lib/logger.ts";

export interface HttpServer {
  /** Listens and resolves with the bound address (port 0 picks a free one). */
  start(): Promise<{ host: string; port: number }>;
  /** Stops accepting connections and closes idle ones; requests in progress finish. */
  stop(): Promise<void>;
  /** Adds the routes that could not exist at first (the adapters' webhooks, once the app is open). */
  add(routes: HttpRoute[]): void;
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  response.end(text);
}

/**
 * One HTTP server per process for health checks and every adapter's webhooks. Routes match on
 * method and exact path (a GET route answers HEAD too); anything else is 404, and a route that
 * throws is a 500 with no detail.
 */
export function createHttpServer(deps: {
  host: string;
  port: number;
  routes: HttpRoute[];
  logger: Logger;
  /** Until add() is called, a path without a route answers 503 (try again), not 404: its route may be coming. */
  awaitingRoutes?: boolean;
}): HttpServer {
  const table = new Map(deps.routes.map((r) => [`${r.method} ${r.path}`, r]));
  let awaiting = deps.awaitingRoutes === true;
  let server: Server | null = null;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    // HEAD is GET without the body (Node's response drops it): link checkers and previews ask first.
    const route =
      table.get(`${request.method} ${path}`) ?? (request.method === "HEAD" ? table.get(`GET ${path}`) : undefined);
    if (!route) {
      if (awaiting) sendJson(response, 503, { error: "starting" });
      else sendJson(response, 404, { error: "not_found" });
      return;
    }
    try {
      await route.handle(request, response);
    } catch (error) {
      deps.logger.error({ err: error, path }, "http route failed");
      if (!response.headersSent) sendJson(response, 500, { error: "internal" });
      else response.end();
    }
  }

  return {
    add(routes) {
      for (const r of routes) table.set(`${r.method} ${r.path}`, r);
      awaiting = false;
    },
    start: () =>
      new Promise((resolve, reject) => {
        server = createServer((request, response) => void handle(request, response));
        server.once("error", reject);
        server.listen(deps.port, deps.host, () => {
          const address = server!.address() as AddressInfo;
          resolve({ host: address.address, port: address.port });
        });
      }),
    stop: () =>
      new Promise((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
