import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { NO_USE_CASES } from "../../helpers/core-standin.ts";
import { createConsoleSession } from "../../../adapters/console/console-adapter.ts";
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
  const session = createConsoleSession({
    identity,
    write: (text) => {
      const part = parsePart(text);
      sent.push(part);
      if (part.choices.length) offered = part.choices.flat().map((c) => c.label);
    },
  });
  const { adapter } = session;
  const chat = session.run({
    core: {
      handle: async (event) => {
        received.push(event);
        return answers;
      },
      ...NO_USE_CASES,
    },
    input,
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

describe("a console session", () => {
  const lan = { platform: "console", userId: "lan", chatId: "lan", displayName: "Chị Lan" };
  const target = { personId: 7, ...lan };

  it("shows a push between two prompts, and a number then picks the push's choice", async () => {
    const input = new PassThrough();
    let written = "";
    const received: IncomingEvent[] = [];
    const session = createConsoleSession({ identity: lan, write: (t) => (written += t), prompt: "› " });
    let started: () => void = () => {};
    const ready = new Promise<void>((resolve) => (started = resolve));
    const chat = session.run({
      core: { handle: async (event) => (received.push(event), [{ text: "đã nhận" }]), ...NO_USE_CASES },
      input,
      afterEach: async () => started(),
    });
    await ready;
    await session.adapter.deliver(target, {
      text: "🔔 Nhắc việc",
      choices: [
        [
          { label: "Báo cáo ngay", value: "start:report" },
          { label: "Nộp báo cáo", value: "start:submit" },
        ],
      ],
    });
    input.end("2\n");
    await chat;
    expect(written).toBe("› \n🔔 Nhắc việc\n  1) Báo cáo ngay\n  2) Nộp báo cáo\n\n› đã nhận\n\n› ");
    expect(received).toEqual([{ kind: "choice", from: lan, value: "start:submit" }]);
  });

  it("is a channel for its own person only: no lease, and another account's push is refused", async () => {
    const { adapter } = createConsoleSession({ identity: lan, write: () => {} });
    expect(adapter.session).toEqual({ userId: "lan" });
    await expect(adapter.deliver({ ...target, userId: "hai", chatId: "hai" }, { text: "x" })).rejects.toThrow(
      "not this session's account",
    );
  });
});
