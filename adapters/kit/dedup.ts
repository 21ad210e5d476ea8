import type { AdapterStore } from "../../src/delivery/adapter-store.ts";
import type { Logger } from "../../src/lib/logger.ts";

// Platforms deliver again what they think went unanswered (Telegram and Slack after a slow answer,
// a restarted poll its last batch, Zalo a webhook call). What was handled is remembered in the
// host's store, so a delivery is handled once by whichever process gets it first.

export interface Dedup {
  /** True the first time `key` is seen on this platform, by any process; a repeat is logged. */
  first(key: string, fields?: Record<string, unknown>): Promise<boolean>;
}

export function createDedup(deps: {
  store: Pick<AdapterStore, "firstDelivery">;
  platform: string;
  logger: Logger;
}): Dedup {
  return {
    async first(key, fields = {}) {
      if (await deps.store.firstDelivery(deps.platform, key)) return true;
      deps.logger.info({ platform: deps.platform, ...fields }, "delivery already handled");
      return false;
    },
  };
}
