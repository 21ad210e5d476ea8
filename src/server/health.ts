import type { ServerResponse } from "node:http";
import type { DatabaseKind } from "../db/database-url.ts";
import { providerOf, type Db } from "../db/db.ts";
import type { AdapterState, HttpRoute, PlatformAdapter } from "../delivery/types.ts";
import { sendJson } from "./http-server.ts";

export interface HealthReport {
  status: "ok" | "unavailable" | "starting";
  database: { kind: DatabaseKind; reachable: boolean };
  adapters: Record<string, AdapterState>;
  /** The platform's reason for each `failed` adapter that gave one; the others are not listed. */
  adapterReasons: Record<string, string>;
  outbox: { pending: number; failed: number } | null;
  memory: { rssBytes: number };
}

type AdapterHealth = Pick<PlatformAdapter, "state" | "failure">;

/**
 * What /healthz reports: 200 while the database answers, 503 when it does not. A failed adapter
 * does not make it 503: the process serves the other platforms, and restarting it would not help.
 */
export async function healthReport(db: Db, adapters: Record<string, AdapterHealth>): Promise<HealthReport> {
  const states = Object.fromEntries(Object.entries(adapters).map(([name, a]) => [name, a.state()]));
  const reasons = Object.entries(adapters).flatMap(([name, a]) => {
    const reason = states[name] === "failed" ? a.failure?.() : null;
    return reason ? [[name, reason] as const] : [];
  });
  const adapterReasons = Object.fromEntries(reasons);
  const memory = { rssBytes: process.memoryUsage.rss() };
  const kind = providerOf(db);
  try {
    const [pending, failed] = await Promise.all([
      db.outboxMessage.count({ where: { status: "pending" } }),
      db.outboxMessage.count({ where: { status: "failed" } }),
    ]);
    return {
      status: "ok",
      database: { kind, reachable: true },
      adapters: states,
      adapterReasons,
      outbox: { pending, failed },
      memory,
    };
  } catch {
    return {
      status: "unavailable",
      database: { kind, reachable: false },
      adapters: states,
      adapterReasons,
      outbox: null,
      memory,
    };
  }
}

export function healthRoute(report: () => Promise<HealthReport>): HttpRoute {
  return {
    method: "GET",
    path: "/healthz",
    async handle(_request, response: ServerResponse) {
      const body = await report();
      sendJson(response, body.status === "ok" ? 200 : 503, body);
    },
  };
}

/**
 * What /healthz answers before the database is open (a PostgreSQL server not up yet, migrations):
 * the process is alive but cannot serve, so 503, with nothing it would have to ask the database.
 */
export function startingReport(kind: DatabaseKind): HealthReport {
  return {
    status: "starting",
    database: { kind, reachable: false },
    adapters: {},
    adapterReasons: {},
    outbox: null,
    memory: { rssBytes: process.memoryUsage.rss() },
  };
}
