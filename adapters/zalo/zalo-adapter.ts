import type { HttpRoute, PlatformAdapter } from "../../src/delivery/types.ts";
import { messagesFor } from "../../src/i18n/index.ts";
import { createDedup } from "../kit/dedup.ts";
import { createInFlight } from "../kit/in-flight.ts";
import { start, stop } from "./connection.ts";
import { ZALO_PLATFORM, type Zalo, type ZaloAdapterDeps } from "./context.ts";
import { createFileLinks, type FileLinks } from "./file-links.ts";
import { take } from "./inbound.ts";
import { deliver, limitsOf } from "./sending.ts";
import { webhookRoute } from "./webhook.ts";
import type { ZaloUpdate } from "./updates.ts";
import { createZaloClient } from "./zalo-client.ts";

// The Zalo Bot Platform as a platform adapter: long polling by default (polling.ts), or a webhook on
// the shared HTTP server when ZALO_WEBHOOK_URL is set (webhook.ts). inbound.ts reads updates,
// sending.ts writes (choices as numbered lines), connection.ts starts and stops.

export interface ZaloAdapter extends PlatformAdapter {
  /** Handles one update as if it had been polled or posted (tests, and the webhook route). */
  handleUpdate(update: ZaloUpdate): Promise<void>;
  /** Resolves once no update is being handled (a webhook's are handled after its answer). */
  idle(): Promise<void>;
}

export function createZaloAdapter(deps: ZaloAdapterDeps): ZaloAdapter {
  const { config, host } = deps;
  const links: FileLinks | null =
    deps.publicBaseUrl && host.files
      ? createFileLinks({ store: host.store, files: host.files, clock: host.clock, publicBaseUrl: deps.publicBaseUrl })
      : null;
  const logger = host.logger.child({ platform: ZALO_PLATFORM });
  const client = createZaloClient({
    token: config.token,
    ...(config.apiRoot && { root: config.apiRoot }),
    ...(deps.fetch && { fetch: deps.fetch }),
  });
  const z: Zalo = {
    deps,
    config,
    host,
    logger,
    t: messagesFor(deps.locale ?? "vi"),
    client,
    links,
    inFlight: createInFlight(),
    dedup: createDedup({ store: host.store, platform: ZALO_PLATFORM, logger }),
    state: "idle",
    reason: null,
    stopping: new AbortController(),
    running: null,
    chats: new Map(),
  };

  return {
    name: ZALO_PLATFORM,
    limits: limitsOf(z),
    pace: deps.pace,
    state: () => z.state,
    failure: () => (z.state === "failed" ? z.reason : null),
    handleUpdate: (update) => take(z, update),
    idle: () => z.inFlight.drained(),
    start: () => start(z),
    stop: () => stop(z),
    deliver: (target, message) => deliver(z, target, message),
    routes(): HttpRoute[] {
      const routes: HttpRoute[] = [];
      if (config.webhook) routes.push(webhookRoute(z, config.webhook));
      if (links) routes.push(links.route());
      return routes;
    },
  };
}
