// A person at a terminal sees a prompt whenever the chat waits for them; piped input does not, so a
// scripted session's output is the replies alone.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { CONSOLE_PROMPT, promptFor } from "../../../adapters/console/console-chat.ts";
import { createConsoleSession } from "../../../adapters/console/console-adapter.ts";
import { NO_USE_CASES } from "../../helpers/core-standin.ts";

async function session(prompt: string | undefined, lines: string): Promise<string> {
  const input = new PassThrough();
  let written = "";
  const chat = createConsoleSession({
    identity: { platform: "console", userId: "lan", chatId: "lan", displayName: "Chị Lan" },
    write: (text) => (written += text),
    ...(prompt !== undefined && { prompt }),
  }).run({ core: { handle: async (event) => [{ text: `đáp: ${event.kind}` }], ...NO_USE_CASES }, input });
  input.end(lines);
  await chat;
  return written;
}

describe("the console's prompt", () => {
  it("is shown at the start and after each answer", async () => {
    expect(await session("› ", "xin chào\n/trogiup\n")).toBe("› đáp: text\n\n› đáp: command\n\n› ");
  });

  it("is left out without one", async () => {
    expect(await session(undefined, "xin chào\n")).toBe("đáp: text\n\n");
  });

  it("is given to a terminal only", () => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true });
    expect(promptFor(terminal)).toBe(CONSOLE_PROMPT);
    expect(promptFor(new PassThrough())).toBeUndefined();
  });
});
