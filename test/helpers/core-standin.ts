import type { BotCore } from "../../src/model/bot-core.ts";

/** For a stand-in core that only chats: an adapter test that reaches a use case fails loudly. */
export const NO_USE_CASES: Pick<BotCore, "run"> = {
  run: (_from, name) => Promise.reject(new Error(`this stand-in core runs no use case (${name})`)),
};
