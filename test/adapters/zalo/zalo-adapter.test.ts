// The Zalo adapter against a stand-in of the Zalo Bot Platform (test/standins/zalo-api.ts) over
// real HTTP: the shared contract, then the real app (core, outbox, reminders) on a test database,
// then a real `npm start` process.
import { NO_USE_CASES } from "../../helpers/core-standin.ts";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createZaloAdapter, type ZaloAdapter } from "../../../adapters/zalo/zalo-adapter.ts";
import { createApp, inviteLinkFor, type App } from "../../../src/app.ts";
import { createManualClock, systemClock, type ManualClock } from "../../../src/lib/clock.ts";
import { DEFAULT_PACE, loadConfig } from "../../../src/config.ts";
import type { IncomingEvent } from "../../../src/model/bot-core.ts";
import type { OutgoingMessage } from "../../../src/model/messages.ts";
import type { AdapterHost } from "../../../src/delivery/adapter-host.ts";
import { createAdapterStore } from "../../../src/delivery/adapter-store.ts";
import type { DeliveryError, DeliveryTarget } from "../../../src/delivery/types.ts";
import { splitMessage } from "../../../src/delivery/split-message.ts";
import { vi as viText } from "../../../src/i18n/vi.ts";
import { createLogger, type Logger } from "../../../src/lib/logger.ts";
import { writeInvitesXlsx } from "../../../src/reports/invites-xlsx.ts";
import { healthReport, healthRoute } from "../../../src/server/health.ts";
import { createHttpServer, type HttpServer } from "../../../src/server/http-server.ts";
import { createInvite } from "../../../src/services/invite-service.ts";
import { findAgency, getActivePlan } from "../../../src/services/plan-service.ts";
import { importSecondPlan } from "../../helpers/second-plan.ts";
import { parseIsoInstant } from "../../../src/lib/time.ts";
import { runAdapterContract, type ContractHarness, type SentPart } from "../../contract/adapter-contract.ts";
import { createTestDb, tableSnapshot } from "../../helpers/db.ts";
import { startZaloStandIn, type SentToChat, type ZaloStandIn } from "../../standins/zalo-api.ts";
import type { Json } from "../../helpers/json.ts";
import { root } from "../../helpers/processes.ts";
import { recordingLogger } from "../../helpers/logger.ts";

const silent = createLogger("silent");

/** A message as a person reads it in Zalo: the text, and the "n) label" lines under it. */
function parsePart(text: string): SentPart {
  const lines = text.split("\n");
  const labels: string[] = [];
  while (lines.length > 0 && /^\d+\) /.test(lines.at(-1)!)) labels.unshift(lines.pop()!.replace(/^\d+\) /, ""));
  return {
    text: lines.join("\n"),
    choices: labels.length ? [labels.map((label) => ({ label, value: label }))] : [],
  };
}

/** The number a person types to pick `label` from the last message that offered it. */
function numberFor(sent: readonly SentToChat[], label: string): string {
  for (const part of [...sent].reverse()) {
    const labels = parsePart(part.text).choices.flat();
    const index = labels.findIndex((c) => c.label === label || c.label.includes(label));
    if (index !== -1) return String(index + 1);
  }
  throw new Error(`"${label}" was never offered`);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The contract, with a fake core: what the adapter makes of updates and replies.

interface FakeCoreRig {
  zalo: ZaloStandIn;
  adapter: ZaloAdapter;
  db: App["db"];
  received: IncomingEvent[];
  answerWith: (replies: OutgoingMessage[]) => void;
  /** The core holds the next event until `until` resolves; resolves once it has it. */
  holdCore: (until: Promise<void>) => Promise<void>;
  /** Webhook mode: where the adapter's routes and /healthz are served. */
  base: string;
  close: () => Promise<void>;
}

const WEBHOOK_SECRET = "bi-mat-cua-webhook";
/** Webhook mode's public address: HTTPS, as Zalo requires. The rig serves its path on 127.0.0.1. */
const PUBLIC_WEBHOOK_URL = "https://nhacviec.example.vn/zalo/webhook";

async function fakeCoreRig(
  options: {
    zalo?: ZaloStandIn;
    webhook?: boolean;
    /** Leaves start() to the test. */
    start?: boolean;
    logger?: Logger;
    reconnectDelayMs?: (attempt: number) => number;
  } = {},
): Promise<FakeCoreRig> {
  const zalo = options.zalo ?? (await startZaloStandIn());
  const { db } = await createTestDb();
  const received: IncomingEvent[] = [];
  let answers: OutgoingMessage[] = [];
  let hold: { until: Promise<void>; reached: () => void } | null = null;
  const host: AdapterHost = {
    core: {
      handle: async (event) => {
        received.push(event);
        const gate = hold;
        hold = null;
        if (gate) {
          gate.reached();
          await gate.until;
        }
        return answers;
      },
      ...NO_USE_CASES,
    },
    store: createAdapterStore({ db, clock: systemClock }),
    logger: options.logger ?? silent,
    clock: systemClock,
    accounts: async () => [],
  };
  const webhook = options.webhook ? { url: PUBLIC_WEBHOOK_URL, secret: WEBHOOK_SECRET } : null;
  const adapter = createZaloAdapter({
    config: { token: zalo.token, apiRoot: zalo.root, webhook, botLink: undefined },
    pace: DEFAULT_PACE.zalo,
    host,
    pollTimeoutSeconds: 5,
    ...(options.reconnectDelayMs && { reconnectDelayMs: options.reconnectDelayMs }),
  });
  const http = createHttpServer({
    host: "127.0.0.1",
    port: 0,
    logger: silent,
    routes: [healthRoute(() => healthReport(db, { zalo: adapter })), ...adapter.routes!()],
  });
  const { port } = await http.start();
  if (options.start !== false) await adapter.start();
  return {
    zalo,
    adapter,
    db,
    received,
    answerWith: (replies) => {
      answers = replies;
    },
    holdCore: (until) => new Promise<void>((reached) => (hold = { until, reached })),
    base: `http://127.0.0.1:${port}`,
    close: async () => {
      await adapter.stop();
      await http.stop();
      await zalo.close();
      await db.$disconnect();
    },
  };
}

runAdapterContract("zalo", async (): Promise<ContractHarness> => {
  const rig = await fakeCoreRig();
  const { zalo } = rig;
  const user = "contract";
  zalo.allowChat(`chat-${user}`);
  return {
    adapter: rig.adapter,
    received: rig.received,
    answerWith: rig.answerWith,
    sendCommand: (command, args, options) =>
      zalo.post(zalo.text(user, `/${command}${args ? ` ${args}` : ""}`, options)),
    sendText: (text, options) => zalo.post(zalo.text(user, text, options)),
    pressChoice: (label) => zalo.post(zalo.text(user, numberFor(zalo.sent(`chat-${user}`), label))),
    sent: () => zalo.sent().map((s) => parsePart(s.text)),
    target: { personId: 1, displayName: "Đầu mối", platform: "zalo", userId: `user-${user}`, chatId: `chat-${user}` },
    failNextDelivery: (kind) =>
      zalo.failNext(
        "sendMessage",
        kind === "blocked"
          ? { status: 403, body: { ok: false, error_code: 403, description: "user has not interacted with the bot" } }
          : { status: 502, body: { ok: false, error_code: 502, description: "Bad Gateway" } },
      ),
    sendTextTwice: async (text) => {
      const update = zalo.text(user, text);
      await zalo.post(update);
      // Zalo has no update id: the same event and message id again.
      await zalo.post(structuredClone(update));
    },
    rateLimitNextDelivery: (seconds) =>
      zalo.failNext("sendMessage", {
        status: 429,
        body: { ok: false, error_code: 429, description: "Too Many Requests" },
        headers: { "retry-after": String(seconds) },
      }),
    holdCore: rig.holdCore,
    // The contract's rig polls; the cap is the webhook's, so a rig in webhook mode takes the post.
    postToWebhook: async (bytes) => {
      const hooked = await fakeCoreRig({ webhook: true });
      try {
        const response = await fetch(`${hooked.base}${new URL(PUBLIC_WEBHOOK_URL).pathname}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-bot-api-secret-token": WEBHOOK_SECRET },
          body: "x".repeat(bytes),
        });
        await hooked.adapter.idle();
        expect(hooked.received).toEqual([]);
        return response.status;
      } finally {
        await hooked.close();
      }
    },
    close: rig.close,
  };
});

describe("zalo adapter with a fake core", () => {
  let rig: FakeCoreRig;
  beforeAll(async () => {
    rig = await fakeCoreRig();
  });
  afterAll(async () => rig.close());

  it("sends a 2,500-character reply as two messages within 2,000 characters", async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `${String(i + 1).padStart(2, "0")} ${"Xã Phú Lợi ".repeat(4)}`);
    const text = lines.join("\n").padEnd(2500, "!").slice(0, 2500);
    expect(text).toHaveLength(2500);
    rig.answerWith([{ text }]);
    const chat = "chat-long";
    await rig.zalo.post(rig.zalo.text("long", "/tiendo"));
    const parts = rig.zalo.sent(chat);
    expect(parts).toHaveLength(2);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(2000);
    expect(parts.map((p) => p.text).join("\n")).toBe(text);
  });

  it("sends each part of a long push with choices as one message within 2,000 characters", async () => {
    const chat = "chat-long-push";
    rig.zalo.allowChat(chat);
    const target: DeliveryTarget = { personId: 8, displayName: "Dài", platform: "zalo", userId: "u", chatId: chat };
    const lines = Array.from({ length: 82 }, (_, i) => `${String(i + 1).padStart(2, "0")} ${"Xã Phú Lợi ".repeat(4)}`);
    const choices = [Array.from({ length: 6 }, (_, i) => ({ label: `Lựa chọn số ${i + 1}`, value: `c${i}` }))];
    const message: OutgoingMessage = { text: lines.join("\n"), choices };
    // The outbox's split (delivery/send-job.ts), with the room Zalo declares for its numbered lines.
    const { maxMessageLength, lastPartRoom } = rig.adapter.limits;
    const parts = splitMessage(message, maxMessageLength, lastPartRoom?.(message));
    // The text alone fits in two, but its second part has no room left for six lines.
    expect(splitMessage(message, maxMessageLength)).toHaveLength(2);
    expect(parts).toHaveLength(3);
    for (const part of parts) await rig.adapter.deliver(target, part);
    const sent = rig.zalo.sent(chat);
    expect(sent).toHaveLength(parts.length);
    for (const part of sent) expect(part.text.length).toBeLessThanOrEqual(2000);
    expect(sent.at(-1)!.text).toMatch(/^6\) Lựa chọn số 6$/m);
  });

  it("handles an update delivered twice once", async () => {
    rig.answerWith([{ text: "Đã ghi nhận." }]);
    const update = rig.zalo.text("twice", "IV.4.b 60%");
    const before = rig.received.length;
    await rig.zalo.post(update);
    await rig.zalo.post(structuredClone(update));
    expect(rig.received.length - before).toBe(1);
    expect(rig.zalo.sent("chat-twice")).toHaveLength(1);
    // A new message with the same text is a new update.
    await rig.zalo.post(rig.zalo.text("twice", "IV.4.b 60%"));
    expect(rig.received.length - before).toBe(2);
  });

  it("reads a number as a pick only while that many choices are on offer, and keeps the offer in the database", async () => {
    const chat = "chat-numbers";
    rig.answerWith([
      {
        text: "Chọn trạng thái:",
        choices: [
          [
            { label: "Hoàn thành", value: "report:status:done" },
            { label: "Đang thực hiện", value: "report:status:in_progress" },
          ],
          [{ label: "Vướng mắc", value: "report:status:blocked" }],
        ],
      },
    ]);
    await rig.zalo.post(rig.zalo.text("numbers", "/baocao"));
    expect(rig.zalo.sent(chat).at(-1)!.text).toBe("Chọn trạng thái:\n1) Hoàn thành\n2) Đang thực hiện\n3) Vướng mắc");

    // Out of range: text. Saying nothing back leaves the offer as it was.
    rig.answerWith([]);
    await rig.zalo.post(rig.zalo.text("numbers", "4"));
    expect(rig.received.at(-1)).toMatchObject({ kind: "text", text: "4" });
    rig.answerWith([{ text: "Đã chọn." }]);
    await rig.zalo.post(rig.zalo.text("numbers", " 3 "));
    expect(rig.received.at(-1)).toMatchObject({ kind: "choice", value: "report:status:blocked" });
    // That reply offered nothing: the conversation moved on, and "2" is text again.
    await rig.zalo.post(rig.zalo.text("numbers", "2"));
    expect(rig.received.at(-1)).toMatchObject({ kind: "text", text: "2" });
  });

  it("marks a group chat as not private", async () => {
    rig.answerWith([]);
    await rig.zalo.post(rig.zalo.text("grp", "xin chào", { group: true }));
    expect(rig.received.at(-1)!.from).toMatchObject({ platform: "zalo", chatId: "group-grp", privateChat: false });
  });

  it("maps Zalo's refusals: never wrote or blocked, rate limit, server and network errors", async () => {
    const target: DeliveryTarget = {
      personId: 7,
      displayName: "Chưa nhắn",
      platform: "zalo",
      userId: "user-new",
      chatId: "chat-never-wrote",
    };
    const error = (p: Promise<unknown>) => p.then(() => null).catch((e: unknown) => e as DeliveryError);
    // The stand-in refuses a chat that never wrote to the bot, as Zalo does.
    expect(await error(rig.adapter.deliver(target, { text: "nhắc" }))).toMatchObject({ code: "delivery.unreachable" });
    rig.zalo.allowChat(target.chatId);
    rig.zalo.failNext("sendMessage", {
      status: 429,
      body: { ok: false, error_code: 429, description: "Too Many Requests" },
      headers: { "retry-after": "7" },
    });
    expect(await error(rig.adapter.deliver(target, { text: "nhắc" }))).toMatchObject({
      code: "delivery.rate_limited",
      retryAfterMs: 7000,
    });
    rig.zalo.failNext("sendMessage", { status: 500, body: { ok: false, error_code: 500, description: "Internal" } });
    expect(await error(rig.adapter.deliver(target, { text: "nhắc" }))).toMatchObject({ code: "delivery.failed" });
    rig.zalo.failNext("sendMessage", { status: 200, body: { unexpected: "shape" } });
    expect(await error(rig.adapter.deliver(target, { text: "nhắc" }))).toMatchObject({ code: "delivery.failed" });
    await expect(rig.adapter.deliver(target, { text: "nhắc" })).resolves.toEqual({ messageId: expect.any(String) });

    // Nothing listens on the port any more: a network error.
    const closed = createZaloAdapter({
      config: { token: "t", apiRoot: `http://127.0.0.1:${await freePort()}`, webhook: null, botLink: undefined },
      pace: DEFAULT_PACE.zalo,
      host: {
        core: { handle: async () => [], ...NO_USE_CASES },
        store: createAdapterStore({ db: (await createTestDb()).db, clock: systemClock }),
        logger: silent,
        clock: systemClock,
        accounts: async () => [],
      },
    });
    expect(await error(closed.deliver(target, { text: "nhắc" }))).toMatchObject({ code: "delivery.failed" });
  });

  it("refuses to start with a token Zalo does not know, and ignores events it cannot read", async () => {
    const wrong = createZaloAdapter({
      config: { token: "sai-token", apiRoot: rig.zalo.root, webhook: null, botLink: undefined },
      pace: DEFAULT_PACE.zalo,
      host: {
        core: { handle: async () => [], ...NO_USE_CASES },
        store: createAdapterStore({ db: (await createTestDb()).db, clock: systemClock }),
        logger: silent,
        clock: systemClock,
        accounts: async () => [],
      },
    });
    // Zalo answers a wrong token with a page that is not JSON.
    await expect(wrong.start()).rejects.toMatchObject({ name: "ZaloApiError", errorCode: 401 });
    expect(wrong.state()).toBe("failed");

    const before = rig.received.length;
    // Polled like any other update, through the client's schema.
    await rig.zalo.post({ event_name: "user.follow", message: { unexpected: true } } as never);
    await rig.zalo.post({ ...rig.zalo.text("odd", "x"), event_name: "message.sticker.received" });
    expect(rig.received.length).toBe(before);
    rig.answerWith([]);
    await rig.zalo.post({ ...rig.zalo.text("odd", ""), event_name: "message.unsupported.received" });
    expect(rig.received.length).toBe(before);
    expect(rig.zalo.sent("chat-odd").map((s) => s.text)).toEqual([viText.zalo.unsupported]);
  });

  it("hands a photo it cannot fetch to the core with the reason and no bytes, and sends the core's answer", async () => {
    rig.answerWith([
      { text: "Tệp chưa được nhận", choices: [[{ label: "Nộp không kèm tệp", value: "submit:confirm" }]] },
    ]);
    const url = `${rig.zalo.root}/media/khong-co.jpg`;
    const before = rig.received.length;
    await rig.zalo.post(rig.zalo.image("photo", url, "/nopbaocao"));
    expect(rig.received.length).toBe(before + 1);
    const event = rig.received.at(-1) as IncomingEvent & { kind: "command" };
    expect(event).toMatchObject({
      kind: "command",
      command: "nopbaocao",
      attachment: { name: "khong-co.jpg", ref: url, problem: "download_failed" },
    });
    expect(event.attachment!.content).toBeUndefined();
    expect(rig.zalo.sent("chat-photo").at(-1)!.text).toBe("Tệp chưa được nhận\n1) Nộp không kèm tệp");
    rig.answerWith([]);
    await rig.zalo.post(rig.zalo.text("photo", "1"));
    expect(rig.received.at(-1)).toMatchObject({ kind: "choice", value: "submit:confirm" });
  });

  it("says a file cannot be sent when there is no public address for links", async () => {
    expect(rig.adapter.limits.files).toBe(false);
    const target: DeliveryTarget = {
      personId: 8,
      displayName: "A",
      platform: "zalo",
      userId: "u",
      chatId: "chat-nofile",
    };
    rig.zalo.allowChat(target.chatId);
    await rig.adapter.deliver(target, {
      text: "Bảng tổng hợp",
      file: { name: "tong-hop.xlsx", mimeType: "application/octet-stream", content: new Uint8Array([1, 2, 3]) },
    });
    const [sent] = rig.zalo.sent(target.chatId);
    expect(sent!.text).toContain("Bảng tổng hợp");
    expect(sent!.text).toContain(viText.delivery.fileUnavailable("tong-hop.xlsx"));
    expect(rig.zalo.calls.some((c) => c.method === "sendPhoto")).toBe(false);
  });

  it("handles a message that came without event_name by what it carries: text, or a photo", async () => {
    rig.answerWith([]);
    const before = rig.received.length;
    const { event_name: _text, ...bareText } = rig.zalo.text("bare", "IV.4.b 60%");
    await rig.zalo.post(bareText);
    expect(rig.received.slice(before)).toEqual([expect.objectContaining({ kind: "text", text: "IV.4.b 60%" })]);

    const photo = randomBytes(2048);
    const url = rig.zalo.media("bare.jpg", photo, "image/jpeg");
    const { event_name: _image, ...bareImage } = rig.zalo.image("bare", url, "/nopbaocao");
    await rig.zalo.post(bareImage);
    const event = rig.received.at(-1)!;
    expect(event).toMatchObject({ kind: "command", command: "nopbaocao", attachment: { name: "bare.jpg" } });
    expect(Buffer.from((event as { attachment: { content: Uint8Array } }).attachment.content).equals(photo)).toBe(true);
    // The same message delivered again, still without its event: once.
    await rig.zalo.post(structuredClone(bareImage));
    expect(rig.received.length - before).toBe(2);
  });

  it("reads the sender's first_name (and last_name) when Zalo gives no display name", async () => {
    rig.answerWith([]);
    const named = (from: Record<string, string>) => {
      const update = rig.zalo.text("ten", "xin chào");
      update.message.from = { id: "user-ten", is_bot: false, ...from };
      return update;
    };
    await rig.zalo.post(named({ first_name: "Hoa" }));
    expect(rig.received.at(-1)!.from.displayName).toBe("Hoa");
    await rig.zalo.post(named({ first_name: "Thị Hoa", last_name: "Nguyễn" }));
    expect(rig.received.at(-1)!.from.displayName).toBe("Thị Hoa Nguyễn");
    // The display name comes first; the opaque id only when no name came at all.
    await rig.zalo.post(named({ display_name: "Chị Hoa", first_name: "Hoa" }));
    expect(rig.received.at(-1)!.from.displayName).toBe("Chị Hoa");
    await rig.zalo.post(named({ first_name: " " }));
    expect(rig.received.at(-1)!.from.displayName).toBe("user-ten");
  });
});

// ---------------------------------------------------------------------------------------------
// Webhook answers, set-up when getWebhookInfo cannot be read, and a refused set-up on /healthz.

describe("zalo adapter: webhook answers and set-up", () => {
  const post = (rig: FakeCoreRig, body: unknown) =>
    fetch(`${rig.base}${new URL(PUBLIC_WEBHOOK_URL).pathname}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-bot-api-secret-token": WEBHOOK_SECRET },
      body: JSON.stringify(body),
    });

  it(
    "answers a webhook post before handling it: a photo whose download is held gets its 200 at once, once, and stop waits",
    { timeout: 20_000 },
    async () => {
      const rig = await fakeCoreRig({ webhook: true });
      try {
        expect(rig.adapter.state()).toBe("running");
        rig.answerWith([{ text: "Đã nhận ảnh." }]);
        const url = rig.zalo.media("cham.jpg", randomBytes(4096), "image/jpeg");
        const update = rig.zalo.image("cham", url, "/nopbaocao");
        rig.zalo.allowChat("chat-cham");

        // The CDN holds the download open: the answer must not wait for it (before, it waited for
        // the download, up to 120 s, and the replies).
        const download = rig.zalo.holdNextMedia();
        const answer = await post(rig, update);
        expect(answer.status).toBe(200);
        await download.requested;
        // Zalo re-delivers it meanwhile: answered too, and not handled again.
        expect((await post(rig, structuredClone(update))).status).toBe(200);
        expect(rig.received).toEqual([]);
        expect(rig.zalo.sent("chat-cham")).toEqual([]);
        download.release();
        await rig.adapter.idle();
        expect(rig.received).toEqual([
          expect.objectContaining({ kind: "command", command: "nopbaocao", attachment: expect.anything() }),
        ]);
        expect(rig.zalo.sent("chat-cham").map((s) => s.text)).toEqual(["Đã nhận ảnh."]);

        // Stopping waits for an update answered but still being handled, and refuses new posts.
        const second = rig.zalo.holdNextMedia();
        expect((await post(rig, rig.zalo.image("cham", url))).status).toBe(200);
        await second.requested;
        let stopped = false;
        const stopping = rig.adapter.stop().then(() => (stopped = true));
        expect(rig.adapter.state()).toBe("stopping");
        expect((await post(rig, rig.zalo.text("cham", "muộn"))).status).toBe(503);
        expect(stopped).toBe(false);
        second.release();
        await stopping;
        expect(rig.received).toHaveLength(2);
        expect(rig.zalo.sent("chat-cham")).toHaveLength(2);
      } finally {
        await rig.close();
      }
    },
  );

  for (const [what, failure] of [
    ["a result of another shape", { status: 200, body: { ok: true, result: { url: 42 } } }],
    ["HTTP 500 with a page", { status: 500, body: "<html>Internal Server Error</html>" }],
  ] as const) {
    it(
      `polls when getWebhookInfo answers ${what}: logs it, removes the webhook anyway`,
      { timeout: 20_000 },
      async () => {
        const zalo = await startZaloStandIn();
        // A webhook left from webhook mode: getUpdates is refused while it is set.
        await fetch(`${zalo.root}/bot${zalo.token}/setWebhook`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ url: "https://cu.example.vn/zalo", secret_token: "bi-mat-cu-123" }),
        });
        zalo.failAlways("getWebhookInfo", failure);
        const log = recordingLogger();
        const rig = await fakeCoreRig({ zalo, logger: log.logger });
        try {
          rig.answerWith([{ text: "Nhiệm vụ của cơ quan." }]);
          await zalo.post(zalo.text("cu", "/nhiemvu"));
          expect(rig.received).toEqual([expect.objectContaining({ kind: "command", command: "nhiemvu" })]);
          expect(zalo.sent("chat-cu").map((s) => s.text)).toEqual(["Nhiệm vụ của cơ quan."]);
          expect(zalo.webhook()).toBeNull();
          expect(zalo.calls.map((c) => c.method).slice(0, 3)).toEqual([
            "setWebhook",
            "getWebhookInfo",
            "deleteWebhook",
          ]);
          expect(rig.adapter.state()).toBe("running");
          expect(log.lines()).toContainEqual(
            expect.objectContaining({ level: 40, msg: expect.stringContaining("getWebhookInfo could not be read") }),
          );
        } finally {
          await rig.close();
        }
      },
    );
  }

  it("shows a refused setWebhook as failed with Zalo's reason on /healthz (200), retries with backoff, then runs", async () => {
    const zalo = await startZaloStandIn();
    const refusal = { status: 400, body: { ok: false, error_code: 400, description: "webhook url must be https" } };
    zalo.failAlways("setWebhook", refusal);
    const delays: number[] = [];
    const rig = await fakeCoreRig({
      zalo,
      webhook: true,
      start: false,
      reconnectDelayMs: (attempt) => {
        delays.push(attempt);
        return 5;
      },
    });
    try {
      const health = async () => {
        const response = await fetch(`${rig.base}/healthz`);
        return { status: response.status, body: (await response.json()) as Json };
      };
      await rig.adapter.start();
      expect(rig.adapter.state()).toBe("failed");
      expect(await health()).toMatchObject({
        status: 200,
        body: {
          status: "ok",
          adapters: { zalo: "failed" },
          adapterReasons: { zalo: "setWebhook: 400 webhook url must be https" },
        },
      });
      // Tried again and again, each pause from a later step of the backoff, still failed meanwhile.
      await vi.waitFor(() => expect(delays.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
      expect(delays.slice(0, 3)).toEqual([0, 1, 2]);
      expect(rig.adapter.state()).toBe("failed");

      zalo.failAlways("setWebhook", null);
      await vi.waitFor(() => expect(rig.adapter.state()).toBe("running"), { timeout: 10_000 });
      expect(zalo.webhook()).toEqual({ url: PUBLIC_WEBHOOK_URL, secret: WEBHOOK_SECRET });
      expect(await health()).toMatchObject({
        status: 200,
        body: { adapters: { zalo: "running" }, adapterReasons: {} },
      });
      // The stand-in refuses a webhook that is not HTTPS, as Zalo does.
      const plain = await fetch(`${zalo.root}/bot${zalo.token}/setWebhook`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: "http://nhacviec.example.vn/zalo/webhook", secret_token: WEBHOOK_SECRET }),
      });
      expect(plain.status).toBe(400);
    } finally {
      await rig.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The real app: core, outbox and reminders on a test database, Zalo through the stand-in.

interface AppRig {
  zalo: ZaloStandIn;
  app: App;
  adapter: ZaloAdapter;
  clock: ManualClock;
  base: string;
  db: App["db"];
  /** What `user` sees in reply to `text`. */
  say(user: string, text: string): Promise<string[]>;
  join(user: string, agency: string): Promise<void>;
  close(): Promise<void>;
}

async function appRig(options: { now: string; webhook?: boolean; links?: boolean }): Promise<AppRig> {
  const zalo = await startZaloStandIn();
  const { url, db: setupDb } = await createTestDb();
  await setupDb.$disconnect();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    DATABASE_URL: url,
    ZALO_BOT_TOKEN: zalo.token,
    ZALO_API_ROOT: zalo.root,
    ZALO_BOT_LINK: "https://zalo.me/s/nhacviec",
    ...(options.webhook && { ZALO_WEBHOOK_URL: PUBLIC_WEBHOOK_URL, ZALO_WEBHOOK_SECRET: WEBHOOK_SECRET }),
    ...(options.links && { PUBLIC_BASE_URL: base }),
  });
  const clock = createManualClock(parseIsoInstant(options.now)!);
  const app = await createApp({
    config,
    logger: silent,
    clock,
    adapters: (host) => [
      createZaloAdapter({
        config: config.zalo!,
        publicBaseUrl: config.publicBaseUrl,
        pace: config.pace.zalo,
        host,
        pollTimeoutSeconds: 5,
      }),
    ],
  });
  const adapter = app.adapters[0] as ZaloAdapter;
  const http: HttpServer = createHttpServer({ host: "127.0.0.1", port, logger: silent, routes: adapter.routes!() });
  await http.start();
  await adapter.start();
  const say = async (user: string, text: string) => {
    const chat = `chat-${user}`;
    const before = zalo.sent(chat).length;
    await zalo.post(zalo.text(user, text));
    // Pushes the message queued (notifications to others) go out as they would in server mode.
    await app.flush();
    return zalo
      .sent(chat)
      .slice(before)
      .map((s) => s.text);
  };
  return {
    zalo,
    app,
    adapter,
    clock,
    base,
    db: app.db,
    say,
    join: async (user, agencyCode) => {
      const plan = await getActivePlan(app.db);
      const agency = await findAgency(app.db, plan.id, agencyCode);
      const { code } = await createInvite({ db: app.db, clock, inviteTtlDays: 14 }, { agency, role: "contact" });
      await say(user, `/start ${code}`);
    },
    close: async () => {
      await adapter.stop();
      await app.close();
      await http.stop();
      await zalo.close();
    },
  };
}

describe("zalo adapter in the app (long polling)", () => {
  let rig: AppRig;
  beforeAll(async () => {
    rig = await appRig({ now: "2026-12-01T08:00+07:00" });
  });
  afterAll(async () => rig.close());

  it("lets a contact join with /start CODE, or with the code alone", async () => {
    const plan = await getActivePlan(rig.db);
    const invite = async (agency: string) =>
      createInvite(
        { db: rig.db, clock: rig.clock, inviteTtlDays: 14 },
        { agency: await findAgency(rig.db, plan.id, agency), role: "contact" },
      );
    const first = await invite("IV.2");
    expect((await rig.say("lan", `/start ${first.code}`)).join("\n")).toContain("Anh/Chị đã tham gia Nhắc Việc");
    const second = await invite("IV.9-25195");
    expect((await rig.say("minh", second.code)).join("\n")).toContain("Anh/Chị đã tham gia Nhắc Việc");
    const identity = await rig.db.identity.findUniqueOrThrow({
      where: { platform_userId: { platform: "zalo", userId: "user-minh" } },
      include: { person: { include: { directoryAgency: true } } },
    });
    expect(identity).toMatchObject({ chatId: "chat-minh", displayName: "minh" });
    expect(identity.person.directoryAgency?.code).toBe("25195");
  });

  it("shows the bot at work while a chart is made, and not for a plain answer", async () => {
    await rig.join("hoa", "IV.4");
    const actions = () => rig.zalo.calls.filter((c) => c.method === "sendChatAction");
    const before = actions().length;
    await rig.say("hoa", "/nhiemvu");
    expect(actions()).toHaveLength(before);
    await rig.say("hoa", "/bieudo");
    expect(
      actions()
        .slice(before)
        .map((c) => c.body),
    ).toEqual([{ chat_id: "chat-hoa", action: "upload_photo" }]);
  });

  it("stores a one-line report", async () => {
    await rig.join("hung", "IV.4");
    const reply = (await rig.say("hung", "IV.4.b 60% đang thực hiện: đã kết nối dữ liệu")).join("\n");
    expect(reply).toContain("Đã ghi nhận");
    const reports = await rig.db.dutyReport.findMany({
      include: { duty: true, person: { include: { identities: true } } },
    });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ status: "in_progress", percent: 60 });
    expect(reports[0]!.duty.code).toBe("IV.4.b");
    expect(reports[0]!.person!.identities[0]!.platform).toBe("zalo");
  });

  it("completes the guided report by typing numbers, and reads a percent after the menu as a percent", async () => {
    await rig.join("thu", "IV.4");
    const pick = (await rig.say("thu", "/baocao")).join("\n");
    expect(pick).toContain("Chọn nhiệm vụ cần báo cáo");
    expect(pick).toMatch(/^2\) .*IV\.4\.b/m);
    const status = (await rig.say("thu", "2")).join("\n");
    expect(status).toContain("Chọn trạng thái:");
    expect(status).toMatch(/^2\) 🔄 Đang thực hiện$/m);
    expect((await rig.say("thu", "2")).join("\n")).toContain("Nhập tỷ lệ hoàn thành");
    // The status menu had a third line ("Vướng mắc"), but it is no longer on offer: 3 is 3%.
    const note = (await rig.say("thu", "3")).join("\n");
    expect(note).toContain("Ghi chú thêm");
    expect(note).toMatch(/^1\) Bỏ qua$/m);
    expect((await rig.say("thu", "1")).join("\n")).toContain("Đã ghi nhận báo cáo:\nIV.4.b:");
    const person = await rig.db.identity.findUniqueOrThrow({
      where: { platform_userId: { platform: "zalo", userId: "user-thu" } },
    });
    const report = await rig.db.dutyReport.findFirstOrThrow({
      where: { personId: person.personId },
      include: { duty: true },
    });
    expect(report).toMatchObject({ status: "in_progress", percent: 3, note: null });
    expect(report.duty.code).toBe("IV.4.b");
  });

  it("handles the same report delivered twice once", async () => {
    await rig.join("dup", "IV.4");
    const update = rig.zalo.text("dup", "IV.4.c 40%");
    await rig.zalo.post(update);
    await rig.zalo.post(structuredClone(update));
    const person = await rig.db.identity.findUniqueOrThrow({
      where: { platform_userId: { platform: "zalo", userId: "user-dup" } },
    });
    expect(await rig.db.dutyReport.count({ where: { personId: person.personId } })).toBe(1);
    expect(rig.zalo.sent("chat-dup").filter((s) => s.text.includes("Đã ghi nhận"))).toHaveLength(1);
  });

  it("brings the engine's reminder with its choices numbered, and '1' starts the report", async () => {
    await rig.join("nhac", "IV.6");
    const before = rig.zalo.sent("chat-nhac").length;
    await rig.app.tick(rig.clock.now());
    await rig.app.flush();
    const pushed = rig.zalo.sent("chat-nhac").slice(before);
    expect(pushed.length).toBeGreaterThan(0);
    const reminder = pushed.at(-1)!.text;
    expect(reminder).toMatch(/^1\) Báo cáo ngay$/m);
    expect(reminder).toMatch(/^2\) Nộp báo cáo$/m);
    const outbox = await rig.db.outboxMessage.findFirstOrThrow({
      where: { kind: "reminder", person: { identities: { some: { userId: "user-nhac" } } } },
    });
    expect(outbox).toMatchObject({ status: "sent", platform: "zalo" });
    const started = (await rig.say("nhac", "1")).join("\n");
    expect(started).toMatch(/Chọn nhiệm vụ cần báo cáo|IV\.6/);
    const flow = await rig.db.conversation.findFirst({ where: { identity: { userId: "user-nhac" } } });
    expect(flow?.flow).toBe("report");
  });

  it("keeps a photo sent with /nopbaocao as the submission's attachment", async () => {
    await rig.join("anh", "IV.2");
    const photo = randomBytes(200 * 1024);
    const url = rig.zalo.media("bao-cao-ky.jpg", photo, "image/jpeg");
    const chat = "chat-anh";
    const before = rig.zalo.sent(chat).length;
    await rig.zalo.post(rig.zalo.image("anh", url, "/nopbaocao 45/BC-STC 30/11/2026"));
    const preview = rig.zalo
      .sent(chat)
      .slice(before)
      .map((s) => s.text)
      .join("\n");
    expect(preview).toContain("Xác nhận gửi báo cáo?");
    const confirm = numberFor(rig.zalo.sent(chat), viText.bot.submit.confirm);
    expect((await rig.say("anh", confirm)).join("\n")).toContain("bao-cao-ky.jpg");
    const submission = await rig.db.submission.findFirstOrThrow({
      where: { attachmentName: "bao-cao-ky.jpg" },
      include: { attachmentFile: true },
    });
    expect(submission.attachmentRef).toBe(url);
    expect(submission.attachmentFile).toMatchObject({ mimeType: "image/jpeg", size: photo.length, platform: "zalo" });
    expect(Buffer.from(submission.attachmentFile!.content).equals(photo)).toBe(true);
  });

  it("refuses a photo over 20 MB without storing it", async () => {
    await rig.join("lon", "IV.3");
    await rig.say("lon", "/nopbaocao");
    const url = rig.zalo.media("qua-lon.jpg", Buffer.alloc(20 * 1024 * 1024 + 10, 1), "image/jpeg");
    const files = await rig.db.storedFile.count();
    const before = rig.zalo.sent("chat-lon").length;
    await rig.zalo.post(rig.zalo.image("lon", url));
    expect(
      rig.zalo
        .sent("chat-lon")
        .slice(before)
        .map((s) => s.text)
        .join("\n"),
    ).toContain("Tệp quá lớn (tối đa 20 MB)");
    expect(await rig.db.storedFile.count()).toBe(files);
  });

  it("says a photo whose download failed was not received, stores nothing, and submits without it only when asked", async () => {
    await rig.join("hong", "IV.5");
    await rig.say("hong", "/nopbaocao");
    const url = rig.zalo.media("bao-cao-loi.jpg", Buffer.alloc(2048, 1), "image/jpeg", 500);
    const files = await rig.db.storedFile.count();
    const chat = "chat-hong";
    const before = rig.zalo.sent(chat).length;
    await rig.zalo.post(rig.zalo.image("hong", url));
    expect(
      rig.zalo
        .sent(chat)
        .slice(before)
        .map((s) => s.text),
    ).toEqual([
      'Tệp "bao-cao-loi.jpg" chưa được nhận: hệ thống không tải được tệp về. Vui lòng thử gửi lại.\n' +
        'Báo cáo hiện chưa kèm tệp nào. Anh/Chị có thể gửi lại tệp, hoặc chọn "Nộp không kèm tệp" để nộp báo cáo không có tệp.\n' +
        "1) Nộp không kèm tệp\n2) Hủy",
    ]);
    expect(await rig.db.storedFile.count()).toBe(files);
    const done = (await rig.say("hong", numberFor(rig.zalo.sent(chat), "Nộp không kèm tệp"))).join("\n");
    expect(done).toMatch(/^Đã nộp báo cáo của /);
    expect(done).not.toContain("kèm tệp");
    const submission = await rig.db.submission.findFirstOrThrow({ where: { agency: { code: "IV.5" } } });
    expect(submission).toMatchObject({ attachmentName: null, attachmentRef: null, attachmentFileId: null });
  });

  it("shows the Zalo link with an invite code, and prints its QR code beside each commune's code", async () => {
    const coordinator = await rig.db.person.create({
      data: {
        displayName: "Điều phối",
        role: "coordinator",
        createdAt: rig.clock.now(),
        identities: {
          create: {
            platform: "zalo",
            userId: "user-dp",
            chatId: "chat-dp",
            displayName: "dp",
            createdAt: rig.clock.now(),
          },
        },
      },
    });
    expect(coordinator.id).toBeGreaterThan(0);
    const reply = (await rig.say("dp", "/moi IV.5")).join("\n");
    expect(reply).toMatch(/Mã mời cho IV\.5[^:]*: [A-Z2-9]{5}-[A-Z2-9]{5}/);
    expect(reply).toContain("https://zalo.me/s/nhacviec");
    // A Telegram deep link carries the code, so it is the link when Telegram is set up too.
    const both = loadConfig({
      ZALO_BOT_TOKEN: "z",
      ZALO_BOT_LINK: "https://zalo.me/s/nhacviec",
      TELEGRAM_BOT_TOKEN: "t",
      TELEGRAM_BOT_USERNAME: "nhacviec_bot",
    });
    expect(inviteLinkFor(both.telegram!.username, both.zalo!.botLink)("ABCDE-FGHJK")).toBe(
      "https://t.me/nhacviec_bot?start=ABCDEFGHJK",
    );

    const path = join(mkdtempSync(join(tmpdir(), "zalo-qr-")), "moi.xlsx");
    const rows = ["IV.9-25195", "IV.9-25198"].map((agency, i) => ({
      agency,
      name: `Xã ${i}`,
      code: `ABCDE-FGHJ${i + 2}`,
      expiresAt: "2026-12-15T08:00",
      link: "https://zalo.me/s/nhacviec",
    }));
    await writeInvitesXlsx(viText, path, rows, { qrLink: "https://zalo.me/s/nhacviec" });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toContain(viText.zalo.qrHeader);
    const qrColumn = (sheet.getRow(1).values as unknown[]).indexOf(viText.zalo.qrHeader) - 1;
    const images = sheet.getImages();
    expect(images.map((i) => [Math.floor(i.range.tl.nativeRow), Math.floor(i.range.tl.nativeCol)])).toEqual([
      [1, qrColumn],
      [2, qrColumn],
    ]);
    const png = workbook.getImage(Number(images[0]!.imageId));
    const bytes = Buffer.from(png.buffer as unknown as ArrayBuffer);
    // A PNG, square, of the size asked for.
    expect(bytes.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(bytes.readUInt32BE(16)).toBe(bytes.readUInt32BE(20));
    expect(bytes.readUInt32BE(16)).toBeGreaterThanOrEqual(100);
    // The code still sits beside it, in its own column.
    expect(sheet.getRow(2).getCell(3).value).toBe("ABCDE-FGHJ2");
    expect(readFileSync(path).length).toBeGreaterThan(1000);
  });

  it("/quahan's buttons as numbers on Zalo: list a group's members page by page, and nudge the one with a contact", async () => {
    const commune = await rig.db.agency.findFirstOrThrow({
      where: { parent: { code: "IV.9" } },
      orderBy: { id: "asc" },
    });
    const { code } = await createInvite(
      { db: rig.db, clock: rig.clock, inviteTtlDays: 14 },
      { agency: null, role: "coordinator" },
    );
    await rig.say("dieuphoi", `/start ${code}`);
    await rig.join("xa", commune.code);
    const number = (reply: string[], label: string) => numberOf(reply.join("\n"), label);
    const view = await rig.say("dieuphoi", "/quahan");
    const first = await rig.say("dieuphoi", number(view, "Danh sách IV.9 (95)"));
    expect(first.join("\n")).toContain(`– ${commune.code} `);
    const second = await rig.say("dieuphoi", number(first, "Trang sau ›"));
    expect(second.join("\n")).toMatch(/Trang 2\/\d+/);
    const back = await rig.say("dieuphoi", number(second, "‹ Trang trước"));
    expect(back.join("\n")).toContain(`– ${commune.code} `);
    // /tongquan IV.9 numbers the same two buttons under the group.
    const group = await rig.say("dieuphoi", "/tongquan IV.9");
    const listed = await rig.say("dieuphoi", number(group, "Danh sách IV.9 (95)"));
    expect(listed.join("\n")).toContain(`– ${commune.code} `);
    const before = rig.zalo.sent("chat-xa").length;
    const nudged = await rig.say("dieuphoi", number(await rig.say("dieuphoi", "/quahan"), "Nhắc 1 đơn vị có đầu mối"));
    // Every contact of that commune, the one who joined here and any before.
    const contacts = await rig.db.person.count({ where: { role: "contact", directoryAgencyId: commune.directoryId } });
    expect(nudged.join("\n")).toContain(`Đã gửi nhắc tới ${contacts} đầu mối của 1 cơ quan.`);
    const pushed = rig.zalo
      .sent("chat-xa")
      .slice(before)
      .map((m) => m.text);
    expect(pushed.join("\n")).toContain("Nhắc việc");
  });

  it("the 16:30 digest on Zalo numbers /quahan's buttons: the communes page by page, and a nudge", async () => {
    const evening = parseIsoInstant("2026-12-01T16:30+07:00")!;
    rig.clock.set(evening);
    const before = rig.zalo.sent("chat-dieuphoi").length;
    await rig.app.tick(evening);
    await rig.app.flush();
    const digest = rig.zalo
      .sent("chat-dieuphoi")
      .slice(before)
      .map((m) => m.text)
      .join("\n");
    expect(digest).toContain("📊 Tình hình báo cáo ngày 01/12/2026");
    expect(digest).toMatch(/^1\) Danh sách chưa nộp \(\d+\)$/m);
    const members = await rig.say("dieuphoi", numberOf(digest, "Danh sách IV.9 (95)"));
    expect(members.join("\n")).toMatch(/95 đơn vị chưa nộp báo cáo[\s\S]*Trang 1\/\d+/);
    const second = await rig.say("dieuphoi", numberOf(members.join("\n"), "Trang sau ›"));
    expect(second.join("\n")).toMatch(/Trang 2\/\d+/);
    const pushedBefore = rig.zalo.sent("chat-xa").length;
    const nudged = await rig.say("dieuphoi", numberOf(second.join("\n"), "Nhắc 1 đơn vị có đầu mối"));
    expect(nudged.join("\n")).toMatch(/Đã gửi nhắc tới \d+ đầu mối của 1 cơ quan\./);
    expect(
      rig.zalo
        .sent("chat-xa")
        .slice(pushedBefore)
        .map((m) => m.text)
        .join("\n"),
    ).toContain("Nhắc việc");
  });

  // Last in this rig: from here on the agency of IV.4 (BHXH) is in two active plans.
  it("asks which plan with numbered choices when the agency is in two plans, and '2' goes on in the second", async () => {
    await rig.join("hai", "IV.4");
    await importSecondPlan(rig.db);
    const asked = (await rig.say("hai", "/baocao")).join("\n");
    expect(asked).toContain("/baocao cho kế hoạch nào?");
    expect(asked).toMatch(/^1\) BHXH26: /m);
    expect(asked).toMatch(/^2\) BHYT26: /m);
    const duties = (await rig.say("hai", "2")).join("\n");
    expect(duties).toContain("Chọn nhiệm vụ cần báo cáo");
    expect(duties).toMatch(/^\d\) .*IV\.2\.a/m);
    expect(duties).not.toContain("IV.4.b");
    const flow = await rig.db.conversation.findFirstOrThrow({ where: { identity: { userId: "user-hai" } } });
    expect(JSON.parse(flow.data ?? "{}")).toMatchObject({ $plan: "BHYT26" });
  });
});

describe("zalo adapter in webhook mode, with file links", () => {
  let rig: AppRig;
  beforeAll(async () => {
    rig = await appRig({ now: "2026-12-01T09:00+07:00", webhook: true, links: true });
  });
  afterAll(async () => rig.close());

  const post = (body: unknown, secret?: string) =>
    fetch(`${rig.base}/zalo/webhook`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(secret !== undefined && { "x-bot-api-secret-token": secret }),
      },
      body: JSON.stringify(body),
    });

  it("registers the webhook with its secret, and does not poll", async () => {
    expect(rig.zalo.webhook()).toEqual({ url: PUBLIC_WEBHOOK_URL, secret: WEBHOOK_SECRET });
    expect(rig.zalo.calls.some((c) => c.method === "getUpdates")).toBe(false);
    expect(rig.adapter.state()).toBe("running");
  });

  it("answers a call without the secret, or with a wrong one, with 401 and stores nothing", async () => {
    const plan = await getActivePlan(rig.db);
    const { code } = await createInvite(
      { db: rig.db, clock: rig.clock, inviteTtlDays: 14 },
      { agency: await findAgency(rig.db, plan.id, "IV.1"), role: "contact" },
    );
    const update = rig.zalo.text("webhook", `/start ${code}`);
    // Writing to the bot is what lets it answer.
    rig.zalo.allowChat("chat-webhook");
    const before = await tableSnapshot(rig.db);
    expect((await post(update)).status).toBe(401);
    expect((await post(update, "bi-mat-sai")).status).toBe(401);
    expect((await post({ ok: true, result: update }, "")).status).toBe(401);
    expect(await tableSnapshot(rig.db)).toEqual(before);
    expect(rig.zalo.sent("chat-webhook")).toEqual([]);

    // With the secret, the same update is handled (wrapped as { ok, result }, as some saw it).
    const accepted = await post({ ok: true, result: update }, "bi-mat-cua-webhook");
    expect(accepted.status).toBe(200);
    // Answered first, handled after.
    await rig.adapter.idle();
    expect(
      rig.zalo
        .sent("chat-webhook")
        .map((s) => s.text)
        .join("\n"),
    ).toContain("Anh/Chị đã tham gia Nhắc Việc");
    expect(await rig.db.identity.count({ where: { platform: "zalo", userId: "user-webhook" } })).toBe(1);
    // Delivered again: answered, not handled again.
    expect((await post(update, "bi-mat-cua-webhook")).status).toBe(200);
    await rig.adapter.idle();
    expect(rig.zalo.sent("chat-webhook")).toHaveLength(1);
    expect((await post({ nonsense: true }, "bi-mat-cua-webhook")).status).toBe(400);
  });

  it("answers HEAD on a signed link like GET without the body, and takes only the exact signature", async () => {
    const target: DeliveryTarget = {
      personId: 2,
      displayName: "Mai",
      platform: "zalo",
      userId: "m",
      chatId: "chat-head",
    };
    rig.zalo.allowChat(target.chatId);
    const content = randomBytes(3000);
    await rig.adapter.deliver(target, {
      text: "Bảng tổng hợp",
      file: { name: "tong-hop.pdf", mimeType: "application/pdf", content },
    });
    const link = new URL(/(http:\/\/\S+)/.exec(rig.zalo.sent(target.chatId).at(-1)!.text)![1]!);
    const token = link.searchParams.get("t")!;
    const at = (t: string, method: "GET" | "HEAD") =>
      fetch(`${rig.base}/zalo/files?t=${encodeURIComponent(t)}`, { method });

    const head = await at(token, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("application/pdf");
    expect(head.headers.get("content-length")).toBe(String(content.length));
    expect(head.headers.get("content-disposition")).toContain("attachment");
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const get = await at(token, "GET");
    expect(get.status).toBe(200);
    expect(Buffer.from(await get.arrayBuffer()).equals(content)).toBe(true);

    // The last of 43 base64url characters carries 2 bits that 32 bytes do not use: the 3 other
    // spellings decode to the same signature, and are refused all the same.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const [id, expires, signature] = token.split(".") as [string, string, string];
    const last = alphabet.indexOf(signature.at(-1)!);
    expect(last & 3).toBe(0);
    const spellings = [1, 2, 3].map((bits) => `${id}.${expires}.${signature.slice(0, -1)}${alphabet[last | bits]}`);
    for (const spelling of spellings) {
      expect(Buffer.from(spelling.split(".")[2]!, "base64url").equals(Buffer.from(signature, "base64url"))).toBe(true);
      expect((await at(spelling, "GET")).status, spelling).toBe(404);
      expect((await at(spelling, "HEAD")).status, spelling).toBe(404);
    }
    expect((await at(token, "GET")).status).toBe(200);
  });

  it("sends a chart as a photo on a signed link that downloads, and an altered or expired link gets 404", async () => {
    expect(rig.adapter.limits.files).toBe(true);
    const target: DeliveryTarget = {
      personId: 1,
      displayName: "Lan",
      platform: "zalo",
      userId: "u",
      chatId: "chat-chart",
    };
    rig.zalo.allowChat(target.chatId);
    const chart = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(5000)]);
    await rig.adapter.deliver(target, {
      text: "Tiến độ chỉ tiêu",
      file: { name: "tien-do.png", mimeType: "image/png", content: chart },
    });
    const [caption, photo] = rig.zalo.sent(target.chatId);
    expect(caption).toMatchObject({ method: "sendMessage", text: "Tiến độ chỉ tiêu" });
    expect(photo).toMatchObject({ method: "sendPhoto" });
    // Zalo fetched it before answering.
    expect(photo!.fetched).toMatchObject({ status: 200, contentType: "image/png" });
    expect(photo!.fetched!.bytes.equals(chart)).toBe(true);

    const link = new URL(photo!.photo!);
    expect(link.origin + link.pathname).toBe(`${rig.base}/zalo/files`);
    const token = link.searchParams.get("t")!;
    const [id, expires, signature] = token.split(".") as [string, string, string];
    const at = (t: string) => fetch(`${rig.base}/zalo/files?t=${encodeURIComponent(t)}`);
    expect((await at(token)).status).toBe(200);
    const flip = (s: string) => s.slice(0, 10) + (s[10] === "A" ? "B" : "A") + s.slice(11);
    for (const altered of [
      `${id}.${expires}.${flip(signature)}`,
      `${Number(id) + 1}.${expires}.${signature}`,
      `${id}.${Number(expires) + 86_400}.${signature}`,
      `${id}.${expires}`,
      "",
    ]) {
      const response = await at(altered);
      expect(response.status, altered).toBe(404);
      expect(Buffer.from(await response.arrayBuffer()).includes(chart.subarray(0, 64))).toBe(false);
    }

    // Another file as a link in the text; the same link a day later is refused.
    const sheet = randomBytes(3000);
    await rig.adapter.deliver(target, {
      text: "Bảng tổng hợp",
      file: {
        name: "Tổng hợp 12-2026.xlsx",
        mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        content: sheet,
      },
    });
    const text = rig.zalo.sent(target.chatId).at(-1)!.text;
    expect(text).toContain('📎 Tệp "Tổng hợp 12-2026.xlsx"');
    const fileUrl = /(http:\/\/\S+)/.exec(text)![1]!;
    const download = await fetch(fileUrl);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toContain("attachment");
    expect(Buffer.from(await download.arrayBuffer()).equals(sheet)).toBe(true);
    rig.clock.advance(24 * 60 * 60 * 1000 + 60_000);
    expect((await fetch(fileUrl)).status).toBe(404);
    expect((await at(token)).status).toBe(404);
  });
});

// ---------------------------------------------------------------------------------------------

describe("zalo in a real server process", () => {
  let zalo: ZaloStandIn;
  beforeAll(async () => {
    zalo = await startZaloStandIn();
  });
  afterAll(async () => zalo.close());

  it("polls Zalo, pushes the 08:00 reminder with numbered choices, takes '1', and stops on SIGTERM", async () => {
    const { url, db: setupDb } = await createTestDb();
    await setupDb.$disconnect();
    // Seeded and joined beforehand, the way a contact who wrote to the bot last week would be.
    const clock = createManualClock(parseIsoInstant("2026-11-30T09:00+07:00")!);
    const setup = await createApp({ config: loadConfig({ DATABASE_URL: url }), logger: silent, clock });
    const plan = await getActivePlan(setup.db);
    const { code } = await createInvite(
      { db: setup.db, clock, inviteTtlDays: 14 },
      { agency: await findAgency(setup.db, plan.id, "IV.4"), role: "contact" },
    );
    const from = { platform: "zalo", userId: "user-hoa", chatId: "chat-hoa", displayName: "Hoa" };
    await setup.core.handle({ kind: "command", from, command: "batdau", args: code });
    await setup.close();
    zalo.allowChat("chat-hoa");

    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        DATABASE_URL: url,
        ZALO_BOT_TOKEN: zalo.token,
        ZALO_API_ROOT: zalo.root,
        HOST: "127.0.0.1",
        PORT: "0",
        NOW: "2026-12-01T08:00+07:00",
        LOG_LEVEL: "warn",
      },
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const reminder = await Promise.race([
        zalo.waitForCall((c) => c.method === "sendMessage" && String(c.body.text).includes("1) Báo cáo ngay")),
        exited.then((code) => Promise.reject(new Error(`exited ${code}:\n${stderr}`))),
      ]);
      expect(reminder.body.chat_id).toBe("chat-hoa");
      expect(String(reminder.body.text)).toMatch(/^2\) Nộp báo cáo$/m);
      expect(String(reminder.body.text).length).toBeLessThanOrEqual(2000);

      await zalo.post(zalo.text("hoa", "1"));
      const started = zalo.sent("chat-hoa").at(-1)!.text;
      expect(started).toContain("Chọn nhiệm vụ cần báo cáo");
      expect(started).toMatch(/^1\) .*IV\.4\.a/m);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 120_000);
});

/** The number a Zalo reply gives the choice labelled `label` ("2) Trang sau ›" gives "2"). */
function numberOf(text: string, label: string): string {
  const line = text.split("\n").find((l) => l.replace(/^\d+\) /, "") === label);
  if (!line) throw new Error(`no choice "${label}" in: ${text}`);
  return line.slice(0, line.indexOf(")"));
}
