// The core's typed use cases (BotCore.run), as a form calls them: typed input in, success or
// errors keyed by field out, in the person's language; the chat's one-line report runs the same code.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBot, texts, type TestBot } from "../helpers/bot.ts";
import { lastReportBy } from "../helpers/bot-steps.ts";
import { tableSnapshot } from "../helpers/db.ts";

describe("typed use cases", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
    await bot.join("uc-bhxh", "IV.4");
    await bot.join("uc-coord", null);
  });
  afterAll(async () => bot.db.$disconnect());

  const run = (user: string) => ({
    report: (input: {
      duty: string;
      status: "done" | "in_progress" | "blocked" | null;
      percent: string | number | null;
      note?: string | null;
    }) => bot.core.run(bot.identity(user), "reportProgress", { note: null, ...input }),
  });

  it("records progress and answers with the chat's echo; the one-line report stores the same row", async () => {
    const result = await run("uc-bhxh").report({
      duty: "IV.4.b",
      status: "in_progress",
      percent: "60%",
      note: "kết nối",
    });
    expect(result.ok).toBe(true);
    expect(texts(result.replies)).toContain("Đã ghi nhận báo cáo:\nIV.4.b");
    const fromForm = await lastReportBy(bot, "uc-bhxh");
    expect(fromForm).toMatchObject({ status: "in_progress", percent: 60, note: "kết nối" });
    await bot.send("uc-bhxh", "IV.4.b 60% đang thực hiện: kết nối");
    const fromChat = await lastReportBy(bot, "uc-bhxh");
    expect({ ...fromChat, id: 0, createdAt: null }).toEqual({ ...fromForm, id: 0, createdAt: null });
  });

  it("refuses by field, in the person's language, and stores nothing", async () => {
    const before = await tableSnapshot(bot.db);
    {
      const range = await run("uc-bhxh").report({ duty: "IV.4.c", status: "in_progress", percent: "150" });
      expect(range).toMatchObject({
        ok: false,
        errors: { percent: expect.stringContaining("Tỷ lệ 150% không hợp lệ") },
      });
      const conflict = await run("uc-bhxh").report({ duty: "IV.4.c", status: "done", percent: 40 });
      expect(conflict.ok ? {} : conflict.errors.percent).toContain("mâu thuẫn");
      const blocked = await run("uc-bhxh").report({ duty: "IV.4.c", status: "blocked", percent: null });
      expect(blocked.ok ? [] : Object.keys(blocked.errors)).toEqual(["note"]);
      const other = await run("uc-bhxh").report({ duty: "IV.2.a", status: "done", percent: null });
      expect(other.ok ? [] : Object.keys(other.errors)).toEqual(["duty"]);
      const notANumber = await run("uc-bhxh").report({ duty: "IV.4.c", status: null, percent: "nhiều" });
      expect(notANumber.ok ? [] : Object.keys(notANumber.errors)).toEqual(["percent"]);
      const figure = await bot.core.run(bot.identity("uc-bhxh"), "recordFigure", {
        indicator: "II.1",
        participants: "nhiều lắm",
      });
      expect(figure.ok ? {} : figure.errors.participants).toContain("không phải số người hợp lệ");
    }
    expect(await tableSnapshot(bot.db)).toEqual(before);
    // A blocked report without its difficulty from a form leaves no question waiting in the chat.
    expect(await bot.db.conversation.count()).toBe(0);
    await bot.send("uc-bhxh", "/ngonngu en");
    const english = await run("uc-bhxh").report({ duty: "IV.4.c", status: "in_progress", percent: "150" });
    expect(english.ok ? "" : english.errors.percent).toContain("150% is not valid");
    await bot.send("uc-bhxh", "/ngonngu vi");
  });

  it("checks its input: a value no form sends is refused on its field, not stored", async () => {
    const wrong = await bot.core.run(bot.identity("uc-bhxh"), "reportProgress", {
      duty: "",
      status: "finished" as never,
      percent: null,
      note: null,
    });
    expect(wrong).toMatchObject({
      ok: false,
      errors: { duty: "Giá trị này không hợp lệ.", status: "Giá trị này không hợp lệ." },
    });
  });

  it("passes the gate of the command it stands for: no field, the reason in the replies", async () => {
    const coordinator = await run("uc-coord").report({ duty: "IV.4.c", status: "done", percent: null });
    expect(coordinator).toMatchObject({ ok: false, errors: {} });
    expect(texts(coordinator.replies)).toContain("/baocao");
    const stranger = await run("uc-nobody").report({ duty: "IV.4.c", status: "done", percent: null });
    expect(stranger).toMatchObject({ ok: false, errors: {} });
    expect(texts(stranger.replies)).toContain("mã mời");
  });

  it("previews a submission with its document, refuses a future date on its field, then sends it once", async () => {
    const from = bot.identity("uc-bhxh");
    const future = await bot.core.run(from, "previewSubmission", {
      documentNumber: "45/BC",
      documentDate: "2030-01-01",
    });
    expect(future.ok ? [] : Object.keys(future.errors)).toEqual(["date"]);
    const spaced = await bot.core.run(from, "previewSubmission", { documentNumber: "45 BC", documentDate: null });
    expect(spaced.ok ? [] : Object.keys(spaced.errors)).toEqual(["number"]);
    const preview = await bot.core.run(from, "previewSubmission", { documentNumber: "45/BC", documentDate: null });
    expect(preview.ok && preview.value).toMatchObject({ confirm: "Gửi báo cáo" });
    expect(preview.ok && preview.value.text).toContain("45/BC");
    const sent = await bot.core.run(from, "confirmSubmission", {});
    expect(sent).toMatchObject({ ok: true, value: { sent: true } });
    const again = await bot.core.run(from, "confirmSubmission", {});
    expect(again).toMatchObject({ ok: true, value: { sent: false, preview: null } });
    expect(await bot.db.submission.count({ where: { documentNumber: "45/BC" } })).toBe(1);
  });

  it("raises a difficulty on a duty of the agency's, refuses another agency's duty on its field", async () => {
    const from = bot.identity("uc-bhxh");
    const other = await bot.core.run(from, "raiseDifficulty", { duty: "IV.2.a", text: "Thiếu dữ liệu" });
    expect(other.ok ? [] : Object.keys(other.errors)).toEqual(["duty"]);
    const empty = await bot.core.run(from, "raiseDifficulty", { duty: null, text: "  " });
    expect(empty.ok ? [] : Object.keys(empty.errors)).toEqual(["text"]);
    const raised = await bot.core.run(from, "raiseDifficulty", { duty: "4b", text: "Thiếu dữ liệu" });
    expect(raised.ok).toBe(true);
    const stored = await bot.db.difficulty.findUniqueOrThrow({
      where: { id: raised.ok ? raised.value.id : -1 },
      include: { duty: true },
    });
    expect(stored).toMatchObject({ text: "Thiếu dữ liệu", duty: { code: "IV.4.b" } });
  });

  it("home: a coordinator's overview, the way in for someone not joined", async () => {
    const coordinator = await bot.core.run(bot.identity("uc-coord"), "home", {});
    expect(texts(coordinator.replies)).toContain("cơ quan đã nộp báo cáo");
    const stranger = await bot.core.run(bot.identity("uc-nobody"), "home", {});
    expect(texts(stranger.replies)).toContain("mã mời");
  });
});
