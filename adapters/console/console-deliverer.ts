import type { OutgoingMessage } from "../../src/core/types.ts";
import type { Deliverer, DeliveryTarget } from "../../src/delivery/types.ts";
import { renderMessage } from "./console-chat.ts";

/** With no platform configured, pushes for other people are shown on stderr, prefixed with the recipient. */
export function createConsoleDeliverer(write: (text: string) => void): Deliverer {
  let sequence = 0;
  return {
    async deliver(target: DeliveryTarget, message: OutgoingMessage) {
      const prefix = `[→ ${target.displayName} #${target.personId} ${target.platform}:${target.userId}] `;
      write(prefix + renderMessage(message).text.replace(/\n(?=.)/g, `\n${" ".repeat(4)}`));
      sequence++;
      return { messageId: `console-${sequence}` };
    },
  };
}
