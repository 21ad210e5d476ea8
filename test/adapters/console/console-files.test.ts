// A terminal shows no spreadsheet or chart: what the bot sends as a file is written under
// data/xuat/ (relative to where the chat runs), and the reply gives the path.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { CONSOLE_FILES_DIR, saveConsoleFile } from "../../../adapters/console/console-chat.ts";
import { createConsoleSession } from "../../../adapters/console/console-adapter.ts";
import type { OutgoingMessage } from "../../../src/model/messages.ts";
import { NO_USE_CASES } from "../../helpers/core-standin.ts";

const csv = (text: string) => ({ name: "tong-hop-2026-12-07.csv", mimeType: "text/csv", content: Buffer.from(text) });

describe("files in the console", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const folder = () => (dir = mkdtempSync(join(tmpdir(), "nhacviec-console-")));

  it("are written under data/xuat by default, and a second file of the same name keeps the first", () => {
    expect(CONSOLE_FILES_DIR).toBe(join("data", "xuat"));
    const out = join(folder(), "xuat");
    const first = saveConsoleFile(csv("một"), out);
    const second = saveConsoleFile(csv("hai"), out);
    expect(first).toBe(join(out, "tong-hop-2026-12-07.csv"));
    expect(second).toBe(join(out, "tong-hop-2026-12-07-2.csv"));
    expect([readFileSync(first, "utf8"), readFileSync(second, "utf8")]).toEqual(["một", "hai"]);
  });

  it("never leave the folder, whatever the name says", () => {
    const out = join(folder(), "xuat");
    const path = saveConsoleFile({ ...csv("x"), name: "../../thoat.csv" }, out);
    expect(path).toBe(join(out, "thoat.csv"));
  });

  it("are saved from a chat reply, which then gives the path", async () => {
    const out = join(folder(), "xuat");
    const input = new PassThrough();
    let written = "";
    const reply: OutgoingMessage = { text: "Tệp tong-hop-2026-12-07.csv đã được lập.", file: csv("Mã,Cơ quan\n") };
    const chat = createConsoleSession({
      identity: { platform: "console", userId: "admin", chatId: "admin", displayName: "Quản trị" },
      write: (text) => (written += text),
      filesDir: out,
    }).run({ core: { handle: async () => [reply], ...NO_USE_CASES }, input });
    input.end("/xuat csv\n");
    await chat;
    const path = join(out, "tong-hop-2026-12-07.csv");
    expect(written).toContain(`đã được lập.\n→ ${path}\n`);
    expect(readFileSync(path, "utf8")).toBe("Mã,Cơ quan\n");
  });

  it("a push with a file is saved too, and a file that cannot be written is said, not lost silently", async () => {
    const out = join(folder(), "xuat");
    const lines: string[] = [];
    const target = { personId: 7, platform: "console", userId: "lan", chatId: "lan", displayName: "Chị Lan" };
    const at = (filesDir: string) =>
      createConsoleSession({ identity: target, write: (t) => lines.push(t), filesDir }).adapter;
    const adapter = at(out);
    await adapter.deliver(target, { text: "Tài liệu của IV.4", file: csv("a") });
    expect(lines[0]).toContain(`→ ${join(out, "tong-hop-2026-12-07.csv")}`);
    // A plain file where the folder should be: the path cannot be made.
    writeFileSync(join(dir, "chan"), "");
    const blocked = at(join(dir, "chan", "xuat"));
    await blocked.deliver(target, { text: "Tài liệu", file: csv("b") });
    expect(lines[1]).toMatch(/→ ✗ tong-hop-2026-12-07\.csv: /);
  });
});
