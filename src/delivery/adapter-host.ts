import type { Clock } from "../lib/clock.ts";
import type { BotCore } from "../model/bot-core.ts";
import type { Logger } from "../lib/logger.ts";
import type { Role } from "../model/roles.ts";
import type { AgencyOverview, PersonOverview } from "../services/overview-service.ts";
import type { AdapterStore } from "./adapter-store.ts";
import type { PollLeadership } from "./poll-leader.ts";
import type { OutgoingFile } from "../model/messages.ts";

// What a platform's forms show is read by a service; adapters take its shape from here, never
// from the services themselves.
export type { AgencyOverview, PersonOverview };

/** Files kept in the database for a platform that can only send a link to them (Zalo). */
export interface AdapterFiles {
  /** Keeps the bytes and returns their id. */
  keep(file: OutgoingFile): Promise<number>;
  read(id: number): Promise<OutgoingFile | null>;
}

/** One account on a platform and the person behind it, as far as a platform's menus follow roles. */
export interface PlatformAccount {
  userId: string;
  /** Where pushes go: the private chat the person last wrote from. */
  chatId: string;
  role: Role;
  /** false once the person was deactivated. */
  active: boolean;
  locale: "vi" | "en";
}

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
  files?: AdapterFiles;
  /** The accounts on `platform` of people with one of `roles`, deactivated people included. */
  accounts(platform: string, roles: readonly Role[]): Promise<PlatformAccount[]>;
  /** Absent where nothing reads them; an adapter then falls back to the chat. */
  queries?: AdapterQueries;
  /** Decides which process long-polls a platform; absent means this one always does. */
  polling?: PollLeadership;
  /**
   * False while the database does not answer (PostgreSQL, watched by the app): a webhook then
   * answers 503, so the platform delivers the update again later instead of it being lost here.
   */
  databaseReachable?: () => boolean;
}
