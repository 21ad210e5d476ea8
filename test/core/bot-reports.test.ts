import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBotCore } from "../../src/core/bot.ts";
import { createTestBot, texts, type TestBot } from "../helpers/bot.ts";
import {
  agencyId,
  agencyStatus,
  choiceLabels,
  choiceValues,
  dutyId,
  expectNothingStored,
  lastReportBy,
  notificationsDuring,
  personOf,
  reportsBy,
  rowChanges,
  sendVia,
} from "../helpers/bot-steps.ts";
import { tableSnapshot } from "../helpers/db.ts";

const IV4_DUTIES = ["IV.4.a", "IV.4.b", "IV.4.c", "IV.4.d", "IV.4.đ", "IV.4.e", "IV.4.g"];

describe("guided report (/baocao)", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
  });
  afterAll(async () => bot.db.$disconnect());

  async function conversationOf(user: string) {
    const person = await personOf(bot, user);
    return bot.db.conversation.findFirst({ where: { identity: { personId: person.id } } });
  }

  it("walks duty → status → percent → note and stores one report", async () => {
    await bot.join("guided", "IV.4");
    const pick = await bot.send("guided", "/baocao");
    // The example is the agency's own first open duty, as it would be typed.
    expect(texts(pick)).toContain("Chọn nhiệm vụ cần báo cáo (hoặc gõ mã, ví dụ 4a).");
    expect(choiceValues(pick)).toEqual(IV4_DUTIES.map((c) => `report:duty:${c}`));
    expect(choiceLabels(pick)[1]).toMatch(/^⬜ IV\.4\.b /);

    const status = await bot.choose("guided", "report:duty:IV.4.b");
    expect(texts(status)).toContain("IV.4.b:");
    expect(texts(status)).toContain("Chọn trạng thái:");
    expect(choiceValues(status)).toEqual([
      "report:status:done",
      "report:status:in_progress",
      "report:status:blocked",
      "report:status:not_started",
    ]);
    expect(choiceLabels(status)).toContain("🔄 Đang thực hiện");

    const percent = await bot.choose("guided", "report:status:in_progress");
    expect(texts(percent)).toContain("Nhập tỷ lệ hoàn thành, là một số từ 1 đến 99");
    expect((await conversationOf("guided"))?.step).toBe("percent");

    for (const bad of ["150", "abc", "0", "100", "-5", "60.5"]) {
      const reply = await expectNothingStored(bot, () => bot.send("guided", bad));
      expect(reply, bad).toContain("Tỷ lệ phải là một số từ 1 đến 99");
    }
    expect((await conversationOf("guided"))?.step).toBe("percent");

    const note = await bot.send("guided", "60%");
    expect(texts(note)).toContain("Ghi chú thêm");
    expect(choiceValues(note)).toEqual(["report:note:skip"]);
    expect(choiceLabels(note)).toEqual(["Bỏ qua"]);

    let saved = "";
    const changes = await rowChanges(bot, async () => {
      saved = texts(await bot.choose("guided", "report:note:skip"));
    });
    expect(saved).toContain("Đã ghi nhận báo cáo:\nIV.4.b:");
    expect(saved).toContain("Trạng thái: Đang thực hiện (60%)");
    expect(saved).not.toContain("Ghi chú:");
    expect(saved).toContain("Lúc: 25/11/2026 09:00");
    expect(changes).toEqual({ DutyReport: 1, Conversation: -1 });
    const report = await lastReportBy(bot, "guided");
    expect(report).toMatchObject({ status: "in_progress", percent: 60, note: null });
    expect(report.duty.code).toBe("IV.4.b");
    expect(report.agencyId).toBe(await agencyId(bot, "IV.4"));
  });

  it("takes a typed duty code, a typed status and a typed note", async () => {
    await bot.join("typist", "IV.4");
    await bot.send("typist", "/baocao");
    expect(texts(await bot.send("typist", "4x"))).toContain("Không tìm thấy nhiệm vụ đó");
    expect(texts(await bot.send("typist", "4đ"))).toContain("IV.4.đ:");
    expect(texts(await bot.send("typist", "lung tung"))).toContain("Vui lòng chọn một trạng thái");
    expect(texts(await bot.send("typist", "xong"))).toContain("Ghi chú thêm");
    const saved = texts(await bot.send("typist", "Đã ký quy chế phối hợp"));
    expect(saved).toContain("Trạng thái: Hoàn thành (100%)");
    expect(saved).toContain("Ghi chú: Đã ký quy chế phối hợp");
    const report = await lastReportBy(bot, "typist");
    expect(report).toMatchObject({ status: "done", percent: 100, note: "Đã ký quy chế phối hợp" });
    expect(report.duty.code).toBe("IV.4.đ");
    expect(await conversationOf("typist")).toBeNull();
  });

  it("asks a blocked report for the difficulty, which reaches every coordinator", async () => {
    await bot.join("guided-coord-1", null);
    await bot.join("guided-blocked", "IV.4");
    await bot.send("guided-blocked", "/baocao");
    await bot.choose("guided-blocked", "report:duty:IV.4.c");
    const ask = await bot.choose("guided-blocked", "report:status:blocked");
    expect(texts(ask)).toContain("Mô tả ngắn vướng mắc");
    expect(choiceValues(ask)).toEqual([]);
    // Skipping is not an option for a difficulty.
    expect(texts(await bot.choose("guided-blocked", "report:note:skip"))).toContain("Mô tả ngắn vướng mắc");
    const sent = await notificationsDuring(bot, async () => {
      expect(texts(await bot.send("guided-blocked", "Chưa có dữ liệu"))).toContain("Vướng mắc đã được chuyển");
    });
    expect(sent.map((n) => n.personId)).toEqual([(await personOf(bot, "guided-coord-1")).id]);
    const report = await lastReportBy(bot, "guided-blocked");
    expect(report).toMatchObject({ status: "blocked", percent: 0, note: "Chưa có dữ liệu" });
    expect(await bot.db.difficulty.count({ where: { reportId: report.id } })).toBe(1);
  });

  it("goes straight to the status for an agency with a single duty", async () => {
    await bot.join("single-duty", "IV.3");
    const reply = await bot.send("single-duty", "/baocao");
    expect(texts(reply)).toContain("IV.3:");
    expect(choiceValues(reply)).toContain("report:status:done");
    await bot.choose("single-duty", "report:status:not_started");
    await bot.choose("single-duty", "report:note:skip");
    const report = await lastReportBy(bot, "single-duty");
    expect(report).toMatchObject({ status: "not_started", percent: 0 });
    expect(report.duty.code).toBe("IV.3");
  });

  it("cancels with /huy mid-flow and stores nothing", async () => {
    await bot.join("canceller", "IV.4");
    await bot.send("canceller", "/baocao");
    await bot.choose("canceller", "report:duty:IV.4.a");
    await bot.choose("canceller", "report:status:in_progress");
    await bot.send("canceller", "40");
    let reply = "";
    const changes = await rowChanges(bot, async () => {
      reply = texts(await bot.send("canceller", "/huy"));
    });
    expect(reply).toContain("Đã hủy. Không có gì được ghi nhận.");
    expect(changes).toEqual({ Conversation: -1 });
    expect(await reportsBy(bot, "canceller")).toEqual([]);
    // The old buttons no longer do anything.
    const stale = await expectNothingStored(bot, () => bot.choose("canceller", "report:note:skip"));
    expect(stale).toContain("Lựa chọn này không còn hiệu lực");
    expect(texts(await bot.send("canceller", "/huy"))).toContain("Không có thao tác nào đang dở");
  });

  it("another command abandons the flow, so later text is not read as its answer", async () => {
    await bot.join("abandoner", "IV.4");
    await bot.send("abandoner", "/baocao");
    await bot.choose("abandoner", "report:duty:IV.4.a");
    await bot.choose("abandoner", "report:status:in_progress");
    await bot.send("abandoner", "/nhiemvu");
    expect(await conversationOf("abandoner")).toBeNull();
    const reply = await expectNothingStored(bot, () => bot.send("abandoner", "40"));
    expect(reply).toContain("Tôi chưa hiểu tin nhắn này");
  });

  it("survives a restart mid-flow: the state is in the Conversation table", async () => {
    await bot.join("restart", "IV.4");
    await bot.send("restart", "/baocao");
    await bot.choose("restart", "report:duty:IV.4.g");
    await bot.choose("restart", "report:status:in_progress");
    const row = await conversationOf("restart");
    expect(row).toMatchObject({ flow: "report", step: "percent" });
    expect(JSON.parse(row!.data)).toMatchObject({ duty: "IV.4.g", status: "in_progress" });

    const restarted = createBotCore(bot.deps);
    const from = bot.identity("restart");
    expect(texts(await sendVia(restarted, from, "45"))).toContain("Ghi chú thêm");
    const saved = texts(await sendVia(restarted, from, "Đã in 5.000 tờ rơi"));
    expect(saved).toContain("IV.4.g:");
    expect(saved).toContain("Đang thực hiện (45%)");
    const report = await lastReportBy(bot, "restart");
    expect(report).toMatchObject({ status: "in_progress", percent: 45, note: "Đã in 5.000 tờ rơi" });
    expect(report.duty.code).toBe("IV.4.g");
  });
});

describe("one-line reports", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
    await bot.join("coord-a", null, "Điều phối A");
    await bot.join("coord-b", null, "Điều phối B");
  });
  afterAll(async () => bot.db.$disconnect());

  async function reportAs(user: string, line: string) {
    const reply = texts(await bot.send(user, line));
    expect(reply, line).toContain("Đã ghi nhận báo cáo");
    return { reply, report: await lastReportBy(bot, user) };
  }

  it("reads code, percent, status and a note after ':'", async () => {
    await bot.join("full-line", "IV.4");
    const { reply, report } = await reportAs("full-line", "IV.4.b 60% đang thực hiện: đã kết nối dữ liệu với 95 xã");
    expect(reply).toContain("Trạng thái: Đang thực hiện (60%)");
    expect(reply).toContain("Ghi chú: đã kết nối dữ liệu với 95 xã");
    expect(report).toMatchObject({ status: "in_progress", percent: 60, note: "đã kết nối dữ liệu với 95 xã" });
    expect(report.duty.code).toBe("IV.4.b");
  });

  it("reads '4b xong' as IV.4.b done at 100%", async () => {
    await bot.join("short-done", "IV.4");
    const { reply, report } = await reportAs("short-done", "4b xong");
    expect(reply).toContain("Hoàn thành (100%)");
    expect(report).toMatchObject({ status: "done", percent: 100, note: null });
    expect(report.duty.code).toBe("IV.4.b");
  });

  it("escalates a blocked line with its note to every coordinator as a Difficulty", async () => {
    await bot.join("blocked-line", "IV.4", "Lê Thu");
    let result: Awaited<ReturnType<typeof reportAs>> | undefined;
    const sent = await notificationsDuring(bot, async () => {
      result = await reportAs("blocked-line", "iv.4.d vuong mac - thiếu nhân lực");
    });
    const { reply, report } = result!;
    expect(reply).toContain("Trạng thái: Vướng mắc (0%)");
    expect(reply).toContain("Vướng mắc đã được chuyển tới Sở Nội vụ.");
    expect(report).toMatchObject({ status: "blocked", note: "thiếu nhân lực" });
    expect(report.duty.code).toBe("IV.4.d");

    const difficulty = await bot.db.difficulty.findFirstOrThrow({ where: { reportId: report.id } });
    expect(difficulty).toMatchObject({
      text: "thiếu nhân lực",
      dutyId: await dutyId(bot, "IV.4.d"),
      agencyId: await agencyId(bot, "IV.4"),
      resolvedAt: null,
    });

    const coordinators = [(await personOf(bot, "coord-a")).id, (await personOf(bot, "coord-b")).id];
    expect(sent.map((n) => n.personId).sort()).toEqual(coordinators.sort());
    for (const n of sent) {
      expect(n.kind).toBe("notification");
      expect(n.message.text).toContain(
        `Vướng mắc #${difficulty.id} từ IV.4 Bảo hiểm xã hội tỉnh, nhiệm vụ IV.4.d (Lê Thu)`,
      );
      expect(n.message.text).toContain("thiếu nhân lực");
      expect(n.message.text).toContain(`/giaiquyet ${difficulty.id}`);
    }
  });

  it("keeps the last percent when a blocked line gives none", async () => {
    await bot.join("blocked-keeps", "IV.4");
    await reportAs("blocked-keeps", "4c 40%");
    const { report } = await reportAs("blocked-keeps", "4c vướng: chờ Sở Tài chính");
    expect(report).toMatchObject({ status: "blocked", percent: 40, note: "chờ Sở Tài chính" });
  });

  it("asks for the difficulty when a blocked line has no note, then stores it", async () => {
    await bot.join("blocked-ask", "IV.4");
    let ask = "";
    const changes = await rowChanges(bot, async () => {
      ask = texts(await bot.send("blocked-ask", "4e vướng"));
    });
    expect(ask).toContain("Mô tả ngắn vướng mắc");
    // Only the question's flow state is kept until the difficulty is described.
    expect(changes).toEqual({ Conversation: 1 });
    const { report } = await reportAs("blocked-ask", "Thiếu kinh phí in ấn");
    expect(report).toMatchObject({ status: "blocked", note: "Thiếu kinh phí in ấn" });
    expect(report.duty.code).toBe("IV.4.e");
    expect(await bot.db.difficulty.count({ where: { reportId: report.id, text: "Thiếu kinh phí in ấn" } })).toBe(1);
  });

  it("tells IV.4.d from IV.4.đ: '4d', '4đ' and the Telex '4dd'", async () => {
    await bot.join("d-letters", "IV.4");
    expect((await reportAs("d-letters", "4d 30%")).report.duty.code).toBe("IV.4.d");
    expect((await reportAs("d-letters", "4đ 30%")).report.duty.code).toBe("IV.4.đ");
    expect((await reportAs("d-letters", "4dd 35%")).report).toMatchObject({ percent: 35, status: "in_progress" });
    expect((await lastReportBy(bot, "d-letters")).duty.code).toBe("IV.4.đ");
    const codes = (await reportsBy(bot, "d-letters")).map((r) => r.duty.code);
    expect(codes).toEqual(["IV.4.d", "IV.4.đ", "IV.4.đ"]);
  });

  it("reads 'IV.3 xong' and '3 xong' for the single duty of IV.3", async () => {
    await bot.join("thanh-tra", "IV.3");
    const first = await reportAs("thanh-tra", "IV.3 xong");
    expect(first.report.duty.code).toBe("IV.3");
    expect(first.report).toMatchObject({ status: "done", percent: 100 });
    const second = await reportAs("thanh-tra", "3 xong");
    expect(second.report.duty.code).toBe("IV.3");
    expect(second.report.id).not.toBe(first.report.id);
  });

  it("stores a commune's report under the commune with its group's duty", async () => {
    await bot.join("xa-25195", "IV.9-25195");
    const memberId = await agencyId(bot, "IV.9-25195");
    const full = await reportAs("xa-25195", "IV.9.a 50%");
    expect(full.report).toMatchObject({ status: "in_progress", percent: 50, agencyId: memberId });
    expect(full.report.duty.code).toBe("IV.9.a");
    const short = await reportAs("xa-25195", "a 50%");
    expect(short.report).toMatchObject({ status: "in_progress", percent: 50, agencyId: memberId });
    expect(short.report.duty.code).toBe("IV.9.a");
    expect(full.reply).toContain("IV.9.a:");
    expect((await agencyStatus(bot, "IV.9-25195")).duties.find((d) => d.code === "IV.9.a")?.percent).toBe(50);
  });

  it("reads a percent alone: 0% is not started, 100% is done", async () => {
    await bot.join("percent-only", "IV.4");
    const zero = await reportAs("percent-only", "4a 0%");
    expect(zero.report).toMatchObject({ status: "not_started", percent: 0 });
    expect(zero.reply).toContain("Chưa thực hiện (0%)");
    const full = await reportAs("percent-only", "4a 100%");
    expect(full.report).toMatchObject({ status: "done", percent: 100 });
    const mid = await reportAs("percent-only", "4a 75%");
    expect(mid.report).toMatchObject({ status: "in_progress", percent: 75 });
  });

  it("appends every report; the status shows the latest one", async () => {
    await bot.join("append-only", "IV.6");
    await reportAs("append-only", "6a 20%");
    bot.clock.advance(60 * 1000);
    await reportAs("append-only", "6a 80%: gần xong");
    const rows = await reportsBy(bot, "append-only");
    expect(rows.map((r) => [r.duty.code, r.percent])).toEqual([
      ["IV.6.a", 20],
      ["IV.6.a", 80],
    ]);
    const state = await agencyStatus(bot, "IV.6");
    expect(state.duties.find((d) => d.code === "IV.6.a")).toMatchObject({ percent: 80, note: "gần xong" });
    const duties = texts(await bot.send("append-only", "/nhiemvu"));
    expect(duties).toContain("Đang thực hiện 80%");
    expect(duties).not.toContain("Đang thực hiện 20%");
  });

  it("does not take ordinary chat for a report", async () => {
    await bot.join("chatty", "IV.4");
    for (const line of ["e cảm ơn", "3 người đã đến", "Chào anh"]) {
      const reply = await expectNothingStored(bot, () => bot.send("chatty", line));
      expect(reply, line).toContain("Tôi chưa hiểu tin nhắn này");
      expect(reply, line).toContain("IV.4.a 60% đang thực hiện");
    }
  });
});

describe("figures (/chitieu)", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
  });
  afterAll(async () => bot.db.$disconnect());

  it("lets the IV.4 contact record participants and replies with the rate", async () => {
    await bot.join("bhxh", "IV.4");
    let reply = "";
    const changes = await rowChanges(bot, async () => {
      reply = texts(await bot.send("bhxh", "/chitieu II.1 1.120.000"));
    });
    expect(reply).toContain("Đã ghi nhận số liệu II.1 (Tỷ lệ tham gia bảo hiểm xã hội bắt buộc)");
    expect(reply).toContain("1.120.000 người, đạt 95,38%");
    expect(reply).toContain("chỉ tiêu 95%, 1.115.590 người");
    expect(changes).toEqual({ IndicatorFigure: 1 });
    const figure = await bot.db.indicatorFigure.findFirstOrThrow({ include: { indicator: true } });
    expect(figure).toMatchObject({ participants: 1120000, agencyId: await agencyId(bot, "IV.4") });
    expect(figure.indicator.code).toBe("II.1");
  });

  it("lets a coordinator record figures too, with a short code", async () => {
    await bot.join("figures-coord", null);
    const reply = texts(await bot.send("figures-coord", "/chitieu 2 50000"));
    expect(reply).toContain("Đã ghi nhận số liệu II.2");
    expect(reply).toContain("50.000 người, đạt 4,74%");
    const person = await personOf(bot, "figures-coord");
    const figure = await bot.db.indicatorFigure.findFirstOrThrow({ where: { personId: person.id } });
    expect(figure).toMatchObject({ participants: 50000, agencyId: null });
  });

  it("shows the latest figure in /tongquan", async () => {
    const overview = texts(await bot.send("figures-coord", "/tongquan"));
    expect(overview).toContain("II.1 Tỷ lệ tham gia bảo hiểm xã hội bắt buộc: 1.120.000 người (95,38%)");
    expect(overview).toContain("II.3 Tỷ lệ tham gia bảo hiểm thất nghiệp: chưa có số liệu");
  });

  it("explains its usage, an unknown code and a number over the eligible population", async () => {
    const counts = await tableSnapshot(bot.db);
    expect(texts(await bot.send("bhxh", "/chitieu"))).toContain("Cách dùng: /chitieu MÃ SỐ_NGƯỜI");
    expect(texts(await bot.send("bhxh", "/chitieu II.9 100"))).toContain('Không có chỉ tiêu "II.9"');
    expect(texts(await bot.send("bhxh", "/chitieu II.1 2.000.000"))).toContain(
      '"2.000.000" không phải số người hợp lệ',
    );
    expect(await tableSnapshot(bot.db)).toEqual(counts);
  });
});
