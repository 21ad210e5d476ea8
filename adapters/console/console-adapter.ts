import {
  UNLIMITED,
  UNPACED,
  type AdapterState,
  type DeliveryTarget,
  type PlatformAdapter,
} from "../../src/delivery/types.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import { renderWithFile } from "./console-chat.ts";

export const CONSOLE_PLATFORM = "console";

/**
 * The terminal as a platform. Its chat loop is run by whoever owns the terminal (`npm start` in
 * console mode, `cli chat`); as a delivery channel it prints pushes for other people on stderr,
 * prefixed with the recipient, so a second terminal's contact sees what they would receive.
 */
export function createConsoleAdapter(deps: { write: (text: string) => void; filesDir?: string }): PlatformAdapter {
  let sequence = 0;
  let state: AdapterState = "idle";
  return {
    name: CONSOLE_PLATFORM,
    limits: UNLIMITED,
    pace: UNPACED,
    state: () => state,
    async start() {
      state = "running";
    },
    async stop() {
      state = "stopped";
    },
    async deliver(target: DeliveryTarget, message: OutgoingMessage) {
      // One part of the outbox's split, which an unlimited length leaves whole.
      const prefix = `[→ ${target.displayName} #${target.personId} ${target.platform}:${target.userId}] `;
      deps.write(prefix + renderWithFile(message, deps.filesDir).text.replace(/\n(?=.)/g, `\n${" ".repeat(4)}`));
      sequence++;
      return { messageId: `console-${sequence}` };
    },
  };
}
