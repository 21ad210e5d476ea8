import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { BotCore, PlatformIdentity } from "../../src/model/bot-core.ts";
import type { Choice, OutgoingMessage } from "../../src/model/messages.ts";
import { splitMessages } from "../../src/delivery/split-message.ts";
import {
  DeliveryError,
  UNLIMITED,
  UNPACED,
  type AdapterState,
  type DeliveryTarget,
  type PlatformAdapter,
} from "../../src/delivery/types.ts";
import { renderWithFile, toEvent } from "./console-chat.ts";

export const CONSOLE_PLATFORM = "console";

export interface ConsoleSessionDeps {
  /** The person at this terminal: the only one whose pushes it shows. */
  identity: PlatformIdentity;
  write: (text: string) => void;
  /** Where files the bot sends are written; CONSOLE_FILES_DIR unless a test says otherwise. */
  filesDir?: string;
  /** Written whenever the chat waits for a line: for a person at a terminal, not for piped input. */
  prompt?: string;
}

export interface ConsoleChatRun {
  core: BotCore;
  input: Readable;
  /**
   * Runs before the first line is read and after each one: delivers what the line queued, and
   * at the start what waited for this person while they had no session open.
   */
  afterEach?: () => Promise<void>;
}

/** One person's terminal: their chat with the bot, and the channel their pushes arrive through. */
export interface ConsoleSession {
  readonly adapter: PlatformAdapter;
  /** One message per input line, replies on the output; works interactively and piped, ends with the input. */
  run(chat: ConsoleChatRun): Promise<void>;
}

/**
 * A terminal is one person's private chat. Its pushes are printed in it, and their choices are
 * answered there by number as a reply's are; pushes for anyone else wait for that person's own
 * session, as they wait for a platform that runs nowhere.
 */
export function createConsoleSession(deps: ConsoleSessionDeps): ConsoleSession {
  const { identity, write } = deps;
  let offered: Choice[] = [];
  let sequence = 0;
  let state: AdapterState = "idle";
  let waiting = false;

  /** Prints one message; one with choices makes its numbers the ones a typed number picks. */
  function show(message: OutgoingMessage): void {
    const rendered = renderWithFile(message, deps.filesDir);
    write(`${rendered.text}\n`);
    if (rendered.choices.length) offered = rendered.choices;
  }

  const adapter: PlatformAdapter = {
    name: CONSOLE_PLATFORM,
    limits: UNLIMITED,
    pace: UNPACED,
    session: { userId: identity.userId },
    state: () => state,
    async start() {
      state = "running";
    },
    async stop() {
      state = "stopped";
    },
    async deliver(target: DeliveryTarget, message: OutgoingMessage) {
      // Only this person's rows are claimed here (see claim.ts); anything else is a routing fault.
      if (target.userId !== identity.userId) throw new DeliveryError("delivery.failed", "not this session's account");
      // A push comes while the prompt waits: it gets its own lines, and the prompt is shown again.
      if (waiting && deps.prompt) write("\n");
      show(message);
      if (waiting && deps.prompt) write(deps.prompt);
      return { messageId: `console-${++sequence}` };
    },
  };

  async function run(chat: ConsoleChatRun): Promise<void> {
    await chat.afterEach?.();
    // Made only now: lines read before anyone iterates over them would be lost.
    const rl = createInterface({ input: chat.input, crlfDelay: Infinity, terminal: false });
    const ready = () => {
      waiting = true;
      if (deps.prompt) write(deps.prompt);
    };
    ready();
    for await (const line of rl) {
      const event = toEvent(line, identity, offered);
      if (!event) continue;
      waiting = false;
      const replies = await chat.core.handle(event);
      offered = [];
      for (const reply of splitMessages(replies, UNLIMITED.maxMessageLength)) show(reply);
      await chat.afterEach?.();
      ready();
    }
    waiting = false;
  }

  return { adapter, run };
}
