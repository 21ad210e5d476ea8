import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { encodeChoice } from "../../src/model/choices.ts";
import { createTestBot, texts, type TestBot } from "../helpers/bot.ts";
import {
  agencyId,
  agencyStatus,
  choiceValues,
  expectNothingStored,
  notificationsDuring,
  personOf,
  rowChanges,
  submitReport,
  joinTwoCoordinators,
} from "../helpers/bot-steps.ts";

const START_SUBMIT = encodeChoice({ kind: "start", what: "submit" });

const START = new Date("2026-11-25T09:00:00+07:00");

async function submissionsOf(bot: TestBot, agency: string) {
  return bot.db.submission.findMany({
    where: { agencyId: await agencyId(bot, agency) },
    include: { items: { include: { duty: true }, orderBy: { id: "asc" } } },
    orderBy: { id: "asc" },
  });
}

describe("formal submission (/nopbaocao)", () => {
  let bot: TestBot;
  let coordinatorIds: number[];
  beforeAll(async () => {
    bot = await createTestBot();
    coordinatorIds = await joinTwoCoordinators(bot);
    await bot.join("bhxh", "IV.4", "Võ Thanh");
  });
  afterEach(() => bot.clock.set(START));
  afterAll(async () => bot.db.$disconnect());

  it("previews every duty's status and offers 'Gửi báo cáo' then 'Hủy'", async () => {
    await bot.send("bhxh", "4b 60%: đã kết nối dữ liệu");
    await bot.send("bhxh", "4c xong");
    let preview: Awaited<ReturnType<typeof bot.send>> = [];
    const changes = await rowChanges(bot, async () => {
      preview = await bot.send("bhxh", "/nopbaocao 123/BC-BHXH 20/11/2026");
    });
    expect(changes).toEqual({ Conversation: 1 });
    const text = texts(preview);
    expect(text).toContain("Báo cáo của Bảo hiểm xã hội tỉnh (số 123/BC-BHXH, ngày 20/11/2026)");
    for (const code of ["IV.4.a", "IV.4.b", "IV.4.c", "IV.4.d", "IV.4.đ", "IV.4.e", "IV.4.g"]) {
      expect(text).toContain(`${code}:`);
    }
    expect(text).toContain("Đang thực hiện 60%");
    expect(text).toContain("Hoàn thành 100%");
    expect(text).toContain("Lưu ý: còn 6 nhiệm vụ chưa hoàn thành.");
    expect(preview[0]!.choices).toEqual([
      [{ label: "Gửi báo cáo", value: "submit:confirm" }],
      [{ label: "Hủy", value: "submit:cancel" }],
    ]);
  });

  it("stores nothing when 'Hủy' is chosen", async () => {
    await bot.send("bhxh", "/nopbaocao 123/BC-BHXH 20/11/2026");
    let reply = "";
    const changes = await rowChanges(bot, async () => {
      reply = texts(await bot.choose("bhxh", "submit:cancel"));
    });
    expect(reply).toBe("Đã hủy. Không có gì được ghi nhận.");
    expect(changes).toEqual({ Conversation: -1 });
    expect(await submissionsOf(bot, "IV.4")).toEqual([]);
  });

  it("reminds of the pending confirmation when text arrives mid-flow", async () => {
    await bot.send("bhxh", "/nopbaocao");
    const reply = await expectNothingStored(bot, () => bot.send("bhxh", "4a xong"));
    expect(reply).toContain("Trả lời câu hỏi ở trên hoặc gõ /huy để hủy");
    expect(await bot.db.dutyReport.count({ where: { duty: { code: "IV.4.a" }, status: "done" } })).toBe(0);
    await bot.choose("bhxh", "submit:cancel");
  });

  it("on confirm stores a Submission with a snapshot of every duty and tells every coordinator", async () => {
    let reply = "";
    const sent = await notificationsDuring(bot, async () => {
      reply = await submitReport(bot, "bhxh", "123/BC-BHXH 20/11/2026");
    });
    expect(reply).toContain(
      "Đã nộp báo cáo của Bảo hiểm xã hội tỉnh lúc 25/11/2026 09:00 (số 123/BC-BHXH, ngày 20/11/2026)",
    );
    expect(reply).toContain("Báo cáo nộp đúng hạn. Cảm ơn Anh/Chị!");

    const [submission, ...more] = await submissionsOf(bot, "IV.4");
    expect(more).toEqual([]);
    expect(submission).toMatchObject({
      documentNumber: "123/BC-BHXH",
      documentDate: "2026-11-20",
      onTime: true,
      supersededAt: null,
      reopenedAt: null,
      personId: (await personOf(bot, "bhxh")).id,
      submittedAt: START,
    });
    const items = Object.fromEntries(
      submission!.items.map((i) => [i.duty.code, { status: i.status, percent: i.percent, note: i.note }]),
    );
    expect(Object.keys(items).sort()).toEqual(["IV.4.a", "IV.4.b", "IV.4.c", "IV.4.d", "IV.4.e", "IV.4.g", "IV.4.đ"]);
    expect(items["IV.4.b"]).toEqual({ status: "in_progress", percent: 60, note: "đã kết nối dữ liệu" });
    expect(items["IV.4.c"]).toEqual({ status: "done", percent: 100, note: null });
    expect(items["IV.4.a"]).toEqual({ status: "not_started", percent: 0, note: null });

    expect(sent.map((n) => n.personId).sort()).toEqual(coordinatorIds);
    for (const n of sent) {
      expect(n.message.text).toContain("📥 IV.4 Bảo hiểm xã hội tỉnh đã nộp báo cáo lúc 25/11/2026 09:00 (đúng hạn)");
      expect(n.message.text).toContain("người nộp: Võ Thanh");
      expect(n.message.text).toContain("Hoàn thành 1/7 nhiệm vụ.");
      expect(n.message.text).toContain("Văn bản số 123/BC-BHXH, ngày 20/11/2026.");
    }
    expect((await agencyStatus(bot, "IV.4")).submitted).toBe(true);
    expect(texts(await bot.send("bhxh", "/nhiemvu"))).toContain("Cơ quan đã nộp báo cáo.");
  });

  it("keeps the snapshot when later reports change the duty", async () => {
    const [first] = await submissionsOf(bot, "IV.4");
    await bot.send("bhxh", "4b 90%");
    const [again] = await submissionsOf(bot, "IV.4");
    expect(again!.items.find((i) => i.duty.code === "IV.4.b")!.percent).toBe(60);
    expect(again!.id).toBe(first!.id);
  });

  it("a second submission supersedes the first", async () => {
    bot.clock.set(new Date("2026-11-26T10:00:00+07:00"));
    const reply = await submitReport(bot, "bhxh", "130/BC-BHXH");
    expect(reply).toContain("(số 130/BC-BHXH)");
    const [first, second] = await submissionsOf(bot, "IV.4");
    expect(first!.supersededAt).toEqual(new Date("2026-11-26T10:00:00+07:00"));
    expect(second).toMatchObject({ supersededAt: null, documentNumber: "130/BC-BHXH", documentDate: null });
    expect(second!.items.find((i) => i.duty.code === "IV.4.b")!.percent).toBe(90);
    expect((await agencyStatus(bot, "IV.4")).submission?.id).toBe(second!.id);
  });

  it("is late from the deadline day on: 15/12 08:00 is late, 14/12 23:59 on time", async () => {
    await bot.join("ban-qlkcn", "IV.6");
    await bot.join("bao-dn", "IV.7");

    bot.clock.set(new Date("2026-12-15T08:00:00+07:00"));
    let late = "";
    const sent = await notificationsDuring(bot, async () => {
      late = await submitReport(bot, "ban-qlkcn");
    });
    expect(late).toContain("Báo cáo nộp sau hạn. Cảm ơn Anh/Chị đã gửi báo cáo.");
    expect(late).not.toContain("đúng hạn");
    expect((await submissionsOf(bot, "IV.6"))[0]).toMatchObject({ onTime: false, documentNumber: null });
    expect(sent[0]!.message.text).toContain("(sau hạn)");

    bot.clock.set(new Date("2026-12-14T23:59:00+07:00"));
    expect(await submitReport(bot, "bao-dn")).toContain("Báo cáo nộp đúng hạn.");
    expect((await submissionsOf(bot, "IV.7"))[0]).toMatchObject({ onTime: true });

    const detail = texts(await bot.send("coord-1", "/tongquan IV.6"));
    expect(detail).toContain("Đã nộp báo cáo lúc 15/12/2026 08:00 (sau hạn)");
  });

  it("reads a date without its year as a date in the plan's year, not as a document number", async () => {
    await bot.join("stc", "IV.2");
    const preview = texts(await bot.send("stc", "/nopbaocao 45/BC-STC 20/11"));
    expect(preview).toContain("Báo cáo của Sở Tài chính (số 45/BC-STC, ngày 20/11/2026)");
    await bot.choose("stc", "submit:confirm");
    expect((await submissionsOf(bot, "IV.2"))[0]).toMatchObject({
      documentNumber: "45/BC-STC",
      documentDate: "2026-11-20",
    });
    const dateOnly = texts(await bot.send("stc", "/nopbaocao 21/11"));
    expect(dateOnly).toContain("Báo cáo của Sở Tài chính (ngày 21/11/2026)");
    await bot.choose("stc", "submit:cancel");
  });

  it("records a file sent with the command", async () => {
    await bot.join("ldld", "IV.8");
    await bot.core.handle({
      kind: "command",
      from: bot.identity("ldld"),
      command: "nopbaocao",
      args: "",
      attachment: { name: "bao-cao-ldld.pdf", ref: "file-1", content: new TextEncoder().encode("%PDF-1.4") },
    });
    const done = texts(await bot.choose("ldld", "submit:confirm"));
    expect(done).toContain('kèm tệp "bao-cao-ldld.pdf"');
    expect((await submissionsOf(bot, "IV.8"))[0]).toMatchObject({
      attachmentName: "bao-cao-ldld.pdf",
      attachmentRef: "file-1",
      attachmentPlatform: "test",
    });
  });

  it("starts from the 'Nộp báo cáo' button of a reminder", async () => {
    await bot.join("thue", "IV.5");
    const preview = await bot.choose("thue", START_SUBMIT);
    expect(texts(preview)).toContain("Báo cáo của Thuế Đồng Nai sẽ gồm");
    expect(choiceValues(preview)).toEqual(["submit:confirm", "submit:cancel"]);
    await bot.choose("thue", "submit:cancel");
  });

  it("/molai reopens a submission: not submitted any more, the contacts get the comment", async () => {
    bot.clock.set(new Date("2026-11-27T09:00:00+07:00"));
    const before = (await submissionsOf(bot, "IV.4")).at(-1)!;
    let reply = "";
    const sent = await notificationsDuring(bot, async () => {
      reply = texts(await bot.send("coord-1", "/molai IV.4 Đề nghị bổ sung số liệu"));
    });
    expect(reply).toBe("Đã mở lại báo cáo của Bảo hiểm xã hội tỉnh và gửi nhận xét tới đầu mối.");

    const after = await bot.db.submission.findUniqueOrThrow({ where: { id: before.id } });
    expect(after).toMatchObject({
      reopenedAt: new Date("2026-11-27T09:00:00+07:00"),
      reopenedById: (await personOf(bot, "coord-1")).id,
      reopenComment: "Đề nghị bổ sung số liệu",
      supersededAt: null,
    });
    const state = await agencyStatus(bot, "IV.4");
    expect(state.submitted).toBe(false);
    expect(state.submission).toBeNull();

    expect(sent.map((n) => n.personId)).toEqual([(await personOf(bot, "bhxh")).id]);
    expect(sent[0]!.message.text).toContain("Sở Nội vụ đã mở lại báo cáo của Bảo hiểm xã hội tỉnh với nhận xét:");
    expect(sent[0]!.message.text).toContain('"Đề nghị bổ sung số liệu"');
    expect(texts(await bot.send("coord-2", "/tongquan IV.4"))).toContain("Chưa nộp báo cáo");

    // Submitting again counts once more.
    await submitReport(bot, "bhxh");
    expect((await agencyStatus(bot, "IV.4")).submitted).toBe(true);
    expect((await bot.db.submission.findUniqueOrThrow({ where: { id: before.id } })).supersededAt).toBeNull();
  });

  it("/molai on an agency that has not submitted says so and stores nothing", async () => {
    const reply = await expectNothingStored(bot, () => bot.send("coord-1", "/molai IV.1 Bổ sung"));
    expect(reply).toBe("Sở Nội vụ chưa nộp báo cáo nào để mở lại.");
    const reopened = texts(await bot.send("coord-1", "/molai IV.6 Bổ sung"));
    expect(reopened).toContain("Đã mở lại");
    // A second /molai says the report is already reopened, not that it was never submitted.
    const again = await expectNothingStored(bot, () => bot.send("coord-1", "/molai IV.6 Bổ sung"));
    expect(again).toBe(
      "Báo cáo của Ban Quản lý các Khu Công nghiệp, Khu kinh tế Đồng Nai đã được mở lại lúc 25/11/2026 09:00 và đang chờ cơ quan nộp lại; không cần mở lại lần nữa.",
    );
  });
});

describe("members of a group and the roll-up", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
    await bot.join("coord", null);
    await bot.join("binh-phuoc", "IV.9-25195");
    await bot.join("dong-xoai", "IV.9-25210");
    await bot.join("phuoc-long", "IV.9-25217");
  });
  afterAll(async () => bot.db.$disconnect());

  it("counts members that submitted and the members' duties by status", async () => {
    await bot.send("binh-phuoc", "a xong");
    await bot.send("dong-xoai", "IV.9.a 50%");
    await bot.send("phuoc-long", "b vướng: thiếu cán bộ");
    expect(await submitReport(bot, "binh-phuoc")).toContain("Đã nộp báo cáo của UBND Phường Bình Phước");
    expect(await submitReport(bot, "dong-xoai")).toContain("Đã nộp báo cáo của UBND Phường Đồng Xoài");

    const group = await agencyStatus(bot, "IV.9");
    expect(group).toMatchObject({ memberCount: 95, membersSubmitted: 2, submitted: false, done: false });
    const a = group.duties.find((d) => d.code === "IV.9.a")!;
    expect(a.status).toBe("in_progress");
    expect(a.percent).toBe(Math.round(150 / 95));
    expect(group.duties.find((d) => d.code === "IV.9.b")!.status).toBe("blocked");
    expect(group.duties.find((d) => d.code === "IV.9.c")!.status).toBe("not_started");
    expect((await agencyStatus(bot, "IV.9-25195")).submitted).toBe(true);

    const detail = texts(await bot.send("coord", "/tongquan IV.9"));
    expect(detail).toContain("IV.9 Ủy ban nhân dân cấp xã\n2/95 đã nộp báo cáo");
    expect(detail).toMatch(/IV\.9\.a: .*\n {3}Hoàn thành 1, Đang thực hiện 1, Chưa báo cáo 93/);
    expect(detail).toMatch(/IV\.9\.b: .*\n {3}Vướng mắc 1, Chưa báo cáo 94/);
    expect(detail).toMatch(/93 đơn vị chưa nộp báo cáo[;.]/);
    expect(detail).not.toContain("IV.9-25195");
    expect(detail).not.toContain("IV.9-25210");

    const overview = texts(await bot.send("coord", "/tongquan"));
    expect(overview).toContain("0/9 cơ quan đã nộp báo cáo");
    expect(overview).toContain(
      "⏳ IV.9 Ủy ban nhân dân cấp xã: chưa nộp · hoàn thành 0/4 nhiệm vụ · 2/95 đơn vị đã nộp báo cáo",
    );

    const overdue = await bot.send("coord", "/quahan");
    expect(texts(overdue)).toContain("• IV.9 Ủy ban nhân dân cấp xã: 93/95 đơn vị chưa nộp báo cáo");
    const list = await bot.choose("coord", "members:BHXH26:IV.9:1");
    expect(texts(list)).toContain("IV.9 Ủy ban nhân dân cấp xã: 93 đơn vị chưa nộp báo cáo");
    expect(texts(list)).toContain("– IV.9-25217 UBND Phường Phước Long: ");
    expect(texts(list)).not.toContain("IV.9-25195");
  });

  it("a member's one-line report stays the member's own", async () => {
    const binhPhuoc = await agencyStatus(bot, "IV.9-25195");
    const dongXoai = await agencyStatus(bot, "IV.9-25210");
    expect(binhPhuoc.duties.find((d) => d.code === "IV.9.a")).toMatchObject({ status: "done", percent: 100 });
    expect(dongXoai.duties.find((d) => d.code === "IV.9.a")).toMatchObject({ status: "in_progress", percent: 50 });
    expect(dongXoai.duties.find((d) => d.code === "IV.9.b")).toMatchObject({ status: "not_started" });
  });

  it("/nhac IV.9 reminds only the members that have not submitted", async () => {
    const sent = await notificationsDuring(bot, async () => {
      expect(texts(await bot.send("coord", "/nhac IV.9"))).toBe("Đã gửi nhắc tới 1 đầu mối của 1 cơ quan.");
    });
    expect(sent.map((n) => n.personId)).toEqual([(await personOf(bot, "phuoc-long")).id]);
    expect(sent[0]!.message.text).toContain("UBND Phường Phước Long");
  });
});

describe("a double tap", () => {
  it("on Gửi báo cáo records one submission and tells coordinators once", async () => {
    const bot = await createTestBot();
    await bot.join("coord", null, "Điều Phối");
    await bot.join("twice", "IV.5", "Thuế");
    await bot.send("twice", "/nopbaocao");
    const mark = bot.notifications.length;
    const [first, second] = await Promise.all([
      bot.choose("twice", "submit:confirm"),
      bot.choose("twice", "submit:confirm"),
    ]);
    const replies = [texts(first), texts(second)];
    expect(replies.filter((r) => r.includes("Đã nộp báo cáo của Thuế Đồng Nai"))).toHaveLength(1);
    expect(replies.filter((r) => r === "Yêu cầu này đã được xử lý rồi.")).toHaveLength(1);
    expect(await bot.db.submission.count()).toBe(1);
    expect(bot.notifications.slice(mark)).toHaveLength(1);
    await bot.db.$disconnect();
  });

  it("on the last step of /baocao records one report", async () => {
    const bot = await createTestBot();
    await bot.join("tap", "IV.4");
    await bot.send("tap", "/baocao");
    await bot.choose("tap", "report:duty:IV.4.c");
    await bot.choose("tap", "report:status:done");
    await Promise.all([bot.choose("tap", "report:note:skip"), bot.choose("tap", "report:note:skip")]);
    expect(await bot.db.dutyReport.count()).toBe(1);
    await bot.db.$disconnect();
  });
});

describe("a submission confirmed after someone else reported", () => {
  it("shows the new state again instead of submitting what the person did not see", async () => {
    const bot = await createTestBot();
    await bot.join("a", "IV.5", "Người A");
    await bot.join("b", "IV.5", "Người B");
    expect(texts(await bot.send("a", "/nopbaocao"))).toContain("▫️ IV.5");
    await bot.send("b", "IV.5 xong");
    const again = texts(await bot.choose("a", "submit:confirm"));
    expect(again).toContain("Tình hình nhiệm vụ vừa được cập nhật");
    expect(again).toContain("✅ IV.5");
    expect(await bot.db.submission.count()).toBe(0);
    expect(texts(await bot.choose("a", "submit:confirm"))).toContain("Đã nộp báo cáo của Thuế Đồng Nai");
    const submission = await bot.db.submission.findFirstOrThrow({ include: { items: true } });
    expect(submission.items.map((i) => i.status)).toEqual(["done"]);
    await bot.db.$disconnect();
  });
});
