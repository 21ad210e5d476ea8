// A photo or scan sent with /nopbaocao is kept as bytes in the database, so a coordinator on any
// platform can open it later; a file over 20 MB, or one whose bytes the adapter could not get, is
// refused, the person is told it was not received, and nothing of it is stored.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IncomingAttachment } from "../../src/model/bot-core.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import { vi as viText } from "../../src/i18n/vi.ts";
import { createTestBot, texts, type TestBot } from "../helpers/bot.ts";
import { tableSnapshot } from "../helpers/db.ts";

const labelsOf = (replies: OutgoingMessage[]) => (replies.at(-1)?.choices ?? []).flat().map((c) => c.label);
const valuesOf = (replies: OutgoingMessage[]) => (replies.at(-1)?.choices ?? []).flat().map((c) => c.value);

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

  const sendFile = (user: string, attachment: IncomingAttachment, text = "") =>
    bot.core.handle({ kind: "text", from: bot.identity(user), text, attachment });

  it("takes a file an adapter handed over without bytes as not received, whatever the adapter said", async () => {
    await bot.join("ldld", "IV.8");
    await bot.send("ldld", "/nopbaocao");
    const before = await tableSnapshot(bot.db);
    const replies = await sendFile("ldld", { name: "chi-ten.pdf", ref: "f-3" });
    expect(texts(replies)).toContain('Tệp "chi-ten.pdf" chưa được nhận: hệ thống không tải được tệp về.');
    expect(labelsOf(replies)).toEqual(["Nộp không kèm tệp", "Hủy"]);
    expect(await tableSnapshot(bot.db)).toEqual(before);
    await bot.choose("ldld", "submit:cancel");
  });

  it("keeps the file received before when a second one does not arrive, and says so", async () => {
    await bot.join("thue", "IV.5");
    const first = randomBytes(1024);
    await bot.core.handle({
      kind: "command",
      from: bot.identity("thue"),
      command: "nopbaocao",
      args: "",
      attachment: { name: "ban-dau.pdf", ref: "f-4", content: first },
    });
    const replies = await sendFile("thue", { name: "ban-moi.pdf", ref: "f-5", size: 30_000_000, problem: "too_large" });
    expect(texts(replies)).toBe(
      'Tệp quá lớn (tối đa 20 MB) nên chưa được nhận: "ban-moi.pdf" (28,6 MB). ' +
        "Vui lòng quét lại với độ phân giải thấp hơn hoặc nén tệp PDF cho nhỏ hơn 20 MB, rồi gửi lại.\n" +
        'Báo cáo vẫn kèm tệp "ban-dau.pdf" đã nhận trước đó.',
    );
    expect(labelsOf(replies)).toEqual(["Gửi báo cáo", "Hủy"]);
    expect(valuesOf(replies)).toEqual(["submit:confirm", "submit:cancel"]);
    expect(texts(await bot.choose("thue", "submit:confirm"))).toContain('kèm tệp "ban-dau.pdf"');
    const submission = await bot.db.submission.findFirstOrThrow({
      where: { agency: { code: "IV.5" } },
      include: { attachmentFile: true },
    });
    expect(submission.attachmentName).toBe("ban-dau.pdf");
    expect(Buffer.from(submission.attachmentFile!.content).equals(first)).toBe(true);
    expect(await bot.db.storedFile.count({ where: { name: "ban-moi.pdf" } })).toBe(0);
  });

  it("shows a file received with the command in the preview", async () => {
    await bot.join("xd", "IV.3");
    const replies = await bot.core.handle({
      kind: "command",
      from: bot.identity("xd"),
      command: "nopbaocao",
      args: "",
      attachment: { name: "bc-xd.jpg", ref: "f-6", content: randomBytes(64) },
    });
    expect(texts(replies)).toContain('Tệp kèm: "bc-xd.jpg" (gửi tệp khác nếu cần thay). Xác nhận gửi báo cáo?');
    await bot.choose("xd", "submit:cancel");
  });

  it("answers a file sent outside /nopbaocao, with a report, alone, in the guided report, or by a coordinator", async () => {
    await bot.join("ct", "IV.4");
    const bytes = randomBytes(128);
    const notKept = (name: string) =>
      `Tệp "${name}" chưa được lưu: Nhắc Việc chỉ nhận tệp gửi kèm báo cáo. Để nộp tệp cùng báo cáo, ` +
      "gửi lại tệp với chú thích /nopbaocao (có thể thêm số và ngày văn bản), hoặc gõ /nopbaocao rồi gửi tệp.";
    const withReport = await sendFile("ct", { name: "a.pdf", ref: "f-7", content: bytes }, "IV.4.a xong");
    expect(withReport.map((r) => r.text)).toHaveLength(2);
    expect(withReport[0]!.text).toMatch(/^Đã ghi nhận báo cáo/);
    expect(withReport[1]!.text).toBe(notKept("a.pdf"));

    expect((await sendFile("ct", { name: "b.pdf", ref: "f-8", content: bytes })).map((r) => r.text)).toEqual([
      notKept("b.pdf"),
    ]);

    await bot.send("ct", "/baocao");
    const inReport = await sendFile("ct", { name: "c.pdf", ref: "f-9", problem: "download_failed" }, "IV.4.b");
    expect(inReport.at(-1)!.text).toBe(notKept("c.pdf"));
    await bot.send("ct", "/huy");

    const withCommand = await bot.core.handle({
      kind: "command",
      from: bot.identity("ct"),
      command: "nhiemvu",
      args: "",
      attachment: { name: "d.pdf", ref: "f-10", content: bytes },
    });
    expect(withCommand.at(-1)!.text).toBe(notKept("d.pdf"));

    await bot.join("snv", null, "Anh Minh");
    expect((await sendFile("snv", { name: "e.pdf", ref: "f-11", content: bytes })).map((r) => r.text)).toEqual([
      'Tệp "e.pdf" chưa được lưu: Nhắc Việc chỉ lưu tệp do đầu mối của cơ quan gửi kèm báo cáo.',
    ]);
    expect(
      await bot.db.storedFile.count({ where: { name: { in: ["a.pdf", "b.pdf", "c.pdf", "d.pdf", "e.pdf"] } } }),
    ).toBe(0);
  });

  it("presents a submission with a file name but no stored bytes (an older row) as having no file", async () => {
    await bot.join("cu", "IV.6");
    await bot.send("cu", "/nopbaocao");
    await bot.choose("cu", "submit:confirm");
    await bot.db.submission.updateMany({
      where: { agency: { code: "IV.6" } },
      data: { attachmentName: "cu.pdf", attachmentRef: "old-ref", attachmentFileId: null },
    });
    await bot.join("snv2", null, "Chị Hà");
    expect(texts(await bot.send("snv2", "/tailieu IV.6"))).toBe("IV.6 chưa có báo cáo đã nộp kèm tệp.");
  });

  it("does not read back a preview that kept a file without its bytes (an older state): it ends it and says so", async () => {
    await bot.join("cu2", "IV.7");
    await bot.send("cu2", "/nopbaocao");
    const identity = await bot.db.identity.findFirstOrThrow({ where: { userId: "cu2" } });
    const row = await bot.db.conversation.findUniqueOrThrow({ where: { identityId: identity.id } });
    const data = { ...JSON.parse(row.data), attachment: { name: "x.pdf", ref: "x" } };
    await bot.db.conversation.update({ where: { identityId: identity.id }, data: { data: JSON.stringify(data) } });
    const replies = await bot.choose("cu2", "submit:confirm");
    expect(texts(replies)).toBe(viText.bot.flowInvalid);
    expect(await bot.db.submission.count({ where: { agency: { code: "IV.7" } } })).toBe(0);
  });
});
