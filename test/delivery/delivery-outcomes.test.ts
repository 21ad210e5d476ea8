// What coordinators are told about the pushes their commands cause: the reply says whether each
// goes out now, waits for 07:00, or cannot reach someone (and what to do); a push that later fails
// for good is told to the coordinator who caused it at once, once; the digest says why a delivery
// failed in plain words of the reader's language, never the platform's.
import { webApi } from "@slack/bolt";
import { GrammyError, HttpError } from "grammy";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { toDeliveryError as slackError } from "../../adapters/slack/errors.ts";
import { createTelegramAdapter, type TelegramAdapter } from "../../adapters/telegram/telegram-adapter.ts";
import { toDeliveryError as telegramError } from "../../adapters/telegram/errors.ts";
import { toDeliveryError as zaloError, ZaloApiError } from "../../adapters/zalo/errors.ts";
import { createApp, type App } from "../../src/app.ts";
import { createManualClock, type ManualClock } from "../../src/lib/clock.ts";
import { loadConfig } from "../../src/config.ts";
import { createBotCore } from "../../src/core/bot.ts";
import { createOutboxNotifier, enqueue } from "../../src/delivery/outbox.ts";
import type { DeliveryError } from "../../src/delivery/types.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { createInvite } from "../../src/services/invite-service.ts";
import type { Role } from "../../src/model/roles.ts";
import { findAgency, getActivePlan } from "../../src/services/plan-service.ts";
import { toIsoLocal } from "../../src/lib/time.ts";
import { texts } from "../helpers/bot.ts";
import { personOf, sendVia } from "../helpers/bot-steps.ts";
import { createTestDb, onPostgres } from "../helpers/db.ts";
import { createReminderRig, instant, iso, type ReminderRig } from "../helpers/reminders-harness.ts";
import { BLOCKED, BOT_INFO, createRecorder, findButton, pressUpdate, textUpdate, TOKEN } from "../helpers/telegram.ts";
import type { Person, Recorder } from "../helpers/telegram.ts";
import { root } from "../helpers/processes.ts";

const silent = createLogger("silent");
const MORNING = instant("2026-12-01T09:00");
const lan: Person = { id: 501, name: "Chị Lan" };
const minh: Person = { id: 601, name: "Anh Minh" };

interface TelegramBot {
  app: App;
  adapter: TelegramAdapter;
  recorder: Recorder;
  clock: ManualClock;
  send(person: Person, text: string): Promise<void>;
  press(person: Person, label: string): Promise<void>;
  texts(person: Person): string[];
  invite(agency: string | null, role?: Role): Promise<string>;
  personId(person: Person): Promise<number>;
  close(): Promise<void>;
}

/** The app with the real Telegram adapter; Telegram is the tests' recorder behind grammY's transformer. */
async function telegramBot(): Promise<TelegramBot> {
  const { url, db } = await createTestDb();
  await db.$disconnect();
  const clock = createManualClock(MORNING);
  const recorder = createRecorder();
  let adapter!: TelegramAdapter;
  const app = await createApp({
    config: loadConfig({ DATABASE_URL: url, TELEGRAM_BOT_TOKEN: TOKEN }),
    logger: silent,
    clock,
    adapters: (host) => [
      (adapter = createTelegramAdapter({
        host,
        settings: {
          token: TOKEN,
          username: undefined,
          apiRoot: undefined,
          webhook: { url: "https://nhacviec.example.vn/telegram", secret: "bi-mat_123" },
        },
        pace: { perSecond: 1000, perChatMs: 0 },
        defaultLocale: "vi",
        botInfo: BOT_INFO,
        transformers: [recorder.transformer],
      })),
    ],
  });
  return {
    app,
    adapter,
    recorder,
    clock,
    send: (person, text) => adapter.bot.handleUpdate(textUpdate(person, text)),
    press: async (person, label) => {
      const button = findButton(recorder, label, person.id);
      await adapter.bot.handleUpdate(pressUpdate(person, button, button.data));
    },
    texts: (person) => recorder.sent(person.id).map((m) => m.text),
    invite: async (agencyCode, role = agencyCode ? "contact" : "coordinator") => {
      const plan = await getActivePlan(app.db);
      const agency = agencyCode ? await findAgency(app.db, plan.id, agencyCode) : null;
      return (await createInvite({ db: app.db, clock, inviteTtlDays: 14 }, { agency, role })).code;
    },
    personId: async (person) =>
      (
        await app.db.identity.findUniqueOrThrow({
          where: { platform_userId: { platform: "telegram", userId: String(person.id) } },
        })
      ).personId,
    close: async () => {
      await adapter.stop();
      await app.close(0);
    },
  };
}

/** Lan (IV.4) and Minh (coordinator) joined; Lan has submitted, so IV.4's report can be reopened. */
async function submittedAndBlocked(bot: TelegramBot): Promise<void> {
  await bot.send(lan, `/start ${await bot.invite("IV.4")}`);
  await bot.send(minh, `/start ${await bot.invite(null)}`);
  await bot.send(lan, "/nopbaocao");
  await bot.press(lan, "Gửi báo cáo");
  // The coordinators' notice of the submission goes out before Lan blocks the bot.
  await bot.app.flush();
  await enqueue(bot.app.db, MORNING, [
    {
      key: "truoc-do",
      kind: "notification",
      personId: await bot.personId(lan),
      message: { text: "Nhắc nộp báo cáo" },
      dueAt: MORNING,
    },
  ]);
  bot.recorder.failNext("sendMessage", BLOCKED);
  await bot.app.sender.sendDue(MORNING);
}

describe("a /molai to a contact who blocked the bot, on Telegram", () => {
  let bot: TelegramBot;
  afterEach(async () => bot?.close());

  it("says the comment cannot reach her, why, and what to do; and does not tell it twice", async () => {
    bot = await telegramBot();
    await submittedAndBlocked(bot);
    await bot.send(minh, "/molai IV.4 Đề nghị bổ sung số liệu");
    const reply = bot.texts(minh).at(-1)!;
    expect(reply).not.toContain("gửi nhận xét tới đầu mối");
    expect(reply).toBe(
      [
        "Đã mở lại báo cáo của Bảo hiểm xã hội tỉnh.",
        "Không gửi được tới 1 người:",
        "• Chị Lan, BHXH (Telegram): đã chặn bot. Hãy gọi điện báo nội dung cho người nhận và nhờ họ bỏ chặn bot, rồi nhắn cho bot một tin bất kỳ: từ đó bot gửi tin được cho họ.",
      ].join("\n"),
    );
    // The 403's meaning is kept on her account, not Telegram's words.
    const identity = await bot.app.db.identity.findFirstOrThrow({ where: { personId: await bot.personId(lan) } });
    expect(identity.unreachableReason).toBe("blocked");

    // The push is recorded as the coordinator's, and ends unreachable without a second message to him.
    const before = bot.texts(minh).length;
    await bot.app.flush();
    const row = await bot.app.db.outboxMessage.findFirstOrThrow({
      where: { personId: await bot.personId(lan), kind: "notification", key: { not: "truoc-do" } },
      orderBy: { id: "desc" },
    });
    expect(row).toMatchObject({
      status: "unreachable",
      failureReason: "blocked",
      requestedById: await bot.personId(minh),
    });
    expect(row.failureNoticeAt).not.toBeNull();
    expect(bot.texts(minh).slice(before)).toEqual([]);
    expect(await bot.app.db.outboxMessage.count({ where: { key: { startsWith: "failure-notice:" } } })).toBe(0);
  });

  it("says a contact whose only platform runs nowhere gets it once that platform runs", async () => {
    bot = await telegramBot();
    await bot.send(lan, `/start ${await bot.invite("IV.4")}`);
    await bot.send(minh, `/start ${await bot.invite(null)}`);
    await bot.send(lan, "/nopbaocao");
    await bot.press(lan, "Gửi báo cáo");
    await bot.app.flush();
    // Lan now uses Zalo only, and no process runs Zalo.
    await bot.app.db.identity.updateMany({ where: { userId: String(lan.id) }, data: { platform: "zalo" } });
    await bot.send(minh, "/molai IV.4 Đề nghị bổ sung số liệu");
    expect(bot.texts(minh).at(-1)).toBe(
      [
        "Đã mở lại báo cáo của Bảo hiểm xã hội tỉnh.",
        "Đang chờ (1 người):",
        "• Chị Lan, BHXH: Zalo hiện không chạy ở đâu; tin sẽ được gửi khi Zalo chạy lại. Hãy báo người quản trị.",
      ].join("\n"),
    );
  });
});

describe("the digest in plain words, from a real 403", () => {
  let bot: TelegramBot;
  afterEach(async () => bot?.close());

  it("names the reason in Vietnamese, and in English for an English reader, never Telegram's text", async () => {
    bot = await telegramBot();
    await submittedAndBlocked(bot);
    const failed = await bot.app.db.outboxMessage.findUniqueOrThrow({ where: { key: "truoc-do" } });
    // Operators keep the platform's words; coordinators never see them.
    expect(failed.lastError).toContain("telegram sendMessage: 403 Forbidden: bot was blocked by the user");
    // A second coordinator reads English.
    const nam: Person = { id: 602, name: "Mr Nam" };
    await bot.send(nam, `/start ${await bot.invite(null)}`);
    await bot.send(nam, "/ngonngu en");

    bot.clock.set(instant("2026-12-01T16:30"));
    await bot.app.tick();
    // A long digest reaches Telegram in parts: read them together.
    const digestOf = (person: Person) => {
      const sent = bot.texts(person);
      return sent.slice(sent.findIndex((t) => t.startsWith("📊"))).join("\n");
    };
    const vi = digestOf(minh);
    expect(vi).toContain(
      "• Chị Lan (BHXH Bảo hiểm xã hội tỉnh), thông báo lúc 01/12/2026 09:00: không liên lạc được, đã chặn bot",
    );
    for (const english of ["Forbidden", "notification", "telegram sendMessage", "blocked", "nudge", "reminder"]) {
      expect(vi).not.toContain(english);
    }
    expect(vi).not.toMatch(/\bT-\d|overdue-\d/);

    const en = digestOf(nam);
    expect(en).toContain(
      "• Chị Lan (BHXH Bảo hiểm xã hội tỉnh), notification at 01/12/2026 09:00: unreachable, has blocked the bot",
    );
    expect(en).not.toContain("Forbidden");
  });
});

describe("the outlook of /giaiquyet at night", () => {
  let rig: ReminderRig;
  let core: ReturnType<typeof createBotCore>;
  beforeAll(async () => {
    rig = await createReminderRig("2026-12-02T09:00");
    await rig.bot.join("coord", null, "Điều Phối");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
    core = createBotCore({ ...rig.bot.deps, notifier: createOutboxNotifier({ db: rig.db, clock: rig.bot.clock }) });
  });
  afterAll(async () => rig.close());

  it("at 22:00 says the reply waits until 07:00, and it goes out then", async () => {
    const coord = rig.bot.identity("coord", "Điều Phối");
    await sendVia(core, rig.bot.identity("bhxh", "Võ Thanh"), "/vuongmac Thiếu dữ liệu doanh nghiệp");
    await rig.engine.send(rig.at("2026-12-02T09:00"));
    const difficulty = await rig.db.difficulty.findFirstOrThrow();

    rig.at("2026-12-02T22:00");
    const reply = texts(await sendVia(core, coord, `/giaiquyet ${difficulty.id} Đã xử lý`));
    expect(reply).toBe(
      [
        `Đã đóng vướng mắc #${difficulty.id}.`,
        "Vì đang ngoài giờ nhắn tin, trả lời sẽ được gửi tới 1 người lúc 03/12/2026 07:00.",
      ].join("\n"),
    );
    for (const t of ["2026-12-02T22:00", "2026-12-03T06:59"]) await rig.engine.send(rig.at(t));
    expect(rig.deliverer.to("bhxh").map((d) => d.message.text)).not.toContainEqual(
      expect.stringContaining("đã trả lời vướng mắc"),
    );
    await rig.engine.send(rig.at("2026-12-03T07:00"));
    const answer = rig.deliverer.to("bhxh").find((d) => d.message.text.includes("đã trả lời vướng mắc"));
    expect(answer && toIsoLocal(answer.at)).toBe(iso("2026-12-03T07:00"));
  });

  it("in the day says it was sent, as before", async () => {
    await sendVia(core, rig.bot.identity("bhxh", "Võ Thanh"), "/vuongmac Chưa có hướng dẫn");
    const difficulty = await rig.db.difficulty.findFirstOrThrow({ where: { resolvedAt: null } });
    rig.at("2026-12-03T10:00");
    expect(texts(await sendVia(core, rig.bot.identity("coord", "Điều Phối"), `/giaiquyet ${difficulty.id} Ok`))).toBe(
      `Đã đóng vướng mắc #${difficulty.id} và gửi trả lời tới Bảo hiểm xã hội tỉnh.`,
    );
  });
});

describe("a push that fails for good later is told to the coordinator who caused it", () => {
  let rig: ReminderRig;
  let core: ReturnType<typeof createBotCore>;
  const MINUTE = 60_000;
  const notices = (user: string) =>
    rig.deliverer.to(user).filter((d) => /^⚠️ (Không gửi được|Could not deliver)/.test(d.message.text));

  beforeAll(async () => {
    rig = await createReminderRig("2026-12-02T08:30");
    await rig.bot.join("coord", null, "Điều Phối");
    await rig.bot.join("coord-en", null, "Coordinator Two");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
    await rig.bot.join("ldld", "IV.8", "Trần Công Đoàn");
    await rig.db.person.update({ where: { id: (await personOf(rig.bot, "coord-en")).id }, data: { locale: "en" } });
    core = createBotCore({ ...rig.bot.deps, notifier: createOutboxNotifier({ db: rig.db, clock: rig.bot.clock }) });
    await sendVia(core, rig.bot.identity("bhxh", "Võ Thanh"), "/vuongmac Thiếu dữ liệu");
    await rig.engine.send(rig.at("2026-12-02T08:30"));
  });
  afterAll(async () => rig.close());

  it("an account found blocked: the coordinator hears of it in the same pass, once", async () => {
    rig.deliverer.fail("delivery.unreachable", { userId: "bhxh", reason: "blocked" });
    const difficulty = await rig.db.difficulty.findFirstOrThrow();
    const queued = rig.at("2026-12-02T09:00");
    // Nothing stored says Võ Thanh blocked the bot yet: the reply says sent, truthfully as far as is known.
    expect(texts(await sendVia(core, rig.bot.identity("coord", "Điều Phối"), `/giaiquyet ${difficulty.id} Ok`))).toBe(
      `Đã đóng vướng mắc #${difficulty.id} và gửi trả lời tới Bảo hiểm xã hội tỉnh.`,
    );
    const failedAt = rig.at(new Date(queued.getTime() + 5_000));
    await rig.engine.send(failedAt);
    expect(notices("coord")).toHaveLength(1);
    const row = await rig.db.outboxMessage.findFirstOrThrow({
      where: { personId: (await personOf(rig.bot, "bhxh")).id, kind: "notification" },
      orderBy: { id: "desc" },
    });
    expect(row).toMatchObject({ status: "unreachable", failureReason: "blocked", nextAttemptAt: failedAt });

    const [notice] = notices("coord");
    expect(notice!.at.getTime() - failedAt.getTime()).toBeLessThanOrEqual(MINUTE);
    expect(notice!.message.text).toBe(
      [
        "⚠️ Không gửi được thông báo tới Võ Thanh (BHXH Bảo hiểm xã hội tỉnh) (xếp lúc 02/12/2026 09:00): không liên lạc được, đã chặn bot.",
        `Nội dung: "Sở Nội vụ đã trả lời vướng mắc #${difficulty.id} ("Thiếu dữ liệu"):"`,
        "Hãy gọi điện báo nội dung cho người nhận và nhờ họ bỏ chặn bot, rồi nhắn cho bot một tin bất kỳ: từ đó bot gửi tin được cho họ.",
      ].join("\n"),
    );
    // Nobody else hears of it: not the other coordinator, not the contact.
    expect(notices("coord-en")).toEqual([]);

    // Later passes, and another process, do not tell it again.
    for (const t of ["2026-12-02T09:01", "2026-12-02T09:30"]) await rig.engine.send(rig.at(t));
    await rig.newEngine().send(rig.at("2026-12-02T09:31"));
    expect(notices("coord")).toHaveLength(1);
    expect(await rig.db.outboxMessage.count({ where: { key: `failure-notice:${row.id}` } })).toBe(1);
  });

  it("attempts used up: told when the last one fails, in the coordinator's language", async () => {
    rig.deliverer.fail("delivery.failed", { userId: "ldld", reason: "network" });
    rig.at("2026-12-02T10:00");
    await sendVia(core, rig.bot.identity("coord-en", "Coordinator Two"), "/nhac IV.8");
    // Five attempts: 10:00, 10:01, 10:03, 10:07 and 10:15; only the last is final.
    for (const t of ["10:00", "10:01", "10:03", "10:07"]) {
      await rig.engine.send(rig.at(`2026-12-02T${t}`));
      expect(notices("coord-en"), t).toEqual([]);
    }
    const last = rig.at("2026-12-02T10:15");
    await rig.engine.send(last);
    expect(notices("coord-en")).toHaveLength(1);
    const [notice] = notices("coord-en");
    expect(notice!.at.getTime() - last.getTime()).toBeLessThanOrEqual(MINUTE);
    expect(notice!.message.text).toMatch(
      /^⚠️ Could not deliver the coordinator's reminder to Trần Công Đoàn \(LDLD Liên đoàn Lao động tỉnh\) \(queued at 02\/12\/2026 10:00\): delivery failed \(network error\) after 5 attempts; it will not be tried again\.\nContent: "🔔/,
    );
    expect(notice!.message.text).toContain("Please phone them with the content, or send it again later.");
    expect(notices("coord")).toHaveLength(1);
  });

  it("a notice that fails too is told to nobody: no notice about a notice", async () => {
    await rig.bot.join("stc", "IV.2", "Lê Tài Chính");
    rig.deliverer.fail("delivery.unreachable", { userId: "stc", reason: "not_started" });
    rig.deliverer.fail("delivery.unreachable", { userId: "coord", reason: "blocked" });
    rig.at("2026-12-02T11:00");
    await sendVia(core, rig.bot.identity("coord", "Điều Phối"), "/nhac IV.2");
    await rig.engine.send(rig.at("2026-12-02T11:00"));
    const notice = await rig.db.outboxMessage.findFirstOrThrow({
      where: { key: { startsWith: "failure-notice:" } },
      orderBy: { id: "desc" },
    });
    // The notice about the nudge was tried, failed in turn, and asks nobody to be told.
    expect(notice).toMatchObject({
      personId: (await personOf(rig.bot, "coord")).id,
      status: "unreachable",
      requestedById: null,
    });
    expect(notice.payload).toContain("Lê Tài Chính");
    const rows = await rig.db.outboxMessage.count();
    for (const t of ["2026-12-02T11:01", "2026-12-02T12:00"]) await rig.engine.send(rig.at(t));
    expect(await rig.db.outboxMessage.count()).toBe(rows);
  });

  it("a failure left untold by a process that died is told by the next pass of any process", async () => {
    const coord = (await personOf(rig.bot, "coord-en")).id;
    await enqueue(rig.db, rig.at("2026-12-02T13:00"), [
      {
        key: "left-behind",
        kind: "nudge",
        personId: (await personOf(rig.bot, "ldld")).id,
        message: { text: "Nhắc việc" },
        dueAt: rig.at("2026-12-02T13:00"),
        requestedById: coord,
      },
    ]);
    // As the dead process recorded it: failed for good, nobody told.
    await rig.db.outboxMessage.update({
      where: { key: "left-behind" },
      data: { status: "failed", attempts: 5, failureReason: "platform_error", lastError: "HTTP 502" },
    });
    await rig.newEngine().send(rig.at("2026-12-02T13:00"));
    const told = notices("coord-en").filter((n) => n.message.text.includes('Content: "Nhắc việc"'));
    expect(told).toHaveLength(1);
    expect(told[0]!.message.text).toContain("delivery failed (the platform reported an error) after 5 attempts");
  });
});

describe("difficulties in the digest", () => {
  let rig: ReminderRig;
  beforeAll(async () => {
    rig = await createReminderRig("2026-12-01T09:00");
    await rig.bot.join("coord", null, "Điều Phối");
    await rig.bot.join("bhxh", "IV.4", "Võ Thanh");
  });
  afterAll(async () => rig.close());

  it("one resolved in the morning is not under 'Vướng mắc mới' but listed as resolved", async () => {
    rig.at("2026-12-01T09:00");
    await rig.bot.send("bhxh", "/vuongmac Thiếu dữ liệu doanh nghiệp");
    await rig.bot.send("bhxh", "/vuongmac Chưa có mẫu biểu");
    const [first, second] = await rig.db.difficulty.findMany({ orderBy: { id: "asc" } });
    rig.at("2026-12-01T10:00");
    expect(texts(await rig.bot.send("coord", `/giaiquyet ${first!.id} Đã gửi dữ liệu`))).toContain("Đã đóng");

    await rig.tick("2026-12-01T16:30");
    const digest = rig.deliverer.to("coord").at(-1)!.message.text;
    expect(digest).toContain(
      `Vướng mắc mới (1):\n• #${second!.id} IV.4 Bảo hiểm xã hội tỉnh: Chưa có mẫu biểu\n\nVướng mắc đã giải quyết kể từ bản tin trước (1):\n• #${first!.id} IV.4 Bảo hiểm xã hội tỉnh: Thiếu dữ liệu doanh nghiệp`,
    );
  });
});

describe("each adapter's refusals as stable reasons", () => {
  const grammy = (code: number, description: string) =>
    new GrammyError(
      `Call to 'sendMessage' failed! (${code}: ${description})`,
      { ok: false, error_code: code, description },
      "sendMessage",
      {},
    );
  const reason = (error: DeliveryError) => [error.code, error.reason];

  it("Telegram", () => {
    expect(reason(telegramError(grammy(403, "Forbidden: bot was blocked by the user")))).toEqual([
      "delivery.unreachable",
      "blocked",
    ]);
    expect(reason(telegramError(grammy(403, "Forbidden: bot can't initiate conversation with a user")))).toEqual([
      "delivery.unreachable",
      "not_started",
    ]);
    expect(reason(telegramError(grammy(403, "Forbidden: user is deactivated")))).toEqual([
      "delivery.unreachable",
      "account_gone",
    ]);
    expect(reason(telegramError(grammy(400, "Bad Request: chat not found")))).toEqual([
      "delivery.unreachable",
      "not_started",
    ]);
    expect(reason(telegramError(grammy(403, "Forbidden: bot was kicked from the group chat")))).toEqual([
      "delivery.unreachable",
      "chat_gone",
    ]);
    expect(reason(telegramError(grammy(502, "Bad Gateway")))).toEqual(["delivery.failed", "platform_error"]);
    expect(reason(telegramError(new HttpError("Network request failed", new Error("ECONNRESET"))))).toEqual([
      "delivery.failed",
      "network",
    ]);
    expect(telegramError(grammy(429, "Too Many Requests: retry after 5")).reason).toBe("rate_limited");
  });

  it("Slack", () => {
    const platform = (error: string) => new webApi.WebAPIPlatformError({ ok: false, error });
    expect(reason(slackError(platform("account_inactive")))).toEqual(["delivery.unreachable", "account_gone"]);
    expect(reason(slackError(platform("user_not_found")))).toEqual(["delivery.unreachable", "account_gone"]);
    expect(reason(slackError(platform("channel_not_found")))).toEqual(["delivery.unreachable", "chat_gone"]);
    expect(reason(slackError(platform("is_archived")))).toEqual(["delivery.unreachable", "chat_gone"]);
    expect(reason(slackError(platform("msg_too_long")))).toEqual(["delivery.failed", "platform_error"]);
    expect(reason(slackError(new webApi.WebAPIRequestError(new Error("socket hang up"))))).toEqual([
      "delivery.failed",
      "network",
    ]);
  });

  it("Zalo: a 403 is 'never wrote or blocked' unless Zalo says blocked", () => {
    expect(reason(zaloError(new ZaloApiError("sendMessage", "api", 403, "Forbidden")))).toEqual([
      "delivery.unreachable",
      "not_allowed",
    ]);
    expect(reason(zaloError(new ZaloApiError("sendMessage", "api", 403, "User has blocked the bot")))).toEqual([
      "delivery.unreachable",
      "blocked",
    ]);
    expect(reason(zaloError(new ZaloApiError("sendMessage", "timeout", null, "no answer in 30 s")))).toEqual([
      "delivery.failed",
      "network",
    ]);
    expect(reason(zaloError(new ZaloApiError("sendMessage", "http", 500, "Internal Server Error")))).toEqual([
      "delivery.failed",
      "platform_error",
    ]);
  });
});

describe("the migration of stored platform texts to reasons", () => {
  it("maps what Telegram, Slack and Zalo said to their reasons, on this database", async () => {
    const { db } = await createTestDb();
    try {
      const person = await db.person.create({ data: { displayName: "Cũ", role: "contact", createdAt: MORNING } });
      const said: [string, string, string][] = [
        ["telegram", "telegram sendMessage: 403 Forbidden: bot was blocked by the user", "blocked"],
        [
          "telegram2",
          "telegram sendMessage: 403 Forbidden: bot can't initiate conversation with a user",
          "not_started",
        ],
        ["telegram3", "telegram sendMessage: 403 Forbidden: user is deactivated", "account_gone"],
        ["slack", "slack: account_inactive", "account_gone"],
        ["slack2", "slack: channel_not_found", "chat_gone"],
        ["zalo", "zalo sendMessage: 403 Forbidden", "not_allowed"],
      ];
      for (const [platform, text] of said) {
        await db.identity.create({
          data: {
            personId: person.id,
            platform,
            userId: platform,
            chatId: platform,
            displayName: "Cũ",
            createdAt: MORNING,
            unreachableAt: MORNING,
            unreachableReason: text,
          },
        });
      }
      const rows: [string, string, string][] = [
        ["unreachable", "telegram sendMessage: 403 Forbidden: bot was blocked by the user", "blocked"],
        ["failed", "telegram network: Network request for 'sendMessage' failed!", "network"],
        ["failed", "slack: HTTP 503", "platform_error"],
      ];
      await enqueue(
        db,
        MORNING,
        rows.map((_, i) => ({
          key: `old-${i}`,
          kind: "reminder",
          personId: person.id,
          message: { text: "x" },
          dueAt: MORNING,
        })),
      );
      for (const [i, [status, lastError]] of rows.entries()) {
        await db.outboxMessage.update({ where: { key: `old-${i}` }, data: { status, lastError } });
      }
      const folder = readdirMigration();
      const file = readFileSync(
        join(root, `prisma/${onPostgres ? "postgres/" : ""}migrations/${folder}/migration.sql`),
        "utf8",
      );
      const data = file.slice(file.indexOf("-- Data:")).replace(/\nCOMMIT;\s*$/, "");
      for (const statement of data.split(/;\s*\n/).filter((s) => s.replace(/--.*$/gm, "").trim())) {
        await db.$executeRawUnsafe(statement);
      }
      const identities = await db.identity.findMany({ where: { personId: person.id }, orderBy: { id: "asc" } });
      expect(identities.map((i) => i.unreachableReason)).toEqual(said.map(([, , r]) => r));
      const outbox = await db.outboxMessage.findMany({ where: { personId: person.id }, orderBy: { id: "asc" } });
      expect(outbox.map((r) => r.failureReason)).toEqual(rows.map(([, , r]) => r));
      // The platforms' texts stay where operators read them.
      expect(outbox[0]!.lastError).toContain("Forbidden");
    } finally {
      await db.$disconnect();
    }
  });
});

function readdirMigration(): string {
  const found = readdirSync(join(root, "prisma/migrations")).filter((n) => n.endsWith("_delivery_outcomes"));
  if (found.length !== 1) throw new Error(`expected one _delivery_outcomes migration, found ${found.join(", ")}`);
  return found[0]!;
}
