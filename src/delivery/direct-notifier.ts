import type { Notifier } from "../core/types.ts";
import type { Db } from "../db.ts";
import type { Logger } from "../logger.ts";
import type { Deliverer } from "./types.ts";

/** Delivers at once to every identity of each person; failures are logged, never thrown at the sender. */
export function createDirectNotifier(deps: { db: Db; deliverer: Deliverer; logger: Logger }): Notifier {
  return {
    async notify(notifications) {
      for (const n of notifications) {
        const person = await deps.db.person.findUnique({ where: { id: n.personId }, include: { identities: true } });
        if (!person?.active) continue;
        for (const identity of person.identities) {
          try {
            await deps.deliverer.deliver(
              {
                personId: person.id,
                displayName: person.displayName,
                platform: identity.platform,
                userId: identity.userId,
                chatId: identity.chatId,
              },
              n.message,
            );
          } catch (error) {
            deps.logger.warn({ err: error, personId: person.id, platform: identity.platform }, "delivery failed");
          }
        }
      }
    },
  };
}
