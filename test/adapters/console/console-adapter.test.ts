import { PassThrough } from "node:stream";
import { NO_USE_CASES } from "../../helpers/core-standin.ts";
import { createConsoleAdapter } from "../../../adapters/console/console-adapter.ts";
import { runConsoleChat } from "../../../adapters/console/console-chat.ts";
import type { IncomingEvent } from "../../../src/model/bot-core.ts";
import type { OutgoingMessage } from "../../../src/model/messages.ts";
import { runAdapterContract, type ContractHarness, type SentPart } from "../../contract/adapter-contract.ts";

/** Console output back into parts: the text, then the offered choices as "  1) label" lines. */
function parsePart(written: string): SentPart {
  const lines = written.replace(/\n+$/, "").split("\n");
  const choices = [];
  while (lines.length > 0 && /^ {2}\d+\) /.test(lines.at(-1)!))
    choices.unshift(lines.pop()!.replace(/^ {2}\d+\) /, ""));
  return { text: lines.join("\n"), choices: choices.length ? [choices.map((label) => ({ label, value: label }))] : [] };
}

runAdapterContract("console", async (): Promise<ContractHarness> => {
  const received: IncomingEvent[] = [];
  const sent: SentPart[] = [];
  let offered: string[] = [];
  let answers: OutgoingMessage[] = [];
  const input = new PassThrough();
  const identity = { platform: "console", userId: "admin", chatId: "admin", displayName: "Quản trị" };
  let handled: (() => void) | null = null;
  const adapter = createConsoleAdapter({ write: (text) => sent.push(parsePart(text.replace(/^\[→ [^\]]*\] /, ""))) });
  const chat = runConsoleChat({
    core: {
      handle: async (event) => {
        received.push(event);
        return answers;
      },
      ...NO_USE_CASES,
    },
    identity,
    input,
    write: (text) => {
      const part = parsePart(text);
      sent.push(part);
      if (part.choices.length) offered = part.choices.flat().map((c) => c.label);
    },
    afterEach: async () => handled?.(),
  });
  const type = (line: string) =>
    new Promise<void>((resolve) => {
      handled = resolve;
      input.write(`${line}\n`);
    });
  await adapter.start();
  return {
    adapter,
    received,
    answerWith: (replies) => {
      answers = replies;
    },
    // The terminal is one person's private chat: there are no group chats to mark.
    sendCommand: (command, args) => type(`/${command}${args ? ` ${args}` : ""}`),
    sendText: (text) => type(text),
    pressChoice: (label) => type(String(offered.indexOf(label) + 1)),
    sent: () => sent,
    target: { personId: 1, displayName: "Quản trị", platform: "console", userId: "admin", chatId: "admin" },
    close: async () => {
      input.end();
      await chat;
      await adapter.stop();
    },
  };
});
