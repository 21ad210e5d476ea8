// A photo or scan sent with /nopbaocao is kept as bytes in the database, so a coordinator on any
// platform can open it later; a file over 20 MB is refused and nothing is stored.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBot, texts, type TestBot } from "./helpers/bot.ts";
import { tableSnapshot } from "./helpers/db.ts";

describe("files sent with the report", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot({ now: "2026-12-05T09:00" });
    await bot.join("stc", "IV.2", "Đầu mối Sở Tài chính");
  });
  afterAll(async () => bot.db.$disconnect());

  it("stores the scan's bytes with the submission", async () => {
    const content = randomBytes(300 * 1024);
    await bot.core.handle({
      kind: "command",
      from: bot.identity("stc"),
      command: "nopbaocao",
      args: "45/BC-STC 04/12/2026",
      attachment: { name: "bao-cao-ky.jpg", ref: "file-123", mimeType: "image/jpeg", content },
    });
    const confirm = texts(await bot.choose("stc", "submit:confirm"));
    expect(confirm).toContain("bao-cao-ky.jpg");
    const submission = await bot.db.submission.findFirstOrThrow({ include: { attachmentFile: true } });
    expect(submission).toMatchObject({ attachmentName: "bao-cao-ky.jpg", attachmentRef: "file-123" });
    expect(submission.attachmentFile).toMatchObject({
      name: "bao-cao-ky.jpg",
      mimeType: "image/jpeg",
      size: content.length,
    });
    expect(Buffer.from(submission.attachmentFile!.content).equals(content)).toBe(true);
  });

  it("refuses a file over 20 MB and stores nothing", async () => {
    await bot.send("stc", "/nopbaocao");
    const before = await tableSnapshot(bot.db);
    const replies = await bot.core.handle({
      kind: "text",
      from: bot.identity("stc"),
      text: "",
      attachment: { name: "qua-lon.pdf", ref: "f-2", content: new Uint8Array(20 * 1024 * 1024 + 1) },
    });
    expect(texts(replies)).toContain("Tệp quá lớn (tối đa 20 MB)");
    expect(await tableSnapshot(bot.db)).toEqual(before);
  });
});
