import type { Config } from "../../src/config.ts";
import type { AdapterHost } from "../../src/delivery/adapter-host.ts";
import type { AdapterState, Pace } from "../../src/delivery/types.ts";
import type { Locale, Messages } from "../../src/i18n/index.ts";
import type { Logger } from "../../src/lib/logger.ts";
import type { Dedup } from "../kit/dedup.ts";
import type { InFlight } from "../kit/in-flight.ts";
import type { FileLinks } from "./file-links.ts";
import type { Fetch } from "./media.ts";
import type { ZaloClient } from "./zalo-client.ts";

// What the Zalo adapter's parts share: its settings, its client, and what changes while it runs.
// The factory in zalo-adapter.ts builds it; each concern's file works on it.

export const ZALO_PLATFORM = "zalo";

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

/** The adapter's parts and what changes while it runs, shared by the functions of this folder. */
export interface Zalo {
  deps: ZaloAdapterDeps;
  config: ZaloAdapterDeps["config"];
  host: AdapterHost;
  logger: Logger;
  /** The adapter's own few texts. */
  t: Messages;
  client: ZaloClient;
  links: FileLinks | null;
  inFlight: InFlight;
  dedup: Dedup;
  state: AdapterState;
  /** Why the adapter is `failed`, as Zalo said it (for /healthz). */
  reason: string | null;
  stopping: AbortController;
  running: Promise<void> | null;
  /** The last update of each chat still being handled: the next one of that chat waits for it. */
  chats: Map<string, Promise<void>>;
}

/** Marks the adapter failed, keeping Zalo's words (the error's message never holds the token). */
export function fail(z: Zalo, error: unknown): void {
  z.state = "failed";
  z.reason = error instanceof Error ? error.message.replace(/^zalo /, "") : String(error);
}
