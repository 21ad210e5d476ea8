// The Telegram adapter, fed updates with bot.handleUpdate (bot info preset) and its Bot API calls
// captured by a transformer: the shared contract with a stand-in core, then the real core on a
// real database for commands, guided reports, joining, menus and pushes. Webhook and polling run
// over real HTTP and a transformer-fed getUpdates.
import { NO_USE_CASES } from "../../helpers/core-standin.ts";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createTelegramAdapter,
  type TelegramAdapter,
  type TelegramSettings,
} from "../../../adapters/telegram/telegram-adapter.ts";
import { createApp, type App } from "../../../src/app.ts";
import { createManualClock, type ManualClock } from "../../../src/lib/clock.ts";
import { DEFAULT_PACE, loadConfig } from "../../../src/config.ts";
import { commandMenu } from "../../../src/core/commands.ts";
import { COMMANDS } from "../../../src/model/commands.ts";
import type { IncomingEvent } from "../../../src/model/bot-core.ts";
import type { AdapterHost } from "../../../src/delivery/adapter-host.ts";
import { createAdapterStore } from "../../../src/delivery/adapter-store.ts";
import { enqueue } from "../../../src/delivery/outbox.ts";
import { DeliveryError } from "../../../src/delivery/types.ts";
import type { OutgoingMessage } from "../../../src/model/messages.ts";
import { healthReport, healthRoute } from "../../../src/server/health.ts";
import { createHttpServer } from "../../../src/server/http-server.ts";
import { createLogger, type Logger } from "../../../src/lib/logger.ts";
import { runCli } from "../../../src/cli/index.ts";
import { deactivateContact } from "../../../src/services/contact-service.ts";
import { createInvite } from "../../../src/services/invite-service.ts";
import type { Role } from "../../../src/model/roles.ts";
import { findAgency, getActivePlan } from "../../../src/services/plan-service.ts";
import { importSecondPlan } from "../../helpers/second-plan.ts";
import { VIEW_MAX_CHARS } from "../../../src/domain/pages.ts";
import { parseIsoInstant } from "../../../src/lib/time.ts";
import { runAdapterContract, type ContractHarness } from "../../contract/adapter-contract.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import {
  BAD_GATEWAY,
  BLOCKED,
  BOT_INFO,
  CANT_INITIATE,
  CHAT_NOT_FOUND,
  createRecorder,
  documentUpdate,
  findButton,
  GROUP,
  pressUpdate,
  textUpdate,
  tooMany,
  TOKEN,
  type Person,
  type Recorder,
} from "../../helpers/telegram.ts";
import { createVirtualTime } from "../../helpers/virtual-time.ts";
import type { Json } from "../../helpers/json.ts";
import { recordingLogger } from "../../helpers/logger.ts";

const silent = createLogger("silent");
const MORNING = parseIsoInstant("2026-12-01T09:00")!;
const POLLING: TelegramSettings = { token: TOKEN, username: undefined, apiRoot: undefined, webhook: null };
const WEBHOOK_SECRET = "bi-mat_cua-webhook_123";
const WEBHOOK: TelegramSettings = {
  ...POLLING,
  webhook: { url: "https://nhacviec.example.vn/telegram/cap-nhat", secret: WEBHOOK_SECRET },
};

const lan: Person = { id: 501, name: "Chị Lan" };
const minh: Person = { id: 601, name: "Anh Minh" };

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

interface FakeCoreBot {
  t: TestDb;
  adapter: TelegramAdapter;
  recorder: Recorder;
  received: IncomingEvent[];
  /** What the stand-in core answers from now on; a function can hold the event. */
  answer(replies: OutgoingMessage[] | ((event: IncomingEvent) => Promise<OutgoingMessage[]>)): void;
  host: AdapterHost;
  close(): Promise<void>;
}

/** The adapter with a stand-in core that records events; its store is real. */
async function fakeCoreBot(
  options: {
    settings?: TelegramSettings;
    logger?: Logger;
    t?: TestDb;
    replyRetry?: object;
    reconnectDelayMs?: (attempt: number) => number;
  } = {},
): Promise<FakeCoreBot> {
  const t = options.t ?? (await createTestDb());
  const clock = createManualClock(MORNING);
  const received: IncomingEvent[] = [];
  let answers: OutgoingMessage[] | ((event: IncomingEvent) => Promise<OutgoingMessage[]>) = [];
  const recorder = createRecorder();
  const host: AdapterHost = {
    core: {
      handle: async (event) => {
        received.push(event);
        return typeof answers === "function" ? answers(event) : answers;
      },
      ...NO_USE_CASES,
    },
    store: createAdapterStore({ db: t.db, clock }),
    logger: options.logger ?? silent,
    clock,
    accounts: async () => [],
  };
  const adapter = createTelegramAdapter({
    host,
    settings: options.settings ?? POLLING,
    pace: DEFAULT_PACE.telegram,
    defaultLocale: "vi",
    botInfo: BOT_INFO,
    transformers: [recorder.transformer],
    ...(options.replyRetry && { replyRetry: options.replyRetry }),
    ...(options.reconnectDelayMs && { reconnectDelayMs: options.reconnectDelayMs }),
  });
  return {
    t,
    adapter,
    recorder,
    received,
    host,
    answer: (replies) => {
      answers = replies;
    },
    close: async () => {
      await adapter.stop();
      if (!options.t) await t.db.$disconnect();
    },
  };
}

runAdapterContract("telegram", async (): Promise<ContractHarness> => {
  // Webhook mode, started, so the webhook's cap and stopping are checked too; updates are handed
  // to the bot directly otherwise.
  const bot = await fakeCoreBot({ settings: WEBHOOK });
  const { adapter, recorder } = bot;
  await adapter.start();
  const chatOf = (group?: boolean) => (group ? GROUP : undefined);
  let replies: OutgoingMessage[] = [];
  return {
    adapter,
    received: bot.received,
    answerWith: (answers) => {
      replies = answers;
      bot.answer(answers);
    },
    sendCommand: (command, args, options) =>
      adapter.bot.handleUpdate(textUpdate(lan, `/${command}${args ? ` ${args}` : ""}`, chatOf(options?.group))),
    sendText: (text, options) => adapter.bot.handleUpdate(textUpdate(lan, text, chatOf(options?.group))),
    pressChoice: async (label) => {
      const button = findButton(recorder, label);
      await adapter.bot.handleUpdate(pressUpdate(lan, button, button.data));
    },
    sent: () =>
      recorder.sent().map((m) => ({
        text: m.text,
        choices: (m.keyboard?.inline_keyboard ?? []).map((row) =>
          row.map((b) => ({ label: b.text, value: "callback_data" in b ? b.callback_data : "" })),
        ),
      })),
    target: { personId: 1, displayName: lan.name, platform: "telegram", userId: "501", chatId: "501" },
    failNextDelivery: (kind) => recorder.failNext("sendMessage", kind === "blocked" ? BLOCKED : BAD_GATEWAY),
    sendTextTwice: async (text) => {
      const update = textUpdate(lan, text);
      await adapter.bot.handleUpdate(update);
      // Telegram's second try carries the same update_id.
      await adapter.bot.handleUpdate(structuredClone(update));
    },
    rateLimitNextDelivery: (seconds) => recorder.failNext("sendMessage", tooMany(seconds)),
    holdCore: (until) =>
      new Promise<void>((reached) =>
        bot.answer(async () => {
          reached();
          await until;
          bot.answer(replies);
          return replies;
        }),
      ),
    postToWebhook: async (bytes) => {
      const http = createHttpServer({ host: "127.0.0.1", port: 0, routes: adapter.routes!(), logger: silent });
      const { port } = await http.start();
      try {
        const response = await fetch(`http://127.0.0.1:${port}/telegram/cap-nhat`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
          body: "x".repeat(bytes),
        });
        return response.status;
      } finally {
        await http.stop();
      }
    },
    close: () => bot.close(),
  };
});

describe("telegram adapter: translating", () => {
  let bot: FakeCoreBot;
  afterEach(async () => {
    vi.useRealTimers();
    await bot?.close();
  });

  it("ignores a command addressed to another bot, and takes one addressed to this bot in any case", async () => {
    bot = await fakeCoreBot();
    bot.answer([{ text: "trợ giúp" }]);
    await bot.adapter.bot.handleUpdate(textUpdate(lan, "/trogiup@Other_Helper_Bot"));
    expect(bot.received).toEqual([]);
    expect(bot.recorder.sent()).toEqual([]);
    await bot.adapter.bot.handleUpdate(textUpdate(lan, "/trogiup@nhacviec_test_bot  thêm"));
    expect(bot.received).toEqual([expect.objectContaining({ kind: "command", command: "trogiup", args: "thêm" })]);
    expect(bot.recorder.sent().map((m) => m.text)).toEqual(["trợ giúp"]);
  });

  it("handles the same update once, however often Telegram sends it", async () => {
    bot = await fakeCoreBot();
    bot.answer([{ text: "đã ghi nhận" }]);
    const update = textUpdate(lan, "IV.4.b 60% đang thực hiện");
    await bot.adapter.bot.handleUpdate(update);
    await bot.adapter.bot.handleUpdate(structuredClone(update));
    await Promise.all([bot.adapter.bot.handleUpdate(update), bot.adapter.bot.handleUpdate(update)]);
    expect(bot.received).toHaveLength(1);
    expect(bot.recorder.sent()).toHaveLength(1);
    expect(await bot.t.db.processedUpdate.count({ where: { platform: "telegram" } })).toBe(1);
  });

  it("sends a 5,000-character reply as two plain-text messages, buttons on the second", async () => {
    bot = await fakeCoreBot();
    const lines = Array.from({ length: 80 }, (_, i) => `${String(i).padStart(2, "0")} <b>*${"x".repeat(45)}*</b>`);
    const text = lines.join("\n").padEnd(5000, "_");
    expect(text).toHaveLength(5000);
    bot.answer([{ text, choices: [[{ label: "Báo cáo ngay", value: "start:report" }]] }]);
    await bot.adapter.bot.handleUpdate(textUpdate(lan, "/quahan"));
    const sends = bot.recorder.of("sendMessage");
    expect(sends).toHaveLength(2);
    for (const s of sends) {
      expect(s.payload.text.length).toBeLessThanOrEqual(4096);
      // Nothing is parsed: what people typed (or the catalogue wrote) is shown as it is.
      expect(s.payload).not.toHaveProperty("parse_mode");
    }
    expect(sends[0]!.payload.text + "\n" + sends[1]!.payload.text).toBe(text);
    expect(sends[0]!.payload.reply_markup).toBeUndefined();
    expect(sends[1]!.payload.reply_markup).toEqual({
      inline_keyboard: [[{ text: "Báo cáo ngay", callback_data: "start:report" }]],
    });
  });

  it("carries a choice value over 64 bytes as a short key that still works after a restart", async () => {
    bot = await fakeCoreBot();
    const value = "report:duty:IV.4.đ:Phối hợp với Ủy ban nhân dân các xã, phường trong việc rà soát đối tượng";
    expect(Buffer.byteLength(value)).toBeGreaterThan(64);
    bot.answer([{ text: "Chọn", choices: [[{ label: "IV.4.đ", value }]] }]);
    await bot.adapter.bot.handleUpdate(textUpdate(lan, "/baocao"));
    const button = findButton(bot.recorder, "IV.4.đ");
    expect(Buffer.byteLength(button.data)).toBeLessThanOrEqual(64);
    expect(button.data).not.toContain("Phối hợp");

    // A new process: another adapter on the same database understands the old button.
    const restarted = await fakeCoreBot({ t: bot.t });
    restarted.answer([{ text: "Chọn trạng thái" }]);
    await restarted.adapter.bot.handleUpdate(pressUpdate(lan, button, button.data));
    expect(restarted.received).toEqual([expect.objectContaining({ kind: "choice", value })]);
    await restarted.close();
  });

  it("answers a stale button with 'expired', removes its keyboard and tells the core nothing", async () => {
    bot = await fakeCoreBot();
    await bot.adapter.bot.handleUpdate(pressUpdate(lan, { chatId: lan.id, messageId: 77 }, "~AAAAAAAAAAAAAAAA"));
    expect(bot.received).toEqual([]);
    expect(bot.recorder.of("answerCallbackQuery").map((c) => c.payload.text)).toEqual([
      "Nút này đã hết hạn. Gõ /trogiup để xem các lệnh.",
    ]);
    expect(bot.recorder.of("editMessageReplyMarkup").map((c) => c.payload)).toEqual([
      { chat_id: lan.id, message_id: 77 },
    ]);
    expect(bot.recorder.sent()).toEqual([]);
    // In English for an English-language Telegram app.
    await bot.adapter.bot.handleUpdate(
      pressUpdate({ ...lan, language: "en" }, { chatId: lan.id, messageId: 78 }, "~BBBBBBBBBBBBBBBB"),
    );
    expect(bot.recorder.of("answerCallbackQuery").at(-1)!.payload.text).toBe(
      "This button has expired. Type /help to see the commands.",
    );
  });

  it("always answers a press, even when the core's reply cannot be sent", async () => {
    bot = await fakeCoreBot();
    bot.answer([{ text: "tiếp theo" }]);
    bot.recorder.failNext("sendMessage", BLOCKED);
    await bot.adapter.bot.handleUpdate(pressUpdate(lan, { chatId: lan.id, messageId: 9 }, "report:status:done"));
    expect(bot.received).toEqual([expect.objectContaining({ kind: "choice", value: "report:status:done" })]);
    expect(bot.recorder.of("answerCallbackQuery")).toHaveLength(1);
  });

  it("waits out a 429 on a reply for exactly its retry_after, on a fake clock", async () => {
    bot = await fakeCoreBot();
    bot.answer([{ text: "đã ghi nhận" }]);
    bot.recorder.failNext("sendMessage", tooMany(5));
    const firstTry = bot.recorder.nextCall("sendMessage");
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const handled = bot.adapter.bot.handleUpdate(textUpdate(lan, "4b xong"));
    await firstTry;
    await vi.advanceTimersByTimeAsync(4_999);
    expect(bot.recorder.of("sendMessage")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await handled;
    expect(bot.recorder.of("sendMessage")).toHaveLength(2);
    expect(bot.recorder.sent().map((m) => m.text)).toEqual(["đã ghi nhận"]);
  });

  it("turns a failing update into a log line with its id and the core's short apology", async () => {
    const log = recordingLogger();
    bot = await fakeCoreBot({ logger: log.logger });
    bot.answer(async () => {
      throw new Error("hỏng ổ đĩa");
    });
    const update = textUpdate(lan, "/nhiemvu");
    await bot.adapter.bot.handleUpdate(update);
    expect(bot.recorder.sent().map((m) => m.text)).toEqual([
      "Xin lỗi, đã có lỗi hệ thống; tin nhắn chưa được ghi nhận. Vui lòng thử lại sau ít phút.",
    ]);
    const failure = log.lines().find((l) => l.msg === "telegram update failed");
    expect(failure).toMatchObject({ updateId: update.update_id, chatId: lan.id, err: { message: "hỏng ổ đĩa" } });
  });

  it("passes a document sent with /nopbaocao as an attachment with its file_id and bytes", async () => {
    const bytes = Buffer.from("%PDF-1.4 báo cáo số 123/BC\n");
    const files = createServer((request, response) => {
      const ok = request.url === `/file/bot${TOKEN}/documents/file_7.pdf`;
      response.writeHead(ok ? 200 : 404);
      response.end(ok ? bytes : "not found");
    });
    files.listen(0, "127.0.0.1");
    await once(files, "listening");
    const apiRoot = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    try {
      bot = await fakeCoreBot({ settings: { ...POLLING, apiRoot } });
      bot.recorder.files.set("BQACAgIAAxk-doc-7", "documents/file_7.pdf");
      const doc = { fileId: "BQACAgIAAxk-doc-7", name: "bao-cao.pdf", mimeType: "application/pdf", size: bytes.length };
      await bot.adapter.bot.handleUpdate(documentUpdate(lan, doc, "/nopbaocao 123/BC 10/12/2026"));
      await bot.adapter.bot.handleUpdate(documentUpdate(lan, { ...doc, fileId: "gone" }));
    } finally {
      files.close();
    }
    expect(bot.received).toHaveLength(2);
    const [command, text] = bot.received as [IncomingEvent & { kind: "command" }, IncomingEvent & { kind: "text" }];
    expect(command).toMatchObject({
      kind: "command",
      command: "nopbaocao",
      args: "123/BC 10/12/2026",
      attachment: { name: "bao-cao.pdf", ref: "BQACAgIAAxk-doc-7", mimeType: "application/pdf" },
    });
    expect(Buffer.from(command.attachment!.content!)).toEqual(bytes);
    // A file Telegram will not hand over still arrives, by its file_id, with why its bytes are missing.
    expect(text).toMatchObject({ kind: "text", text: "", attachment: { ref: "gone", problem: "download_failed" } });
    expect(text.attachment!.content).toBeUndefined();
  });

  it("sends files with sendDocument, charts with sendPhoto, a long text before its file", async () => {
    bot = await fakeCoreBot();
    const target = { personId: 1, displayName: lan.name, platform: "telegram", userId: "501", chatId: "501" };
    const content = new Uint8Array([1, 2, 3, 4]);
    await bot.adapter.deliver(target, {
      text: "Tổng hợp",
      file: { name: "tong-hop.xlsx", mimeType: "application/vnd.ms-excel", content },
    });
    await bot.adapter.deliver(target, {
      text: "Biểu đồ",
      file: { name: "bieu-do.png", mimeType: "image/png", content },
    });
    await bot.adapter.deliver(target, {
      text: "d".repeat(2000),
      file: { name: "dai.pdf", mimeType: "application/pdf", content },
      choices: [[{ label: "OK", value: "ok" }]],
    });
    expect(bot.recorder.calls.map((c) => c.method)).toEqual([
      "sendDocument",
      "sendPhoto",
      "sendMessage",
      "sendDocument",
    ]);
    const [document, photo, text, last] = bot.recorder.calls;
    expect(document!.payload).toMatchObject({ chat_id: "501", caption: "Tổng hợp" });
    expect(document!.payload.document.filename).toBe("tong-hop.xlsx");
    expect(photo!.payload).toMatchObject({ caption: "Biểu đồ" });
    expect(text!.payload.text).toHaveLength(2000);
    expect(last!.payload.caption).toBeUndefined();
    expect(last!.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: "OK", callback_data: "ok" }]] });
  });

  it("maps Telegram's refusals to delivery errors the outbox acts on", async () => {
    bot = await fakeCoreBot();
    const target = { personId: 1, displayName: lan.name, platform: "telegram", userId: "501", chatId: "501" };
    const outcome = async (error: typeof BLOCKED) => {
      bot.recorder.failNext("sendMessage", error);
      return (await bot.adapter.deliver(target, { text: "nhắc" }).catch((e: unknown) => e)) as DeliveryError;
    };
    for (const gone of [
      BLOCKED,
      CANT_INITIATE,
      CHAT_NOT_FOUND,
      { error_code: 403, description: "Forbidden: user is deactivated" },
    ]) {
      expect((await outcome(gone)).code).toBe("delivery.unreachable");
    }
    const limited = await outcome(tooMany(42));
    expect(limited).toBeInstanceOf(DeliveryError);
    expect(limited).toMatchObject({ code: "delivery.rate_limited", retryAfterMs: 42_000 });
    expect((await outcome(BAD_GATEWAY)).code).toBe("delivery.failed");
    expect((await outcome({ error_code: 400, description: "Bad Request: message is too long" })).code).toBe(
      "delivery.failed",
    );
    await expect(bot.adapter.deliver(target, { text: "nhắc lại" })).resolves.toEqual({ messageId: expect.any(String) });
  });
});

describe("telegram adapter: webhook and polling", () => {
  let bot: FakeCoreBot;
  afterEach(async () => bot?.close());

  it("refuses a webhook post without the right secret, answers a good one at once, and keeps a chat's order", async () => {
    bot = await fakeCoreBot({ settings: WEBHOOK });
    const routes = bot.adapter.routes!();
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /telegram/cap-nhat"]);
    const http = createHttpServer({ host: "127.0.0.1", port: 0, routes, logger: silent });
    const { port } = await http.start();
    const post = (update: unknown, secret?: string) =>
      fetch(`http://127.0.0.1:${port}/telegram/cap-nhat`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(secret && { "x-telegram-bot-api-secret-token": secret }) },
        body: JSON.stringify(update),
      });
    try {
      // Not running yet: Telegram is asked to come back later.
      expect((await post(textUpdate(lan, "sớm quá"), WEBHOOK_SECRET)).status).toBe(503);
      await bot.adapter.start();
      expect(bot.adapter.state()).toBe("running");
      expect(bot.recorder.of("setWebhook").map((c) => c.payload)).toEqual([
        expect.objectContaining({
          url: WEBHOOK.webhook!.url,
          secret_token: WEBHOOK_SECRET,
          allowed_updates: ["message", "callback_query"],
        }),
      ]);
      expect(bot.recorder.of("deleteWebhook")).toEqual([]);

      expect((await post(textUpdate(lan, "không có mã"))).status).toBe(401);
      expect((await post(textUpdate(lan, "mã sai"), "sai-roi")).status).toBe(401);
      expect((await post({ hello: "world" }, WEBHOOK_SECRET)).status).toBe(400);
      // The database does not answer (a PostgreSQL outage): Telegram keeps the update and tries later.
      let reachable = false;
      bot.host.databaseReachable = () => reachable;
      expect((await post(textUpdate(lan, "mất kết nối"), WEBHOOK_SECRET)).status).toBe(503);
      reachable = true;
      await bot.adapter.idle();
      expect(bot.received).toEqual([]);

      // The core is slow on the first message: Telegram still gets its answer at once, and the
      // chat's second message waits for the first.
      const slow = deferred();
      const order: string[] = [];
      bot.answer(async (event) => {
        const text = event.kind === "text" ? event.text : "";
        order.push(`start ${text}`);
        if (text === "một") await slow.promise;
        order.push(`end ${text}`);
        return [{ text: `đã nhận ${text}` }];
      });
      expect((await post(textUpdate(lan, "một"), WEBHOOK_SECRET)).status).toBe(200);
      expect((await post(textUpdate(lan, "hai"), WEBHOOK_SECRET)).status).toBe(200);
      expect((await post(textUpdate(minh, "khác"), WEBHOOK_SECRET)).status).toBe(200);
      await vi.waitFor(() => expect(order).toContain("end khác"));
      expect(order).toEqual(["start một", "start khác", "end khác"]);
      expect(bot.recorder.sent(lan.id)).toEqual([]);

      // Stopping waits for the event in flight and refuses new posts meanwhile.
      const stopped = bot.adapter.stop();
      expect(bot.adapter.state()).toBe("stopping");
      expect((await post(textUpdate(minh, "muộn"), WEBHOOK_SECRET)).status).toBe(503);
      slow.resolve();
      await stopped;
      expect(bot.adapter.state()).toBe("stopped");
      expect(order).toEqual(["start một", "start khác", "end khác", "end một", "start hai", "end hai"]);
      expect(bot.recorder.sent(lan.id).map((m) => m.text)).toEqual(["đã nhận một", "đã nhận hai"]);
    } finally {
      await http.stop();
    }
  });

  it("polls after deleting any webhook, and stops only once the updates it took are handled", async () => {
    bot = await fakeCoreBot();
    const queued = [textUpdate(lan, "/nhiemvu")];
    const polls: number[] = [];
    // getUpdates as Telegram answers it: what is queued from the offset on, else a poll held open.
    bot.adapter.bot.api.config.use(async (prev, method, payload, signal) => {
      if (method !== "getUpdates") return prev(method, payload, signal);
      const offset = (payload as { offset: number }).offset;
      polls.push(offset);
      const ready = queued.filter((u) => u.update_id >= offset);
      if (ready.length) return { ok: true, result: ready } as never;
      return new Promise((_resolve, reject) =>
        signal?.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" }))),
      );
    });
    const slow = deferred();
    const core = deferred<IncomingEvent>();
    bot.answer(async (event) => {
      core.resolve(event);
      await slow.promise;
      return [{ text: "nhiệm vụ của cơ quan" }];
    });
    await bot.adapter.start();
    expect(bot.recorder.calls.map((c) => c.method).slice(0, 1)).toEqual(["deleteWebhook"]);
    expect(bot.recorder.of("deleteWebhook")[0]!.payload).toEqual({ drop_pending_updates: false });
    expect(await core.promise).toMatchObject({ kind: "command", command: "nhiemvu" });
    // The next poll confirms the update (offset past it).
    await vi.waitFor(() => expect(polls).toContain(queued[0]!.update_id + 1));
    const stopped = bot.adapter.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    slow.resolve();
    await stopped;
    expect(bot.recorder.sent().map((m) => m.text)).toEqual(["nhiệm vụ của cơ quan"]);
    expect(bot.adapter.state()).toBe("stopped");
  });

  it("among several processes, gives the polling lead back after a 409 and takes it again", async () => {
    bot = await fakeCoreBot();
    // A leadership that always grants the lead, and counts how often polling was (re)started.
    let leads = 0;
    const errors: unknown[] = [];
    bot.host.polling = {
      async whileLeader(_platform, signal, poll) {
        while (!signal.aborted && leads < 5) {
          leads++;
          try {
            await poll(signal);
            return;
          } catch (error) {
            errors.push(error);
          }
        }
      },
    };
    let getUpdates = 0;
    bot.adapter.bot.api.config.use(async (prev, method, payload, signal) => {
      if (method !== "getUpdates") return prev(method, payload, signal);
      // The previous poller's last long poll overlaps this process's first one.
      if (++getUpdates === 1) {
        return { ok: false, error_code: 409, description: "Conflict: terminated by other getUpdates request" } as never;
      }
      return new Promise((_resolve, reject) =>
        signal?.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" }))),
      );
    });
    await bot.adapter.start();
    await vi.waitFor(() => expect(getUpdates).toBeGreaterThanOrEqual(2));
    expect(leads).toBe(2);
    expect(errors).toEqual([expect.objectContaining({ error_code: 409 })]);
    expect(bot.adapter.state()).toBe("running");
    await bot.adapter.stop();
    expect(bot.adapter.state()).toBe("stopped");
  });

  it("publishes the contacts' commands as the default menu, in Vietnamese and for English apps", async () => {
    bot = await fakeCoreBot({ settings: WEBHOOK });
    await bot.adapter.start();
    await bot.adapter.idle();
    const menus = bot.recorder.of("setMyCommands").map((c) => c.payload);
    expect(menus).toEqual([
      { commands: commandMenu("contact", "vi"), scope: { type: "default" } },
      { commands: commandMenu("contact", "en"), scope: { type: "default" }, language_code: "en" },
    ]);
    expect(menus[0]!.commands.map((c: { command: string }) => c.command)).toContain("nopbaocao");
    expect(menus[1]!.commands.map((c: { command: string }) => c.command)).toContain("submit");
    expect(await bot.host.store.getSetting("telegram.username")).toBe(BOT_INFO.username);
  });

  it("shows a refused setWebhook as failed with Telegram's reason on /healthz (200), retries with backoff, then runs", async () => {
    const delays: number[] = [];
    bot = await fakeCoreBot({
      settings: WEBHOOK,
      reconnectDelayMs: (attempt) => {
        delays.push(attempt);
        return 5;
      },
    });
    // What Telegram answers a webhook it will not take (the stand-in answers an http:// URL so).
    let refusing = true;
    bot.adapter.bot.api.config.use(async (prev, method, payload, signal) => {
      if (method !== "setWebhook" || !refusing) return prev(method, payload, signal);
      return {
        ok: false,
        error_code: 400,
        description: "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
      } as never;
    });
    const adapters = { telegram: bot.adapter };
    const http = createHttpServer({
      host: "127.0.0.1",
      port: 0,
      routes: [healthRoute(() => healthReport(bot.t.db, adapters))],
      logger: silent,
    });
    const { port } = await http.start();
    const health = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { status: response.status, body: (await response.json()) as Json };
    };
    try {
      await bot.adapter.start();
      expect(bot.adapter.state()).toBe("failed");
      expect(await health()).toMatchObject({
        status: 200,
        body: {
          status: "ok",
          adapters: { telegram: "failed" },
          adapterReasons: {
            telegram: "setWebhook: Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
          },
        },
      });
      // Tried again and again, each pause from a later step of the backoff, still failed meanwhile.
      await vi.waitFor(() => expect(delays.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
      expect(delays.slice(0, 3)).toEqual([0, 1, 2]);
      expect(bot.adapter.state()).toBe("failed");

      refusing = false;
      await vi.waitFor(() => expect(bot.adapter.state()).toBe("running"), { timeout: 10_000 });
      expect(bot.recorder.of("setWebhook").length).toBeGreaterThanOrEqual(1);
      expect(await health()).toMatchObject({
        status: 200,
        body: { adapters: { telegram: "running" }, adapterReasons: {} },
      });
    } finally {
      await http.stop();
    }
  });

  it("leaves a channel post unanswered, even a command", async () => {
    bot = await fakeCoreBot({ settings: WEBHOOK });
    bot.answer([{ text: "Vui lòng nhắn riêng cho bot." }]);
    await bot.adapter.start();
    const channel = { id: -100_900_900, type: "channel" as const, title: "Kênh Sở Nội vụ" };
    for (const text of ["/baocao", "Thông báo: họp giao ban lúc 8 giờ."]) {
      await bot.adapter.bot.handleUpdate({
        update_id: 880_000 + text.length,
        channel_post: {
          message_id: 42 + text.length,
          date: 1_764_550_800,
          chat: channel,
          sender_chat: channel,
          text,
          ...(text.startsWith("/") && { entities: [{ type: "bot_command", offset: 0, length: text.length }] }),
        },
      });
    }
    await bot.adapter.idle();
    expect(bot.received).toEqual([]);
    expect(bot.recorder.sent()).toEqual([]);
    // Nor are they asked for.
    expect(bot.recorder.of("setWebhook")[0]!.payload.allowed_updates).not.toContain("channel_post");
  });
});

/** The real core on a real database, with the adapter built by the app like main.ts does. */
interface RealBot {
  app: App;
  adapter: TelegramAdapter;
  recorder: Recorder;
  clock: ManualClock;
  url: string;
  send(person: Person, text: string): Promise<void>;
  press(person: Person, label: string | RegExp): Promise<void>;
  lastText(person: Person): string;
  invite(agency: string | null, role?: Role): Promise<string>;
  close(): Promise<void>;
}

/** Minh joins as a coordinator, Lan as the contact of the first commune of IV.9, which is returned. */
async function coordinatorAndCommuneContact(bot: RealBot) {
  const commune = await bot.app.db.agency.findFirstOrThrow({
    where: { parent: { code: "IV.9" } },
    orderBy: { id: "asc" },
  });
  await bot.send(minh, `/start ${await bot.invite(null)}`);
  await bot.send(lan, `/start ${await bot.invite(commune.code)}`);
  return commune;
}

/** Minh presses the nudge under IV.9: he is told one contact was reached, and Lan receives it. */
async function expectNudgeReachesCommune(bot: RealBot) {
  const before = bot.recorder.sent(lan.id).length;
  await bot.press(minh, "Nhắc 1 đơn vị có đầu mối");
  expect(bot.lastText(minh)).toContain("Đã gửi nhắc tới 1 đầu mối của 1 cơ quan.");
  await bot.app.flush();
  const pushed = bot.recorder
    .sent(lan.id)
    .slice(before)
    .map((m) => m.text);
  expect(pushed.join("\n")).toContain("Nhắc việc");
}

async function realBot(options: { timers?: ReturnType<typeof createVirtualTime>["timers"] } = {}): Promise<RealBot> {
  const { url, db } = await createTestDb();
  await db.$disconnect();
  const clock = createManualClock(MORNING);
  const recorder = createRecorder();
  const config = loadConfig({ DATABASE_URL: url, TELEGRAM_BOT_TOKEN: TOKEN });
  let adapter!: TelegramAdapter;
  const app = await createApp({
    config,
    logger: silent,
    clock,
    ...(options.timers && { timers: options.timers }),
    adapters: (host) => [
      (adapter = createTelegramAdapter({
        host,
        settings: WEBHOOK,
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
    url,
    send: (person, text) => adapter.bot.handleUpdate(textUpdate(person, text)),
    press: async (person, label) => {
      const button = findButton(recorder, label, person.id);
      await adapter.bot.handleUpdate(pressUpdate(person, button, button.data));
    },
    lastText: (person) => recorder.sent(person.id).at(-1)?.text ?? "",
    invite: async (agencyCode, role = agencyCode ? "contact" : "coordinator") => {
      const plan = await getActivePlan(app.db);
      const agency = agencyCode ? await findAgency(app.db, plan.id, agencyCode) : null;
      return (await createInvite({ db: app.db, clock, inviteTtlDays: 14 }, { agency, role })).code;
    },
    close: async () => {
      await adapter.stop();
      await app.close(0);
    },
  };
}

describe("telegram adapter with the real core", () => {
  let bot: RealBot;
  afterEach(async () => bot?.close());

  it("dispatches every command of the registry by its name, its English alias and /name@thisbot", async () => {
    bot = await realBot();
    await bot.send(lan, `/start ${await bot.invite("IV.4")}`);
    expect(bot.lastText(lan)).toMatch(/^Chào Chị Lan!/);
    await bot.send(minh, `/start ${await bot.invite(null)}`);
    expect(bot.lastText(minh)).toMatch(/^Chào Anh Minh!/);
    const refusals = /^(Không có lệnh|Lệnh \/.* không dành|Xin lỗi, đã có lỗi|Xin chào! Nhắc Việc)/;
    const checked: string[] = [];
    for (const command of COMMANDS) {
      const person = command.roles.includes("contact") ? lan : minh;
      for (const typed of [command.name, command.aliases[0], `${command.name}@${BOT_INFO.username}`]) {
        const before = bot.recorder.sent(person.id).length;
        await bot.send(person, `/${typed}`);
        const replies = bot.recorder.sent(person.id).slice(before);
        expect(replies.length, `/${typed}`).toBeGreaterThan(0);
        for (const reply of replies) expect(reply.text, `/${typed}`).not.toMatch(refusals);
        checked.push(typed);
      }
    }
    expect(checked).toHaveLength(COMMANDS.length * 3);
    // Spot checks that each reached its own handler.
    await bot.send(lan, "/help");
    expect(bot.lastText(lan)).toContain("/nopbaocao");
    await bot.send(minh, "/overdue");
    expect(bot.lastText(minh)).not.toContain("/nopbaocao");
  });

  it("shows 'sending a photo' or 'sending a file' while a chart or an export is made", async () => {
    bot = await realBot();
    await bot.send(lan, `/start ${await bot.invite("IV.4")}`);
    for (const [command, action, sent] of [
      ["/bieudo", "upload_photo", "sendPhoto"],
      ["/xuat", "upload_document", "sendDocument"],
    ] as const) {
      const from = bot.recorder.calls.length;
      await bot.send(lan, command);
      const methods = bot.recorder.calls.slice(from).map((c) => c.method);
      expect(methods, command).toContain(sent);
      expect(methods, command).toContain("sendChatAction");
      expect(methods.indexOf("sendChatAction"), command).toBeLessThan(methods.indexOf(sent));
      expect(bot.recorder.of("sendChatAction").at(-1)!.payload).toMatchObject({ chat_id: lan.id, action });
    }
    // A command that answers with text at once shows no sign.
    const before = bot.recorder.of("sendChatAction").length;
    await bot.send(lan, "/nhiemvu");
    expect(bot.recorder.of("sendChatAction")).toHaveLength(before);
  });

  it("runs the guided report from the reminder's button to the end, one keyboard per question", async () => {
    bot = await realBot();
    await bot.send(lan, `/start ${await bot.invite("IV.4")}`);
    await bot.adapter.deliver(
      { personId: 0, displayName: lan.name, platform: "telegram", userId: String(lan.id), chatId: String(lan.id) },
      {
        text: "🔔 Nhắc việc",
        choices: [
          [
            { label: "Báo cáo ngay", value: "start:report" },
            { label: "Nộp báo cáo", value: "start:submit" },
          ],
        ],
      },
    );
    await bot.press(lan, "Báo cáo ngay");
    expect(bot.lastText(lan)).toMatch(/nhiệm vụ/i);
    await bot.press(lan, / IV\.4\.a /);
    await bot.press(lan, /Hoàn thành/);
    expect(bot.lastText(lan)).toMatch(/Ghi chú/);
    await bot.press(lan, "Bỏ qua");
    expect(bot.lastText(lan)).toMatch(/^Đã ghi nhận báo cáo:\nIV\.4\.a: .*\nTrạng thái: Hoàn thành \(100%\)/);
    // Every press was answered and took its keyboard away.
    expect(bot.recorder.of("answerCallbackQuery")).toHaveLength(4);
    expect(bot.recorder.of("editMessageReplyMarkup")).toHaveLength(4);
    const report = await bot.app.db.dutyReport.findFirstOrThrow({ include: { duty: true } });
    expect(report).toMatchObject({ status: "done", percent: 100, duty: { code: "IV.4.a" } });
    // An old button pressed again changes nothing.
    const old = findButton(bot.recorder, /Hoàn thành/, lan.id);
    await bot.adapter.bot.handleUpdate(pressUpdate(lan, old, old.data));
    expect(bot.lastText(lan)).toBe("Lựa chọn này không còn hiệu lực. Gõ /trogiup để xem các lệnh.");
    expect(await bot.app.db.dutyReport.count()).toBe(1);
  });

  it("asks which plan with a button per plan when the agency is in two plans, and the button decides", async () => {
    bot = await realBot();
    await bot.send(lan, `/start ${await bot.invite("IV.4")}`);
    await importSecondPlan(bot.app.db);
    await bot.send(lan, "/baocao");
    expect(bot.lastText(lan)).toContain("/baocao cho kế hoạch nào?");
    expect(findButton(bot.recorder, /^BHXH26: /, lan.id).data).toBe("plan:BHXH26");
    expect(findButton(bot.recorder, /^BHYT26: /, lan.id).data).toBe("plan:BHYT26");
    await bot.press(lan, /^BHYT26: /);
    expect(bot.lastText(lan)).toContain("Chọn nhiệm vụ cần báo cáo");
    expect(findButton(bot.recorder, / IV\.2\.a /, lan.id).data).toBe("report:duty:IV.2.a");
    await bot.press(lan, / IV\.2\.a /);
    await bot.press(lan, /Hoàn thành/);
    await bot.press(lan, "Bỏ qua");
    expect(bot.lastText(lan)).toMatch(/^Đã ghi nhận báo cáo:\nIV\.2\.a: /);
    const report = await bot.app.db.dutyReport.findFirstOrThrow({ include: { duty: { include: { agency: true } } } });
    expect(report.duty.agency.planId).not.toBe(
      (await bot.app.db.plan.findUniqueOrThrow({ where: { code: "BHXH26" } })).id,
    );
    // A reminder's "Báo cáo ngay" asks the same question.
    const target = {
      personId: 0,
      displayName: lan.name,
      platform: "telegram",
      userId: String(lan.id),
      chatId: String(lan.id),
    };
    await bot.adapter.deliver(target, {
      text: "🔔 Nhắc việc",
      choices: [[{ label: "Báo cáo ngay", value: "start:report" }]],
    });
    await bot.press(lan, "Báo cáo ngay");
    expect(bot.lastText(lan)).toContain("/baocao cho kế hoạch nào?");
    expect(findButton(bot.recorder, /^BHYT26: /, lan.id).data).toBe("plan:BHYT26");
  });

  it("/quahan's buttons on Telegram: list a group's members page by page, and nudge the one with a contact", async () => {
    bot = await realBot();
    const commune = await coordinatorAndCommuneContact(bot);
    await bot.send(minh, "/quahan");
    expect(findButton(bot.recorder, "Danh sách IV.9 (95)", minh.id).data).toBe("members:BHXH26:IV.9:1");
    await bot.press(minh, "Danh sách IV.9 (95)");
    expect(bot.lastText(minh)).toContain(`– ${commune.code} `);
    expect(bot.lastText(minh)).toMatch(/Trang 1\/\d+$/);
    await bot.press(minh, "Trang sau ›");
    expect(bot.lastText(minh)).toMatch(/Trang 2\/\d+$/);
    expect(bot.lastText(minh)).not.toContain(`– ${commune.code} `);
    await bot.press(minh, "‹ Trang trước");
    expect(bot.lastText(minh)).toContain(`– ${commune.code} `);
    // /tongquan IV.9 puts the same two buttons under the group.
    await bot.send(minh, "/tongquan IV.9");
    expect(bot.lastText(minh).length).toBeLessThanOrEqual(VIEW_MAX_CHARS);
    await bot.press(minh, "Danh sách IV.9 (95)");
    expect(bot.lastText(minh)).toContain(`– ${commune.code} `);
    await expectNudgeReachesCommune(bot);
  });

  it("the 16:30 digest on Telegram carries /quahan's buttons: the communes page by page, and a nudge", async () => {
    bot = await realBot();
    const commune = await coordinatorAndCommuneContact(bot);
    const evening = parseIsoInstant("2026-12-01T16:30")!;
    bot.clock.set(evening);
    await bot.app.tick(evening);
    await bot.app.flush();
    const digest = bot.recorder.sent(minh.id).find((m) => m.text.startsWith("📊"));
    expect(digest!.text.length).toBeLessThanOrEqual(VIEW_MAX_CHARS);
    expect(digest!.keyboard!.inline_keyboard.flat().map((b) => b.text)).toEqual([
      "Danh sách chưa nộp (9)",
      "Danh sách IV.9 (95)",
      "Nhắc 1 đơn vị có đầu mối",
    ]);
    await bot.press(minh, "Danh sách IV.9 (95)");
    expect(bot.lastText(minh)).toContain(`– ${commune.code} `);
    await bot.press(minh, "Trang sau ›");
    expect(bot.lastText(minh)).toMatch(/Trang 2\/\d+$/);
    await expectNudgeReachesCommune(bot);
  });

  it("answers in a group only to ask for a private message", async () => {
    bot = await realBot();
    await bot.adapter.bot.handleUpdate(textUpdate(lan, "/nhiemvu", GROUP));
    expect(bot.recorder.sent(GROUP.id).map((m) => m.text)).toEqual([
      "Để giữ kín thông tin của cơ quan, vui lòng nhắn riêng cho Nhắc Việc (không dùng trong nhóm).",
    ]);
  });

  it("gives a coordinator's chat the role's menu on joining and takes it away on deactivation", async () => {
    bot = await realBot();
    await bot.adapter.start();
    await bot.adapter.idle();
    const scope = { type: "chat", chat_id: String(minh.id) };
    await bot.send(minh, `/start ${await bot.invite(null)}`);
    await bot.adapter.idle();
    expect(
      bot.recorder
        .of("setMyCommands")
        .filter((c) => c.payload.scope.type === "chat")
        .map((c) => c.payload),
    ).toEqual([
      { commands: commandMenu("coordinator", "vi"), scope },
      { commands: commandMenu("coordinator", "en"), scope, language_code: "en" },
    ]);
    // A contact keeps the default menu.
    await bot.send(lan, `/start ${await bot.invite("IV.4")}`);
    await bot.adapter.idle();
    expect(bot.recorder.of("setMyCommands").filter((c) => c.payload.scope.type === "chat")).toHaveLength(2);
    // Nothing changed, nothing sent again.
    await bot.adapter.syncMenus();
    expect(bot.recorder.of("setMyCommands")).toHaveLength(4);

    // Deactivated elsewhere (the CLI): the next sync removes the menu.
    const person = await bot.app.db.person.findFirstOrThrow({ where: { role: "coordinator" } });
    await deactivateContact({ db: bot.app.db, clock: bot.clock }, person.id);
    await bot.adapter.syncMenus();
    expect(bot.recorder.of("deleteMyCommands").map((c) => c.payload)).toEqual([
      { scope },
      { scope, language_code: "en" },
    ]);
    await bot.adapter.syncMenus();
    expect(bot.recorder.of("deleteMyCommands")).toHaveLength(2);
  });

  it("puts the deep link in /moi and in the CLI's invites, from getMe's username or the override", async () => {
    bot = await realBot();
    const out: string[] = [];
    const io = { stdout: (t: string) => void out.push(t), stderr: () => undefined };
    // Never started: no username anywhere, so no link.
    expect(await runCli(["invite", "create", "--agency", "IV.4", "--json"], io, { DATABASE_URL: bot.url })).toBe(0);
    expect(JSON.parse(out.pop()!).link).toBeNull();

    await bot.adapter.start();
    await bot.send(minh, `/start ${await bot.invite(null)}`);
    await bot.send(minh, "/moi IV.4");
    const link = /https:\/\/t\.me\/NhacViec_Test_Bot\?start=([A-Za-z0-9_-]{1,64})\b/.exec(bot.lastText(minh));
    expect(link).not.toBeNull();

    // The CLI, with the bot's process elsewhere, finds the username in the database.
    expect(await runCli(["invite", "create", "--agency", "IV.4", "--json"], io, { DATABASE_URL: bot.url })).toBe(0);
    const created = JSON.parse(out.pop()!) as { code: string; link: string };
    expect(created.link).toBe(`https://t.me/NhacViec_Test_Bot?start=${created.code.replace("-", "")}`);
    const env = { DATABASE_URL: bot.url, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_BOT_USERNAME: "@NhacViec_Tinh_Bot" };
    expect(await runCli(["invite", "create", "--agency", "IV.4", "--json"], io, env)).toBe(0);
    expect(JSON.parse(out.pop()!).link).toMatch(/^https:\/\/t\.me\/NhacViec_Tinh_Bot\?start=[A-Z2-9]{10}$/);

    // One tap: the payload joins as it is.
    const payload = created.link.split("start=")[1]!;
    await bot.send(lan, `/start ${payload}`);
    expect(bot.lastText(lan)).toMatch(/^Chào Chị Lan! Anh\/Chị đã tham gia Nhắc Việc với vai trò đầu mối/);
  });

  it("marks the account unreachable when Telegram answers a push with 403", async () => {
    bot = await realBot();
    await bot.send(lan, `/start ${await bot.invite("IV.4")}`);
    const person = await bot.app.db.person.findFirstOrThrow({ where: { role: "contact" } });
    await enqueue(bot.app.db, MORNING, [
      {
        key: "nhac-1",
        kind: "notification",
        personId: person.id,
        message: { text: "Nhắc nộp báo cáo" },
        dueAt: MORNING,
      },
    ]);
    bot.recorder.failNext("sendMessage", BLOCKED);
    await bot.app.heartbeat();
    const result = await bot.app.sender.sendDue(MORNING);
    expect(result.unreachable).toHaveLength(1);
    const identity = await bot.app.db.identity.findFirstOrThrow({ where: { personId: person.id } });
    expect(identity.unreachableAt).toEqual(MORNING);
    expect(identity.unreachableReason).toBe("blocked");
    expect(await bot.app.db.outboxMessage.findUniqueOrThrow({ where: { key: "nhac-1" } })).toMatchObject({
      status: "unreachable",
    });
  });

  it("holds a push that got 429 for its retry_after without counting a failed attempt", async () => {
    const time = createVirtualTime(MORNING.getTime());
    bot = await realBot({ timers: time.timers });
    await bot.send(lan, `/start ${await bot.invite("IV.4")}`);
    const person = await bot.app.db.person.findFirstOrThrow({ where: { role: "contact" } });
    await enqueue(bot.app.db, MORNING, [
      { key: "nhac-2", kind: "notification", personId: person.id, message: { text: "Chậm lại" }, dueAt: MORNING },
    ]);
    bot.recorder.failNext("sendMessage", tooMany(7));
    await bot.app.heartbeat();
    const before = bot.recorder.sent(lan.id).length;
    await time.run(bot.app.sender.sendDue(MORNING));
    expect(await bot.app.db.outboxMessage.findUniqueOrThrow({ where: { key: "nhac-2" } })).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: new Date(MORNING.getTime() + 7_000),
    });
    await time.run(bot.app.sender.sendDue(new Date(MORNING.getTime() + 6_999)));
    expect(bot.recorder.sent(lan.id).length).toBe(before);
    await time.run(bot.app.sender.sendDue(new Date(MORNING.getTime() + 7_000)));
    expect(
      bot.recorder
        .sent(lan.id)
        .slice(before)
        .map((m) => m.text),
    ).toEqual(["Chậm lại"]);
    expect(await bot.app.db.outboxMessage.findUniqueOrThrow({ where: { key: "nhac-2" } })).toMatchObject({
      status: "sent",
      attempts: 1,
    });
  });
});
