import type { Clock } from "../clock.ts";
import type { BotCore } from "../core/types.ts";
import type { Logger } from "../logger.ts";
import type { PersonOverview } from "../services/overview-service.ts";
import type { AdapterStore } from "./adapter-store.ts";

/** Read-only views for platforms that show forms (Slack's modals and App Home) before anyone types. */
export interface AdapterQueries {
  personOverview(account: { platform: string; userId: string }): Promise<PersonOverview | null>;
}

/**
 * What the composition root hands every platform adapter: the core to hand events to, the
 * store for what the adapter must remember, a logger and the clock. No business rule is here.
 */
export interface AdapterHost {
  core: BotCore;
  store: AdapterStore;
  logger: Logger;
  clock: Clock;
  /** Absent where nothing reads them; an adapter then falls back to the chat. */
  queries?: AdapterQueries;
}
