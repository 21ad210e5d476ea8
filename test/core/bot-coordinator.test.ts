import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeChoice } from "../../src/model/choices.ts";
import { createTestBot, makeAdmin, texts, type TestBot } from "../helpers/bot.ts";
import { dutyState } from "../../src/domain/status.ts";
import { getActivePlan } from "../../src/services/plan-service.ts";
import { loadPlanStatus } from "../../src/services/status-service.ts";
import {
  agencyId,
  choiceValues,
  codeIn,
  directoryId,
  dutyId,
  expectNothingStored,
  notificationsDuring,
  personOf,
  reportsBy,
  rowChanges,
  submitReport,
  joinTwoCoordinators,
} from "../helpers/bot-steps.ts";

const START_REPORT = encodeChoice({ kind: "start", what: "report" });
const START_SUBMIT = encodeChoice({ kind: "start", what: "submit" });

const PLAN_TITLE =
  "Thực hiện chỉ tiêu phát triển đối tượng tham gia bảo hiểm xã hội năm 2026 trên địa bàn tỉnh Đồng Nai";

describe("difficulties", () => {
  let bot: TestBot;
  let coordinatorIds: number[];
  beforeAll(async () => {
    bot = await createTestBot();
    coordinatorIds = await joinTwoCoordinators(bot);
    await bot.join("stc", "IV.2", "Hà Sở Tài chính");
    await bot.join("bhxh", "IV.4", "Quang BHXH");
    await bot.join("bhxh-2", "IV.4", "Ngọc BHXH");
  });
  afterAll(async () => bot.db.$disconnect());

  async function raise(user: string, args: string) {
    let reply = "";
    const sent = await notificationsDuring(bot, async () => {
      reply = texts(await bot.send(user, `/vuongmac ${args}`));
    });
    const difficulty = await bot.db.difficulty.findFirstOrThrow({ orderBy: { id: "desc" }, include: { duty: true } });
    expect(reply).toBe(
      `Đã ghi nhận vướng mắc #${difficulty.id} và chuyển tới Sở Nội vụ. Anh/Chị sẽ nhận được phản hồi tại đây.`,
    );
    expect(sent.map((n) => n.personId).sort()).toEqual(coordinatorIds);
    return { difficulty, sent };
  }

  it("/vuongmac TEXT reaches every coordinator with the agency and the text", async () => {
    const { difficulty, sent } = await raise("stc", "Thiếu dữ liệu");
    expect(difficulty).toMatchObject({
      text: "Thiếu dữ liệu",
      dutyId: null,
      agencyId: await agencyId(bot, "IV.2"),
      personId: (await personOf(bot, "stc")).id,
      resolvedAt: null,
    });
    for (const n of sent) {
      expect(n.message.text).toBe(
        `⚠️ Vướng mắc #${difficulty.id} từ IV.2 Sở Tài chính (Hà Sở Tài chính):\nThiếu dữ liệu\n` +
          `Trả lời: /giaiquyet ${difficulty.id} NỘI_DUNG`,
      );
    }
  });

  it("/vuongmac 4b TEXT ties the difficulty to duty IV.4.b", async () => {
    const { difficulty, sent } = await raise("bhxh", "4b Thiếu dữ liệu");
    expect(difficulty).toMatchObject({ text: "Thiếu dữ liệu", dutyId: await dutyId(bot, "IV.4.b") });
    for (const n of sent) {
      expect(n.message.text).toContain(`Vướng mắc #${difficulty.id} từ IV.4 Bảo hiểm xã hội tỉnh, nhiệm vụ IV.4.b`);
      expect(n.message.text).toContain("Thiếu dữ liệu");
    }
    // Raising a difficulty is not a report: the duty's status is unchanged.
    expect(await reportsBy(bot, "bhxh")).toEqual([]);
  });

  it("/vuongmac with a dash after the code, and with a number that is not a duty", async () => {
    const dashed = await raise("bhxh", "IV.4.d - Chưa có phần mềm");
    expect(dashed.difficulty).toMatchObject({ text: "Chưa có phần mềm", dutyId: await dutyId(bot, "IV.4.d") });
    const colon = await raise("bhxh", "4c: Chưa có kinh phí");
    expect(colon.difficulty).toMatchObject({ text: "Chưa có kinh phí", dutyId: await dutyId(bot, "IV.4.c") });
    const chat = await raise("bhxh", "3 cán bộ nghỉ ốm");
    expect(chat.difficulty).toMatchObject({ text: "3 cán bộ nghỉ ốm", dutyId: null });
  });

  it("/dsvuongmac lists the open ones", async () => {
    const open = await bot.db.difficulty.findMany({ where: { resolvedAt: null }, orderBy: { id: "asc" } });
    const reply = texts(await bot.send("coord-1", "/dsvuongmac"));
    expect(reply).toContain(`${open.length} vướng mắc chưa giải quyết:`);
    expect(reply).toContain(`#${open[0]!.id} · IV.2 Sở Tài chính · 25/11/2026 09:00\n   Thiếu dữ liệu`);
    expect(reply).toContain(`#${open[1]!.id} · IV.4 Bảo hiểm xã hội tỉnh · IV.4.b · 25/11/2026 09:00`);
  });

  it("/giaiquyet resolves and the agency's contacts get the reply; twice says already resolved", async () => {
    const difficulty = await bot.db.difficulty.findFirstOrThrow({ where: { dutyId: await dutyId(bot, "IV.4.b") } });
    bot.clock.advance(2 * 60 * 60 * 1000);
    let reply = "";
    const sent = await notificationsDuring(bot, async () => {
      reply = texts(await bot.send("coord-2", `/giaiquyet ${difficulty.id} Đã xử lý`));
    });
    expect(reply).toBe(`Đã đóng vướng mắc #${difficulty.id} và gửi trả lời tới Bảo hiểm xã hội tỉnh.`);
    const resolved = await bot.db.difficulty.findUniqueOrThrow({ where: { id: difficulty.id } });
    expect(resolved).toMatchObject({
      resolution: "Đã xử lý",
      resolvedById: (await personOf(bot, "coord-2")).id,
      resolvedAt: new Date("2026-11-25T11:00:00+07:00"),
    });

    const ivFour = [(await personOf(bot, "bhxh")).id, (await personOf(bot, "bhxh-2")).id].sort();
    expect(sent.map((n) => n.personId).sort()).toEqual(ivFour);
    for (const n of sent) {
      expect(n.message.text).toBe(`Sở Nội vụ đã trả lời vướng mắc #${difficulty.id} ("Thiếu dữ liệu"):\nĐã xử lý`);
    }

    const twice = await expectNothingStored(bot, () => bot.send("coord-1", `/giaiquyet #${difficulty.id} Lại`));
    expect(twice).toBe(`Vướng mắc #${difficulty.id} đã được giải quyết trước đó.`);
    expect((await bot.db.difficulty.findUniqueOrThrow({ where: { id: difficulty.id } })).resolution).toBe("Đã xử lý");

    const list = texts(await bot.send("coord-1", "/dsvuongmac"));
    expect(list).not.toContain(`#${difficulty.id} ·`);
  });

  it("/dsvuongmac says when nothing is open", async () => {
    for (const d of await bot.db.difficulty.findMany({ where: { resolvedAt: null } })) {
      expect(texts(await bot.send("coord-1", `/giaiquyet ${d.id} Đã trả lời`))).toContain("Đã đóng vướng mắc");
    }
    expect(texts(await bot.send("coord-1", "/dsvuongmac"))).toBe("Không có vướng mắc nào đang chờ giải quyết.");
  });
});

describe("coordinator views and contacts", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
    await bot.join("coord", null, "Điều phối");
    await bot.join("bhxh", "IV.4", "Quang BHXH");
    await bot.join("bhxh-2", "IV.4", "Ngọc BHXH");
    await bot.join("stc", "IV.2", "Hà STC");
    await bot.send("bhxh", "4b xong");
  });
  afterAll(async () => bot.db.$disconnect());

  it("/tongquan shows the submitted count, every agency, duty totals and the indicators", async () => {
    const reply = texts(await bot.send("coord", "/tongquan"));
    expect(reply).toContain(`Kế hoạch ${PLAN_TITLE}\nHạn báo cáo: trước ngày 15/12/2026 (còn 20 ngày)`);
    expect(reply).toContain("0/9 cơ quan đã nộp báo cáo");
    expect(reply).toContain("⏳ IV.1 Sở Nội vụ: chưa nộp · hoàn thành 0/6 nhiệm vụ");
    expect(reply).toContain("⏳ IV.4 Bảo hiểm xã hội tỉnh: chưa nộp · hoàn thành 1/7 nhiệm vụ");
    expect(reply).toContain(
      "⏳ IV.9 Ủy ban nhân dân cấp xã: chưa nộp · hoàn thành 0/4 nhiệm vụ · 0/95 đơn vị đã nộp báo cáo",
    );
    // 25 duties of the eight agencies and 4 for each of the 95 communes.
    // 8 agencies and 95 communes, each with its own copy of its duties: 25 + 95 × 4 = 405 entries.
    expect(reply).toContain(
      "Nhiệm vụ theo trạng thái, đếm riêng từng cơ quan, đơn vị (103 cơ quan, đơn vị; 405 lượt nhiệm vụ): Hoàn thành 1, Chưa báo cáo 404",
    );
    expect(reply).toContain("Chỉ tiêu:");
    expect(reply).toContain(
      "II.1 Tỷ lệ tham gia bảo hiểm xã hội bắt buộc: chưa có số liệu / chỉ tiêu 1.115.590 người (95%)",
    );
    expect(reply).toContain("chỉ tiêu 40.100 người (3,8%)");
    // Communes appear only under their group in the overview.
    expect(reply).not.toContain("IV.9-25195");
  });

  it("/tongquan counts an agency once it submits", async () => {
    await submitReport(bot, "stc");
    const reply = texts(await bot.send("coord", "/tongquan"));
    expect(reply).toContain("1/9 cơ quan đã nộp báo cáo");
    expect(reply).toContain("✅ IV.2 Sở Tài chính: đã nộp · hoàn thành 0/3 nhiệm vụ");
  });

  it("/tongquan IV.4 shows the agency's duties in detail", async () => {
    const reply = texts(await bot.send("coord", "/tongquan IV.4"));
    expect(reply).toContain("IV.4 Bảo hiểm xã hội tỉnh\nChưa nộp báo cáo · 2 đầu mối");
    expect(reply).toMatch(/✅ IV\.4\.b: .*\n {3}Hoàn thành 100% · cập nhật 25\/11\/2026 09:00/);
    // Nobody has reported on it: not the same as reported as not started.
    expect(reply).toMatch(/▫️ IV\.4\.a: .*\n {3}Chưa báo cáo$/m);
    expect(reply.match(/^(✅|⬜|🔄|⚠️|▫️) IV\.4\./gmu)).toHaveLength(7);
    // Agencies can be named by number or by name too.
    expect(texts(await bot.send("coord", "/tongquan 4"))).toContain("IV.4 Bảo hiểm xã hội tỉnh\n");
    expect(texts(await bot.send("coord", "/tongquan bao hiem xa hoi tinh"))).toContain("IV.4 Bảo hiểm xã hội tỉnh\n");
    expect(texts(await bot.send("coord", "/tongquan IV.2"))).toContain("Đã nộp báo cáo lúc 25/11/2026 09:00 ·");
  });

  it("/tongquan IV.9 sums the group's members, who are listed behind a button", async () => {
    const reply = texts(await bot.send("coord", "/tongquan IV.9"));
    expect(reply).toContain("IV.9 Ủy ban nhân dân cấp xã\n0/95 đã nộp báo cáo");
    expect(reply).toMatch(/IV\.9\.a: .*\n {3}Chưa báo cáo 95/);
    // The members are listed behind a button, page by page (test/core/coordinator-views.test.ts).
    expect(reply).toMatch(/95 đơn vị chưa nộp báo cáo; \d+ đơn vị chưa có đầu mối\./);
    expect(reply).not.toContain("IV.9-25195");
    const replies = await bot.send("coord", "/tongquan IV.9");
    expect(replies.flatMap((r) => r.choices ?? []).flat()[0]).toEqual({
      label: "Danh sách IV.9 (95)",
      value: "members:BHXH26:IV.9:1",
    });
    expect(texts(await bot.send("coord", "/tongquan 25195"))).toContain("IV.9-25195 UBND Phường Bình Phước\n");
  });

  it("/quahan lists the agencies that have not submitted, with their open duties", async () => {
    const reply = texts(await bot.send("coord", "/quahan"));
    // Eight agencies and 95 communes report; IV.2 has submitted.
    expect(reply).toContain("8 cơ quan chưa nộp báo cáo (hạn trước ngày 15/12/2026, còn 20 ngày):");
    expect(reply).toContain("• IV.9 Ủy ban nhân dân cấp xã: 95/95 đơn vị chưa nộp báo cáo");
    expect(reply).toContain("• IV.4 Bảo hiểm xã hội tỉnh: còn IV.4.a, IV.4.c, IV.4.d, IV.4.đ, IV.4.e, IV.4.g");
    expect(reply).toContain("• IV.3 Thanh tra tỉnh: còn IV.3");
    expect(reply).not.toContain("IV.2 Sở Tài chính");
    // The communes are one line with a button to list them (see test/core/coordinator-views.test.ts).
    expect(reply).not.toContain("IV.9-25195");
  });

  it("/moi IV.2 creates an invite that works", async () => {
    let reply = "";
    const changes = await rowChanges(bot, async () => {
      reply = texts(await bot.send("coord", "/moi IV.2"));
    });
    expect(changes).toEqual({ Invite: 1 });
    expect(reply).toContain("Mã mời cho IV.2 Sở Tài chính:");
    expect(reply).toContain("Hết hạn: 09/12/2026 09:00");
    const code = codeIn(reply);
    expect(reply).toContain(`gõ /start ${code}`);
    const invite = await bot.db.invite.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(invite).toMatchObject({ role: "contact", directoryAgencyId: await directoryId(bot, "STC") });
    expect(invite.createdById).toBe((await personOf(bot, "coord")).id);

    expect(texts(await bot.send("new-stc", `/start ${code}`))).toContain("vai trò đầu mối của Sở Tài chính");
    expect((await personOf(bot, "new-stc")).directoryAgencyId).toBe(await directoryId(bot, "STC"));
  });

  it("/moi for a commune works; /moi IV.9 explains that it is a group", async () => {
    const group = await expectNothingStored(bot, () => bot.send("coord", "/moi IV.9"));
    expect(group).toContain("IV.9 là nhóm 95 đơn vị; mỗi đơn vị cần mã riêng");
    expect(group).toContain("/moi IV.9-MÃ_ĐƠN_VỊ");
    const member = texts(await bot.send("coord", "/moi IV.9-25195"));
    expect(member).toContain("Mã mời cho IV.9-25195 UBND Phường Bình Phước:");
  });

  it("/moi dieuphoi is for administrators only", async () => {
    const refused = await expectNothingStored(bot, () => bot.send("coord", "/moi dieuphoi"));
    expect(refused).toContain("Chỉ quản trị viên mới tạo được mã mời cho điều phối viên.");
    await makeAdmin(bot, "admin");
    const reply = texts(await bot.send("admin", "/moi dieuphoi"));
    expect(reply).toContain("Mã mời cho điều phối viên:");
    expect(texts(await bot.send("new-coord", `/start ${codeIn(reply)}`))).toContain("vai trò điều phối viên");
    expect((await personOf(bot, "new-coord")).role).toBe("coordinator");
  });

  it("/thuhoi revokes an unused invite", async () => {
    const code = codeIn(texts(await bot.send("coord", "/moi IV.5")));
    expect(texts(await bot.send("coord", `/thuhoi ${code}`))).toBe("Đã thu hồi mã mời.");
    expect(texts(await bot.send("late-thue", `/start ${code}`))).toContain("Mã mời này đã bị thu hồi");
    expect(await bot.db.person.count({ where: { directoryAgency: { code: "THUE" } } })).toBe(0);
  });

  it("/thuhoi tells the coordinator, not a joiner, why a code cannot be revoked", async () => {
    const unknown = await expectNothingStored(bot, () => bot.send("coord", "/thuhoi ABCDE-FGHJK"));
    expect(unknown).toBe("Không có mã mời này.");
    const code = codeIn(texts(await bot.send("coord", "/moi IV.5")));
    await bot.send("new-thue", `/start ${code}`);
    const used = await expectNothingStored(bot, () => bot.send("coord", `/thuhoi ${code}`));
    expect(used).toBe("Mã mời này đã được sử dụng, không thể thu hồi.");
  });

  it("/daumoi lists contacts; /khoa deactivates one and keeps their reports", async () => {
    const quang = await personOf(bot, "bhxh");
    const ngoc = await personOf(bot, "bhxh-2");
    const list = texts(await bot.send("coord", "/daumoi IV.4"));
    expect(list).toContain("IV.4 Bảo hiểm xã hội tỉnh: 2 đầu mối");
    expect(list).toContain(`#${quang.id} Quang BHXH · từ 25/11/2026`);
    expect(list).toContain(`#${ngoc.id} Ngọc BHXH · từ 25/11/2026`);
    const reportsBefore = await reportsBy(bot, "bhxh");
    expect(reportsBefore).toHaveLength(1);

    expect(texts(await bot.send("coord", `/khoa ${quang.id}`))).toBe(
      "Đã ngừng đầu mối Quang BHXH. Các báo cáo trước đây vẫn được giữ.",
    );
    const stored = await bot.db.person.findUniqueOrThrow({ where: { id: quang.id } });
    expect(stored).toMatchObject({ active: false, deactivatedAt: new Date("2026-11-25T09:00:00+07:00") });
    expect(await reportsBy(bot, "bhxh")).toEqual(reportsBefore);

    const after = texts(await bot.send("coord", "/daumoi IV.4"));
    expect(after).toContain("IV.4 Bảo hiểm xã hội tỉnh: 1 đầu mối");
    expect(after).toContain(`#${quang.id} Quang BHXH · từ 25/11/2026 · đã ngừng`);

    for (const line of ["4c xong", "/nhiemvu", "/trogiup"]) {
      const reply = await expectNothingStored(bot, () => bot.send("bhxh", line));
      expect(reply, line).toContain("Tài khoản đầu mối của Anh/Chị đã ngừng hoạt động");
    }
    // Their agency's overview no longer counts them, and nudges skip them.
    expect(texts(await bot.send("coord", "/tongquan IV.4"))).toContain("· 1 đầu mối");
    const sent = await notificationsDuring(bot, () => bot.send("coord", "/nhac IV.4"));
    expect(sent.map((n) => n.personId)).toEqual([ngoc.id]);
  });

  it("a deactivated contact can join again with a new invite, as a new person", async () => {
    const old = await personOf(bot, "bhxh");
    const code = codeIn(texts(await bot.send("coord", "/moi IV.4")));
    expect(texts(await bot.send("bhxh", `/start ${code}`))).toContain("vai trò đầu mối của Bảo hiểm xã hội tỉnh");
    const renewed = await personOf(bot, "bhxh");
    expect(renewed.id).not.toBe(old.id);
    expect(renewed.active).toBe(true);
    expect(await bot.db.dutyReport.count({ where: { personId: old.id } })).toBe(1);
  });

  it("/daumoi for an agency without contacts", async () => {
    expect(texts(await bot.send("coord", "/daumoi IV.3"))).toBe(
      "IV.3 Thanh tra tỉnh chưa có đầu mối. Tạo mã mời: /moi",
    );
  });

  it("/khoa stops contacts only: a coordinator cannot stop itself, another coordinator or an administrator", async () => {
    const self = await personOf(bot, "coord");
    const admin = await personOf(bot, "admin");
    const other = await personOf(bot, "new-coord");
    // Each refusal says why, instead of "no contact #N".
    const expected = new Map([
      [self.id, `#${self.id} là điều phối viên; chỉ quản trị viên mới khóa được điều phối viên.`],
      [other.id, `#${other.id} là điều phối viên; chỉ quản trị viên mới khóa được điều phối viên.`],
      [admin.id, `#${admin.id} là quản trị viên hệ thống, không thể khóa bằng /khoa.`],
    ]);
    for (const target of [self, other, admin]) {
      const reply = await expectNothingStored(bot, () => bot.send("coord", `/khoa ${target.id}`));
      expect(reply).toBe(expected.get(target.id));
      expect((await bot.db.person.findUniqueOrThrow({ where: { id: target.id } })).active).toBe(true);
    }
    expect(texts(await bot.send("coord", "/tongquan"))).toContain("cơ quan đã nộp báo cáo");
    // An administrator may stop a coordinator.
    expect(texts(await bot.send("admin", `/khoa ${other.id}`))).toContain("Đã ngừng");
    expect((await bot.db.person.findUniqueOrThrow({ where: { id: other.id } })).active).toBe(false);
  });

  it("/kehoach shows the plan and its targets, to contacts as well", async () => {
    const reply = texts(await bot.send("coord", "/kehoach"));
    expect(reply).toContain(`Kế hoạch ${PLAN_TITLE}`);
    expect(reply).toContain("Tỉnh/thành: Đồng Nai");
    expect(reply).toContain("9 cơ quan, 29 nhiệm vụ; báo cáo kết quả trước ngày 15/12/2026 (còn 20 ngày).");
    expect(reply).toContain("II.1 Tỷ lệ tham gia bảo hiểm xã hội bắt buộc: 95% (1.115.590/1.174.298 người)");
    expect(reply).toContain("II.2 Tỷ lệ tham gia bảo hiểm xã hội tự nguyện: 3,8% (40.100/1.055.260 người)");
    expect(reply).toContain("II.3 Tỷ lệ tham gia bảo hiểm thất nghiệp: 95% (1.077.108/1.133.560 người)");
    expect(texts(await bot.send("stc", "/kehoach"))).toBe(reply);
  });

  it("tells a duty reported as not started from one nobody has reported on, in chat and in status --json", async () => {
    expect(texts(await bot.send("bhxh", "4c chưa làm"))).toContain("IV.4.c");
    const reply = texts(await bot.send("coord", "/tongquan IV.4"));
    expect(reply).toMatch(/⬜ IV\.4\.c: .*\n {3}Chưa thực hiện 0% · cập nhật /);
    expect(reply).toMatch(/▫️ IV\.4\.a: .*\n {3}Chưa báo cáo$/m);
    const status = await loadPlanStatus(bot.db, await getActivePlan(bot.db));
    const iv4 = status.agencies.find((a) => a.agency.code === "IV.4")!;
    const byCode = new Map(iv4.duties.map((d) => [d.code, d]));
    expect([byCode.get("IV.4.c")!.status, dutyState(byCode.get("IV.4.c")!)]).toEqual(["not_started", "not_started"]);
    expect([byCode.get("IV.4.a")!.status, dutyState(byCode.get("IV.4.a")!)]).toEqual(["not_started", "not_reported"]);
  });
});

describe("reminding contacts (/nhac)", () => {
  let bot: TestBot;
  let ivFour: number[];
  beforeAll(async () => {
    bot = await createTestBot();
    await bot.join("coord", null);
    await bot.join("coord-2", null);
    await bot.join("bhxh", "IV.4");
    await bot.join("bhxh-2", "IV.4");
    await bot.join("stc", "IV.2");
    await bot.join("ldld", "IV.8");
    ivFour = [(await personOf(bot, "bhxh")).id, (await personOf(bot, "bhxh-2")).id].sort();
    await bot.send("bhxh", "4a xong");
  });
  afterAll(async () => bot.db.$disconnect());

  it("/nhac IV.4 nudges IV.4's contacts with the reminder and two buttons", async () => {
    let reply = "";
    const sent = await notificationsDuring(bot, async () => {
      reply = await expectNothingStored(bot, () => bot.send("coord", "/nhac IV.4"));
    });
    expect(reply).toBe("Đã gửi nhắc tới 2 đầu mối của 1 cơ quan.");
    expect(sent.map((n) => n.personId).sort()).toEqual(ivFour);
    for (const n of sent) {
      expect(n.kind).toBe("nudge");
      expect(n.message.text).toContain(
        "🔔 Nhắc việc: kế hoạch yêu cầu Bảo hiểm xã hội tỉnh báo cáo kết quả thực hiện trước ngày 15/12/2026 (còn 20 ngày). Cơ quan chưa nộp báo cáo.",
      );
      expect(n.message.text).toContain("Nhiệm vụ chưa hoàn thành:\n• IV.4.b");
      expect(n.message.text).not.toContain("• IV.4.a");
      expect(n.message.text).toContain("Báo cáo nhanh: IV.4.b 60% đang thực hiện");
      expect(n.message.choices).toEqual([
        [
          { label: "Báo cáo ngay", value: START_REPORT },
          { label: "Nộp báo cáo", value: START_SUBMIT },
        ],
      ]);
    }
  });

  it("the 'Báo cáo ngay' button opens the guided report", async () => {
    const reply = await bot.choose("bhxh-2", START_REPORT);
    expect(texts(reply)).toContain("Chọn nhiệm vụ cần báo cáo");
    expect(choiceValues(reply)).toContain("report:duty:IV.4.b");
    await bot.send("bhxh-2", "/huy");
  });

  it("/nhac says 'đề nghị' to a requested body, and when nobody is left to remind", async () => {
    const sent = await notificationsDuring(bot, () => bot.send("coord", "/nhac IV.8"));
    expect(sent[0]!.message.text).toContain("kế hoạch đề nghị Liên đoàn Lao động tỉnh báo cáo");
    // Nobody to nudge: the reply says which of the two reasons holds.
    expect(texts(await bot.send("coord", "/nhac IV.5"))).toBe(
      "IV.5: chưa nộp báo cáo nhưng chưa có đầu mối nào để nhắc. Tạo mã mời: /moi IV.5",
    );
  });

  it("/nhac all asks first and sends only after 'remind_all:confirm'", async () => {
    let ask: Awaited<ReturnType<typeof bot.send>> = [];
    const none = await notificationsDuring(bot, async () => {
      ask = await bot.send("coord", "/nhac all");
    });
    expect(none).toEqual([]);
    expect(texts(ask)).toBe("Gửi nhắc tới 4 đầu mối của 3 cơ quan chưa nộp báo cáo?");
    expect(ask[0]!.choices).toEqual([
      [{ label: "Gửi nhắc", value: "remind_all:confirm" }],
      [{ label: "Hủy", value: "remind_all:cancel" }],
    ]);

    const cancelled = await notificationsDuring(bot, async () => {
      expect(texts(await bot.choose("coord", "remind_all:cancel"))).toBe("Đã hủy. Không có gì được ghi nhận.");
    });
    expect(cancelled).toEqual([]);
    // The cancelled question's button does nothing any more.
    expect(texts(await bot.choose("coord", "remind_all:confirm"))).toContain("Lựa chọn này không còn hiệu lực");

    await bot.send("coord", "/nhac tất cả");
    let reply = "";
    const sent = await notificationsDuring(bot, async () => {
      reply = texts(await bot.choose("coord", "remind_all:confirm"));
    });
    expect(reply).toBe("Đã gửi nhắc tới 4 đầu mối của 3 cơ quan.");
    const expected = [...ivFour, (await personOf(bot, "stc")).id, (await personOf(bot, "ldld")).id].sort();
    expect(sent.map((n) => n.personId).sort()).toEqual(expected);
    expect(sent.every((n) => n.kind === "nudge")).toBe(true);
  });

  it("/nhac all skips agencies that have submitted", async () => {
    await submitReport(bot, "stc");
    expect(texts(await bot.send("coord", "/nhac all"))).toBe("Gửi nhắc tới 3 đầu mối của 2 cơ quan chưa nộp báo cáo?");
    await bot.send("coord", "/huy");
  });

  // Last in this block: IV.2 stays submitted for good.
  it("/nhac to an agency that has submitted says so rather than 'nobody to remind'", async () => {
    await submitReport(bot, "stc");
    expect(texts(await bot.send("coord", "/nhac IV.2"))).toBe("IV.2: đã nộp báo cáo, không cần nhắc.");
  });
});

describe("/trogiup shows each role only its own commands", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
    await bot.join("bhxh", "IV.4");
    await bot.join("stc", "IV.2");
    await bot.join("coord", null);
  });
  afterAll(async () => bot.db.$disconnect());

  const commandsIn = (help: string) => [...help.matchAll(/^\/(\w+)/gm)].map((m) => m[1]);

  it("a contact of IV.4 sees the contact commands and /chitieu, with a one-line example", async () => {
    const help = texts(await bot.send("bhxh", "/trogiup"));
    expect(help).toContain("Các lệnh của Anh/Chị (đầu mối):");
    expect(commandsIn(help)).toEqual([
      "nhiemvu",
      "baocao",
      "nopbaocao",
      "vuongmac",
      "chitieu",
      "kehoach",
      "xuat",
      "baocaotonghop",
      "bieudo",
      "ngonngu",
      "lienket",
      "huy",
      "trogiup",
    ]);
    expect(help).toContain("Báo cáo nhanh bằng một dòng: IV.4.a 60% đang thực hiện");
    // Only the options a contact may use: exports are of their own agency, so no agency argument.
    expect(help).toContain("/xuat [xlsx|csv]: nhận tệp Excel (mặc định) hoặc CSV tiến độ của cơ quan Anh/Chị");
    expect(help).not.toContain("CƠ_QUAN");
    // The coordinator's help keeps the agency option.
    expect(texts(await bot.send("coord", "/trogiup"))).toContain("/xuat [xlsx|csv] [CƠ_QUAN]");
    expect(help).not.toContain("/tongquan");
  });

  it("a contact of another agency does not see /chitieu", async () => {
    const help = texts(await bot.send("stc", "/help"));
    expect(commandsIn(help)).toContain("baocao");
    expect(commandsIn(help)).not.toContain("chitieu");
    expect(help).not.toContain("/tongquan");
  });

  it("a coordinator sees the coordinator commands and none of the contact ones", async () => {
    const help = texts(await bot.send("coord", "/trogiup"));
    expect(help).toContain("Các lệnh của Anh/Chị (điều phối viên):");
    const commands = commandsIn(help);
    for (const c of ["tongquan", "quahan", "nhac", "moi", "daumoi", "khoa", "dsvuongmac", "giaiquyet", "molai"]) {
      expect(commands).toContain(c);
    }
    for (const c of ["baocao", "nhiemvu", "nopbaocao", "vuongmac"]) expect(commands).not.toContain(c);
    expect(help).not.toContain("Báo cáo nhanh bằng một dòng");
  });

  it("/trogiup does not abandon a flow in progress", async () => {
    await bot.send("bhxh", "/baocao");
    await bot.choose("bhxh", "report:duty:IV.4.c");
    await bot.send("bhxh", "/trogiup");
    expect(texts(await bot.choose("bhxh", "report:status:done"))).toContain("Ghi chú thêm");
    await bot.send("bhxh", "/huy");
  });
});

describe("language (/ngonngu)", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
    await bot.join("coord", null);
    await bot.join("bhxh", "IV.4");
    await bot.join("stc", "IV.2");
  });
  afterAll(async () => bot.db.$disconnect());

  it("switches one person to English and stores the locale", async () => {
    expect(texts(await bot.send("bhxh", "/ngonngu en"))).toBe("Switched to English.");
    expect((await personOf(bot, "bhxh")).locale).toBe("en");
    expect((await personOf(bot, "stc")).locale).toBe("vi");

    const help = texts(await bot.send("bhxh", "/trogiup"));
    expect(help).toContain("Your commands (contact):");
    expect(help).toContain("/report (/baocao)");
    expect(texts(await bot.send("bhxh", "4b 60%"))).toContain("Report recorded:\nIV.4.b:");
    expect(texts(await bot.send("bhxh", "/tongquan"))).toContain("The /tongquan command is not available");
    // Others keep Vietnamese.
    expect(texts(await bot.send("stc", "/trogiup"))).toContain("Các lệnh của Anh/Chị (đầu mối):");
  });

  it("builds notifications in each recipient's own language", async () => {
    await bot.send("coord", "/ngonngu EN");
    const sent = await notificationsDuring(bot, async () => {
      expect(texts(await bot.send("stc", "/vuongmac Thiếu dữ liệu"))).toContain("Đã ghi nhận vướng mắc");
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.message.text).toContain("⚠️ Issue #");
    expect(sent[0]!.message.text).toContain("from IV.2 Sở Tài chính");
  });

  it("switches back to Vietnamese", async () => {
    expect(texts(await bot.send("bhxh", "/language vi"))).toBe("Đã chuyển sang tiếng Việt.");
    expect((await personOf(bot, "bhxh")).locale).toBe("vi");
    expect(texts(await bot.send("bhxh", "/trogiup"))).toContain("Các lệnh của Anh/Chị (đầu mối):");
  });
});

describe("/tamdung past the deadline", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot({ now: "2026-12-10T09:00" });
    await bot.join("coord", null, "Điều Phối");
  });
  afterAll(async () => bot.db.$disconnect());

  const pausedUntil = async (code: string) => (await bot.db.agency.findFirstOrThrow({ where: { code } })).pausedUntil;

  it("asks first, saying that no overdue reminder will go out, and pauses nothing yet", async () => {
    const ask = await bot.send("coord", "/tamdung IV.9 20/12");
    expect(texts(ask)).toBe(
      "Ngày 20/12/2026 đã qua hạn nộp báo cáo (trước ngày 15/12/2026). Nếu tạm dừng, IV.9 Ủy ban nhân dân cấp xã sẽ không nhận nhắc việc nào đến hết ngày 20/12/2026, kể cả nhắc quá hạn khi chưa nộp báo cáo. Vẫn tạm dừng?",
    );
    expect(ask[0]!.choices).toEqual([
      [{ label: "Tạm dừng", value: "pause:confirm" }],
      [{ label: "Hủy", value: "pause:cancel" }],
    ]);
    expect(await pausedUntil("IV.9")).toBeNull();
  });

  it("pauses nothing when cancelled, and the question's button then does nothing", async () => {
    expect(texts(await bot.choose("coord", "pause:cancel"))).toBe("Đã hủy. Không có gì được ghi nhận.");
    expect(texts(await bot.choose("coord", "pause:confirm"))).toContain("Lựa chọn này không còn hiệu lực");
    expect(await pausedUntil("IV.9")).toBeNull();
  });

  it("pauses on confirmation, once", async () => {
    await bot.send("coord", "/tamdung IV.9 20/12");
    expect(texts(await bot.choose("coord", "pause:confirm"))).toBe(
      "Đã tạm dừng nhắc việc cho IV.9 Ủy ban nhân dân cấp xã đến hết ngày 20/12/2026.",
    );
    expect(await pausedUntil("IV.9")).toBe("2026-12-20");
    expect(texts(await bot.choose("coord", "pause:confirm"))).toContain("Lựa chọn này không còn hiệu lực");
  });

  it("asks for a pause through the deadline date itself, the first overdue day, and not for the day before", async () => {
    expect(texts(await bot.send("coord", "/tamdung IV.4 15/12"))).toContain("đã qua hạn nộp báo cáo");
    await bot.send("coord", "/huy");
    expect(await pausedUntil("IV.4")).toBeNull();
    expect(texts(await bot.send("coord", "/tamdung IV.4 14/12"))).toBe(
      "Đã tạm dừng nhắc việc cho IV.4 Bảo hiểm xã hội tỉnh đến hết ngày 14/12/2026.",
    );
    expect(await pausedUntil("IV.4")).toBe("2026-12-14");
  });
});
