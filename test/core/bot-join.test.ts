import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PlatformIdentity } from "../../src/model/bot-core.ts";
import { hashInviteCode, revokeInvite } from "../../src/services/invite-service.ts";
import { createTestBot, texts, type TestBot } from "../helpers/bot.ts";
import { agencyId, codeIn, DAY, directoryId, expectNothingStored, personOf, rowChanges } from "../helpers/bot-steps.ts";
import { tableSnapshot } from "../helpers/db.ts";

const START = new Date("2026-11-25T09:00:00+07:00");
// Well-formed, but never issued: the alphabet has no I, L, O, 0 or 1, and this one was not generated.
const WRONG_CODE = "ABCDE-FGHJK";

describe("joining with an invite code", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
  });
  afterEach(() => bot.clock.set(START));
  afterAll(async () => bot.db.$disconnect());

  const start = (user: string, code: string, name = user) =>
    bot.core.handle({ kind: "command", from: bot.identity(user, name), command: "batdau", args: code });

  function inviteRow(code: string) {
    return bot.db.invite.findUniqueOrThrow({ where: { codeHash: hashInviteCode(code) } });
  }

  it("tells someone who joins after the deadline that the report is overdue", async () => {
    bot.clock.set(new Date("2026-12-15T08:00:00+07:00"));
    const code = await bot.inviteCode("IV.2");
    const reply = texts(await start("late-joiner", code));
    expect(reply).toContain("hạn báo cáo kết quả (trước ngày 15/12/2026) đã qua, đề nghị cơ quan gửi báo cáo sớm nhất");
    expect(reply).not.toContain("; báo cáo kết quả trước ngày");
  });

  it("joins a contact: the welcome names the agency, a Person and an Identity are stored", async () => {
    const code = await bot.inviteCode("IV.4");
    let replies = "";
    const changes = await rowChanges(bot, async () => {
      replies = texts(await start("lan", code, "Nguyễn Thị Lan"));
    });
    expect(replies).toContain("Chào Nguyễn Thị Lan!");
    expect(replies).toContain("vai trò đầu mối của Bảo hiểm xã hội tỉnh");
    expect(replies).toContain("7 nhiệm vụ");
    expect(replies).toContain("15/12/2026");
    expect(changes).toEqual({ Person: 1, Identity: 1 });

    const person = await personOf(bot, "lan");
    expect(person).toMatchObject({ role: "contact", displayName: "Nguyễn Thị Lan", active: true });
    expect(person.directoryAgencyId).toBe(await directoryId(bot, "BHXH"));
    expect(person.identities).toEqual([
      expect.objectContaining({ platform: "test", userId: "lan", chatId: "chat-lan" }),
    ]);
    const invite = await inviteRow(code);
    expect(invite.usedAt).not.toBeNull();
    expect(invite.usedByPersonId).toBe(person.id);
  });

  it("joins a commune contact under its group's duties", async () => {
    const code = await bot.inviteCode("IV.9-25195");
    const reply = texts(await start("xa-binh-phuoc", code));
    expect(reply).toContain("đầu mối của UBND Phường Bình Phước");
    expect(reply).toContain("4 nhiệm vụ");
    const person = await personOf(bot, "xa-binh-phuoc");
    expect(person.directoryAgency?.code).toBe("25195");
  });

  it("joins a coordinator with a coordinator invite", async () => {
    const code = await bot.inviteCode(null, "coordinator");
    const reply = texts(await start("dieu-phoi", code, "Trần Văn Hùng"));
    expect(reply).toContain("Chào Trần Văn Hùng!");
    expect(reply).toContain("vai trò điều phối viên");
    const person = await personOf(bot, "dieu-phoi");
    expect(person).toMatchObject({ role: "coordinator", directoryAgencyId: null, active: true });
  });

  it("explains how to get a code on a bare /start, storing nothing", async () => {
    const reply = await expectNothingStored(bot, () => bot.send("bare-start", "/start"));
    expect(reply).toContain("gõ /start kèm mã mời do Sở Nội vụ cấp");
    expect(reply).toContain("liên hệ Sở Nội vụ");
  });

  it("answers a stranger's text, command or button with the join explanation and stores nothing", async () => {
    for (const line of ["xin chào", "4b xong", "/baocao", "/tongquan", "/trogiup"]) {
      const reply = await expectNothingStored(bot, () => bot.send("stranger", line));
      expect(reply, line).toContain("Để tham gia, gõ /start kèm mã mời");
    }
    const reply = await expectNothingStored(bot, () => bot.choose("stranger", "report:duty:IV.4.b"));
    expect(reply).toContain("Để tham gia, gõ /start kèm mã mời");
    expect(await bot.db.identity.count({ where: { userId: "stranger" } })).toBe(0);
  });

  it("refuses a wrong code and counts the attempt, creating no one", async () => {
    let reply = "";
    const changes = await rowChanges(bot, async () => {
      reply = texts(await start("wrong-code", WRONG_CODE));
    });
    expect(reply).toContain("Mã mời không đúng");
    expect(changes).toEqual({ JoinAttempt: 1 });
  });

  it("refuses a code that someone else already used", async () => {
    const code = await bot.inviteCode("IV.2");
    expect(texts(await start("first-user", code))).toContain("Chào");
    let reply = "";
    const changes = await rowChanges(bot, async () => {
      reply = texts(await start("second-user", code));
    });
    expect(reply).toContain("Mã mời này đã được sử dụng");
    expect(changes).toEqual({ JoinAttempt: 1 });
    expect((await inviteRow(code)).usedByPersonId).toBe((await personOf(bot, "first-user")).id);
  });

  it("refuses an expired code (issued 15 days ago), but a 13-day-old one still works", async () => {
    const old = await bot.inviteCode("IV.5");
    const fresh = await bot.inviteCode("IV.5");
    bot.clock.advance(13 * DAY);
    expect(texts(await start("thirteen-days", fresh))).toContain("Chào");
    bot.clock.advance(2 * DAY);
    let reply = "";
    const changes = await rowChanges(bot, async () => {
      reply = texts(await start("fifteen-days", old));
    });
    expect(reply).toContain("Mã mời này đã hết hạn");
    expect(changes).toEqual({ JoinAttempt: 1 });
  });

  it("refuses a revoked code", async () => {
    const code = await bot.inviteCode("IV.6");
    await revokeInvite(bot.deps, code);
    let reply = "";
    const changes = await rowChanges(bot, async () => {
      reply = texts(await start("revoked", code));
    });
    expect(reply).toContain("Mã mời này đã bị thu hồi");
    expect(changes).toEqual({ JoinAttempt: 1 });
    expect((await inviteRow(code)).usedAt).toBeNull();
  });

  it("after 5 wrong codes answers a 6th with the limit and stores nothing, but a right code still joins", async () => {
    const valid = await bot.inviteCode("IV.7");
    for (let i = 0; i < 5; i++) {
      expect(texts(await start("guesser", WRONG_CODE))).toContain("Mã mời không đúng");
      bot.clock.advance(60 * 1000);
    }
    const limited = await expectNothingStored(bot, () => start("guesser", WRONG_CODE));
    expect(limited).toContain("Anh/Chị đã nhập sai mã mời 5 lần trong một giờ");
    // An expired or used code is a wrong code too: past the limit it gets the same answer.
    const used = await bot.inviteCode("IV.7");
    expect(texts(await start("bystander", used))).toContain("Chào");
    expect(await expectNothingStored(bot, () => start("guesser", used))).toContain("5 lần trong một giờ");

    const reply = texts(await start("guesser", valid));
    expect(reply).toContain("vai trò đầu mối của Báo và Phát thanh, Truyền hình Đồng Nai");
    expect((await personOf(bot, "guesser")).directoryAgency?.code).toBe("BPTTH");
    expect((await inviteRow(valid)).usedAt).not.toBeNull();
  });

  it("accepts a code typed in lower case, or without its dash", async () => {
    const lower = await bot.inviteCode("IV.8");
    expect(texts(await start("lowercase", lower.toLowerCase()))).toContain("Chào");
    expect((await personOf(bot, "lowercase")).directoryAgency?.code).toBe("LDLD");

    const undashed = await bot.inviteCode("IV.8");
    expect(texts(await start("undashed", ` ${undashed.replace("-", "")} `))).toContain("Chào");
    expect((await personOf(bot, "undashed")).directoryAgency?.code).toBe("LDLD");
  });

  it("joins when a stranger pastes only the code as a message", async () => {
    const code = await bot.inviteCode("IV.1");
    const reply = texts(await bot.send("paster", code));
    expect(reply).toContain("vai trò đầu mối của Sở Nội vụ");
    expect((await personOf(bot, "paster")).directoryAgency?.code).toBe("SNV");

    const lower = await bot.inviteCode("IV.1");
    expect(texts(await bot.send("paster-lower", lower.toLowerCase()))).toContain("Chào");
  });

  it("tells someone who already joined so, with or without a code, and leaves the new code unused", async () => {
    await bot.join("twice", "IV.3");
    const code = await bot.inviteCode("IV.3");
    const again = await expectNothingStored(bot, () => start("twice", code));
    expect(again).toContain("Anh/Chị đã tham gia Nhắc Việc rồi");
    expect((await inviteRow(code)).usedAt).toBeNull();
    const bare = await expectNothingStored(bot, () => bot.send("twice", "/start"));
    expect(bare).toContain("Anh/Chị đã tham gia Nhắc Việc rồi");
  });

  it("links a second platform's account to the same person with /lienket", async () => {
    await bot.join("linker", "IV.4", "Phạm Minh");
    const person = await personOf(bot, "linker");
    const reply = texts(await bot.send("linker", "/lienket"));
    expect(reply).toContain("Mã liên kết:");
    expect(reply).toContain("trong vòng 14 ngày");
    const code = codeIn(reply);

    const other: PlatformIdentity = { platform: "other", userId: "U-123", chatId: "D-123", displayName: "minh.pham" };
    let linked = "";
    const changes = await rowChanges(bot, async () => {
      linked = texts(await bot.core.handle({ kind: "command", from: other, command: "batdau", args: code }));
    });
    expect(linked).toContain("Đã liên kết tài khoản này với Phạm Minh");
    expect(changes).toEqual({ Identity: 1 });
    const identities = await bot.db.identity.findMany({ where: { personId: person.id }, orderBy: { id: "asc" } });
    expect(identities.map((i) => i.platform)).toEqual(["test", "other"]);

    // The other platform now acts as the same contact.
    const report = texts(await bot.core.handle({ kind: "text", from: other, text: "4b xong" }));
    expect(report).toContain("Đã ghi nhận báo cáo");
    const stored = await bot.db.dutyReport.findFirstOrThrow({ where: { personId: person.id } });
    expect(stored.agencyId).toBe(await agencyId(bot, "IV.4"));

    // A link code is single-use like any other.
    const third: PlatformIdentity = { platform: "third", userId: "x", chatId: "x", displayName: "x" };
    const reused = texts(await bot.core.handle({ kind: "command", from: third, command: "batdau", args: code }));
    expect(reused).toContain("Mã mời này đã được sử dụng");
  });

  it("refuses a link code of a person deactivated since it was made, clearly, storing nothing", async () => {
    await bot.join("leaver", "IV.5", "Trần Rời");
    const person = await personOf(bot, "leaver");
    const code = codeIn(texts(await bot.send("leaver", "/lienket")));
    await bot.join("coord-khoa", null, "Điều Phối");
    expect(texts(await bot.send("coord-khoa", `/khoa ${person.id}`))).toContain("Đã ngừng đầu mối Trần Rời");

    const stranger: PlatformIdentity = { platform: "other", userId: "U-999", chatId: "D-999", displayName: "x" };
    const refused = await expectNothingStored(bot, () =>
      bot.core.handle({ kind: "command", from: stranger, command: "batdau", args: code }),
    );
    expect(refused).toBe(
      "Mã liên kết này thuộc về một tài khoản đã ngừng hoạt động nên không dùng được; chưa có gì được ghi nhận. Nếu cần tham gia, vui lòng xin mã mời mới từ Sở Nội vụ.",
    );
    expect(await bot.db.identity.count({ where: { personId: person.id } })).toBe(1);
    // /khoa also revoked the code, so it is not left live in the invite list.
    expect((await inviteRow(code)).revokedAt).not.toBeNull();
  });

  it("refuses a link code even when its person was deactivated without revoking it", async () => {
    await bot.join("leaver2", "IV.5", "Lê Đi");
    const person = await personOf(bot, "leaver2");
    const code = codeIn(texts(await bot.send("leaver2", "/lienket")));
    // As a row changed by another path (an older version, a hand edit): only the person is inactive.
    await bot.db.person.update({ where: { id: person.id }, data: { active: false } });
    const stranger: PlatformIdentity = { platform: "other", userId: "U-998", chatId: "D-998", displayName: "y" };
    const refused = await expectNothingStored(bot, () =>
      bot.core.handle({ kind: "command", from: stranger, command: "batdau", args: code }),
    );
    expect(refused).toContain("Mã liên kết này thuộc về một tài khoản đã ngừng hoạt động");
    expect((await inviteRow(code)).usedAt).toBeNull();
  });

  it("keeps a joined member's private chat address current when it changes", async () => {
    await bot.join("mover", "IV.2");
    await bot.core.handle({
      kind: "command",
      from: { platform: "test", userId: "mover", chatId: "dm-42", displayName: "Mover (new name)" },
      command: "trogiup",
      args: "",
    });
    const identity = await bot.db.identity.findUniqueOrThrow({
      where: { platform_userId: { platform: "test", userId: "mover" } },
    });
    expect(identity).toMatchObject({ chatId: "dm-42", displayName: "Mover (new name)" });
  });

  it("in a group chat answers nothing but a request to write privately, and stores nothing", async () => {
    await bot.join("grouped", "IV.2");
    const inGroup = { platform: "test", userId: "grouped", chatId: "group-7", displayName: "G", privateChat: false };
    const code = await bot.inviteCode("IV.3");
    const before = await tableSnapshot(bot.db);
    for (const event of [
      { kind: "command" as const, from: inGroup, command: "nhiemvu" as const, args: "" },
      { kind: "text" as const, from: inGroup, text: "2a xong" },
      { kind: "command" as const, from: { ...inGroup, userId: "newcomer" }, command: "batdau" as const, args: code },
    ]) {
      expect(texts(await bot.core.handle(event))).toBe(
        "Để giữ kín thông tin của cơ quan, vui lòng nhắn riêng cho Nhắc Việc (không dùng trong nhóm).",
      );
    }
    expect(await tableSnapshot(bot.db)).toEqual(before);
    const identity = await bot.db.identity.findUniqueOrThrow({
      where: { platform_userId: { platform: "test", userId: "grouped" } },
    });
    expect(identity.chatId).toBe("chat-grouped");
  });
});

describe("welcome wording", () => {
  it("asks a requested body to help carry out its duties, and assigns them to others", async () => {
    const bot = await createTestBot();
    const code = await bot.inviteCode("IV.8");
    const requested = texts(await bot.send("ldld", `/start ${code}`));
    expect(requested).toContain(
      "Kế hoạch đề nghị Liên đoàn Lao động tỉnh phối hợp thực hiện 3 nhiệm vụ; báo cáo kết quả trước ngày 15/12/2026.",
    );
    const assigned = texts(await bot.send("snv", `/start ${await bot.inviteCode("IV.1")}`));
    expect(assigned).toContain("Kế hoạch giao Sở Nội vụ 6 nhiệm vụ; báo cáo kết quả trước ngày 15/12/2026.");
    await bot.db.$disconnect();
  });
});
