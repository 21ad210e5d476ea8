// The Slack adapter over its real HTTP route, with the Web API pointed (SLACK_API_URL) at a
// stand-in: the adapter contract, then the real core behind signed slash commands, buttons, forms
// and events.
import { NO_USE_CASES } from "../../helpers/core-standin.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackAdapter, SLACK_RETRY_CONFIG, type SlackAdapter } from "../../../adapters/slack/slack-adapter.ts";
import { createApp, type App } from "../../../src/app.ts";
import { createManualClock, type ManualClock } from "../../../src/lib/clock.ts";
import { loadConfig, type Config } from "../../../src/config.ts";
import type { BotCore, IncomingEvent } from "../../../src/model/bot-core.ts";
import { createInvite } from "../../../src/services/invite-service.ts";
import { findAgency, getActivePlan } from "../../../src/services/plan-service.ts";
import { importSecondPlan } from "../../helpers/second-plan.ts";
import { createAdapterStore } from "../../../src/delivery/adapter-store.ts";
import type { OutgoingMessage } from "../../../src/model/messages.ts";
import { createLogger } from "../../../src/lib/logger.ts";
import { createHttpServer, type HttpServer } from "../../../src/server/http-server.ts";
import { parseIsoInstant } from "../../../src/lib/time.ts";
import {
  decodeSlackText,
  escapeMrkdwn,
  renderMessage,
  slackCommands,
  slackChoiceKeys,
} from "../../../adapters/slack/render.ts";
import { reportModal } from "../../../adapters/slack/modals.ts";
import { messagesFor } from "../../../src/i18n/index.ts";
import { VIEW_MAX_CHARS } from "../../../src/domain/pages.ts";
import { runAdapterContract, type ContractHarness } from "../../contract/adapter-contract.ts";
import { messageProblems, viewProblems } from "../../helpers/block-kit.ts";
import { createTestDb, tableSnapshot } from "../../helpers/db.ts";
import {
  choicesOf,
  commandBody,
  findButton,
  FORM,
  reportState,
  SIGNING_SECRET,
  signatureHeaders,
  signedPost,
  slackClient,
  submitState,
  unescapeMrkdwn,
} from "../../helpers/slack.ts";
import { BOT_TOKEN, dmOf, startSlackStandin, type SlackBlock, type SlackStandin } from "../../standins/slack-api.ts";

const silent = createLogger("silent");

/** The shared HTTP server with only the adapter's route, on a free port. */
async function serve(adapter: SlackAdapter): Promise<{ server: HttpServer; eventsUrl: string }> {
  const server = createHttpServer({ host: "127.0.0.1", port: 0, routes: adapter.routes!(), logger: silent });
  const { port } = await server.start();
  return { server, eventsUrl: `http://127.0.0.1:${port}/slack/events` };
}

runAdapterContract("slack", async (): Promise<ContractHarness> => {
  const { db } = await createTestDb();
  const clock = createManualClock(parseIsoInstant("2026-12-01T09:00")!);
  const standin = await startSlackStandin();
  const received: IncomingEvent[] = [];
  let answers: OutgoingMessage[] = [];
  let hold: { until: Promise<void>; reached: () => void } | null = null;
  const adapter = createSlackAdapter({
    config: {
      botToken: BOT_TOKEN,
      appToken: undefined,
      signingSecret: SIGNING_SECRET,
      apiUrl: standin.apiUrl,
      digestChannel: undefined,
    },
    pace: { perSecond: 100, perChatMs: 0 },
    host: {
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
      store: createAdapterStore({ db, clock }),
      logger: silent,
      clock,
      accounts: async () => [],
    },
  });
  await adapter.start();
  const { server, eventsUrl } = await serve(adapter);
  const slack = slackClient(eventsUrl, standin);
  const user = "U0CONTRACT";
  const settle = async (reply: Promise<{ status: number }>) => {
    expect((await reply).status).toBe(200);
    await adapter.settled();
  };
  return {
    adapter,
    received,
    answerWith: (replies) => {
      answers = replies;
    },
    sendCommand: (command, args) => settle(slack.command(user, `${command} ${args}`.trim())),
    sendText: (text, options) =>
      settle(
        options?.group
          ? slack.event({ type: "message", user, text, channel: "C0GROUP", channel_type: "channel", ts: "1.2" })
          : slack.dm(user, text),
      ),
    pressChoice: (label) => settle(slack.press(user, findButton(standin.posted, label))),
    sent: () => standin.posted.map((message) => ({ text: unescapeMrkdwn(message.text), choices: choicesOf(message) })),
    target: { personId: 1, displayName: "Người U0CONTRACT", platform: "slack", userId: user, chatId: dmOf(user) },
    failNextDelivery: (kind) => {
      if (kind === "blocked") standin.failNext("chat.postMessage", { body: { ok: false, error: "channel_not_found" } });
      // Every attempt of the client's small retry gets Slack's 503.
      else standin.failNext("chat.postMessage", { status: 503, body: { ok: false } }, SLACK_RETRY_CONFIG.retries + 1);
    },
    sendTextTwice: async (text) => {
      await settle(slack.dm(user, text, { eventId: "Ev0TWICE" }));
      // Slack's retry of an event: signed anew, marked as a retry, the same event_id.
      await settle(slack.dm(user, text, { eventId: "Ev0TWICE", retryNum: 1 }));
    },
    rateLimitNextDelivery: (seconds) =>
      standin.failNext("chat.postMessage", {
        status: 429,
        headers: { "retry-after": String(seconds) },
        body: { ok: false, error: "ratelimited" },
      }),
    holdCore: (until) => new Promise<void>((reached) => (hold = { until, reached })),
    postToWebhook: async (bytes) => {
      const body = "x".repeat(bytes);
      const response = await fetch(eventsUrl, {
        method: "POST",
        headers: { "content-type": "application/json", ...signatureHeaders(body) },
        body,
      });
      return response.status;
    },
    close: async () => {
      await adapter.stop();
      await server.stop();
      await standin.close();
      await db.$disconnect();
    },
  };
});

interface World {
  app: App;
  adapter: SlackAdapter;
  standin: SlackStandin;
  slack: ReturnType<typeof slackClient>;
  /** The adapter's route, for requests built by hand. */
  eventsUrl: string;
  slackConfig: SlackConfig;
  clock: ManualClock;
  /** Holds every event at the door of the core while set; `entered` counts the events that came. */
  gate: { held: Promise<void> | null; entered: number };
  join(user: string, agency: string | null): Promise<void>;
  personOf(user: string): Promise<{ id: number }>;
  close(): Promise<void>;
}

const DIGEST_CHANNEL = "C0DIGEST";
type SlackConfig = NonNullable<Config["slack"]>;

/** The whole app (real core, outbox, reminder engine) with the Slack adapter on a real HTTP route. */
async function startWorld(): Promise<World> {
  const standin = await startSlackStandin();
  const { url, db: template } = await createTestDb();
  await template.$disconnect();
  const config = loadConfig({
    DATABASE_URL: url,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: standin.apiUrl,
    SLACK_DIGEST_CHANNEL: DIGEST_CHANNEL,
    SLACK_SEND_CHAT_GAP_MS: "0",
  });
  const clock = createManualClock(parseIsoInstant("2026-11-30T09:00")!);
  const gate: World["gate"] = { held: null, entered: 0 };
  let adapter: SlackAdapter | null = null;
  const app = await createApp({
    config,
    logger: silent,
    clock,
    adapters: (host) => {
      const enter = async () => {
        gate.entered += 1;
        if (gate.held) await gate.held;
      };
      // Forms reach the core through its typed use cases, held at the same door as events.
      const core: BotCore = {
        handle: async (event) => {
          await enter();
          return host.core.handle(event);
        },
        run: async (from, name, input) => {
          await enter();
          return host.core.run(from, name, input);
        },
      };
      // Generous, so a loaded machine still answers within it; the late path is tested by holding the core.
      adapter = createSlackAdapter({
        config: config.slack!,
        pace: config.pace.slack,
        host: { ...host, core },
        formBudgetMs: 5000,
      });
      return [adapter];
    },
  });
  const slackAdapter = adapter as unknown as SlackAdapter;
  await slackAdapter.start();
  const { server, eventsUrl } = await serve(slackAdapter);
  const slack = slackClient(eventsUrl, standin);
  const plan = await getActivePlan(app.db);
  return {
    app,
    adapter: slackAdapter,
    standin,
    slack,
    eventsUrl,
    slackConfig: config.slack!,
    clock,
    gate,
    async join(user, code) {
      const agency = code ? await findAgency(app.db, plan.id, code) : null;
      const invite = await createInvite(
        { db: app.db, clock, inviteTtlDays: 14 },
        { agency, role: agency ? "contact" : "coordinator" },
      );
      expect((await slack.command(user, `join ${invite.code}`)).status).toBe(200);
      await slackAdapter.settled();
    },
    async personOf(user) {
      const identity = await app.db.identity.findUniqueOrThrow({
        where: { platform_userId: { platform: "slack", userId: user } },
      });
      return { id: identity.personId };
    },
    async close() {
      await slackAdapter.stop();
      await server.stop();
      await app.close(1000);
      await standin.close();
    },
  };
}

/** Waits for a condition that the adapter's background work makes true. */
async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`never happened: ${what}`);
}

/** Every table but the record of requests handled (each signed request is kept, to refuse its replay). */
async function storedInput(db: App["db"]): Promise<Record<string, string>> {
  const { ProcessedUpdate: _handled, ...tables } = await tableSnapshot(db);
  return tables;
}

const postsTo = (standin: SlackStandin, channel: string) =>
  standin.posted.filter((p) => p.via === "chat.postMessage" && p.channel === channel);
const lastView = (standin: SlackStandin, method: string) =>
  standin.callsOf(method).at(-1)?.args.view as Record<string, unknown> & { blocks: SlackBlock[] };
const viewText = (view: { blocks: SlackBlock[] }) => JSON.stringify(view.blocks);

describe("Slack with the real core", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  }, 60_000);
  afterAll(async () => world?.close());

  it("links a Slack user through an invite with /nhacviec join CODE, DM as the chat", async () => {
    await world.join("U1", "IV.4");
    const identity = await world.app.db.identity.findUniqueOrThrow({
      where: { platform_userId: { platform: "slack", userId: "U1" } },
      include: { person: true },
    });
    expect(identity).toMatchObject({ chatId: dmOf("U1"), displayName: "Người U1" });
    expect(identity.person.role).toBe("contact");
    const welcome = world.standin.posted.at(-1)!;
    expect(welcome.via).toBe("respond");
    expect(unescapeMrkdwn(welcome.text)).toContain("Chào Người U1! Anh/Chị đã tham gia Nhắc Việc");
    // The core's "/nhiemvu" is spelt the Slack way.
    expect(unescapeMrkdwn(welcome.text)).toContain("Gõ /nhacviec nhiemvu để xem nhiệm vụ");
  });

  it("says it is preparing the file at once, before the core has made the chart", async () => {
    const before = world.gate.entered;
    let release!: () => void;
    world.gate.held = new Promise<void>((resolve) => (release = resolve));
    try {
      expect((await world.slack.command("U1", "bieudo")).status).toBe(200);
      await until(() => world.gate.entered > before, "the core receives the command");
      await until(
        () =>
          world.standin.posted.some(
            (p) => unescapeMrkdwn(p.text) === "Đang lập tệp… Anh/Chị vui lòng chờ trong giây lát.",
          ),
        "the interim message",
      );
    } finally {
      world.gate.held = null;
      release();
    }
    await world.adapter.settled();
    // A command answered with text at once gets no interim message.
    const interim = () => world.standin.posted.filter((p) => unescapeMrkdwn(p.text).startsWith("Đang lập tệp")).length;
    const count = interim();
    await world.slack.command("U1", "nhiemvu");
    await world.adapter.settled();
    expect(interim()).toBe(count);
  });

  it("acknowledges the slash command before the slow work, and answers once the core has", async () => {
    const before = world.gate.entered;
    const responds = world.standin.callsOf("respond").length;
    let release!: () => void;
    world.gate.held = new Promise<void>((resolve) => (release = resolve));
    try {
      const reply = await world.slack.command("U1", "nhiemvu");
      expect(reply.status).toBe(200);
      // The core got the event and is still held: the 200 did not wait for it.
      await until(() => world.gate.entered > before, "the core receives the command");
      expect(world.standin.callsOf("respond")).toHaveLength(responds);
    } finally {
      world.gate.held = null;
      release();
    }
    await world.adapter.settled();
    const answer = world.standin.posted.at(-1)!;
    expect(answer.via).toBe("respond");
    expect(unescapeMrkdwn(answer.text)).toContain("Nhiệm vụ của Bảo hiểm xã hội tỉnh");
  });

  it("opens the report form for /nhacviec baocao, listing the agency's duties, without a chat flow", async () => {
    const opened = world.standin.callsOf("views.open").length;
    expect((await world.slack.command("U1", "baocao")).status).toBe(200);
    await world.adapter.settled();
    expect(world.standin.callsOf("views.open")).toHaveLength(opened + 1);
    const call = world.standin.callsOf("views.open").at(-1)!;
    expect(call.args.trigger_id).toMatch(/^trigger-/);
    const view = call.args.view as { callback_id: string; blocks: SlackBlock[] };
    expect(view.callback_id).toBe("report_modal");
    const dutySelect = view.blocks.find((b) => b.block_id === "duty")!.element as { options: { value: string }[] };
    const duties = await world.app.db.duty.findMany({
      where: { agency: { code: "IV.4" }, withdrawn: false },
      orderBy: { sortOrder: "asc" },
    });
    expect(dutySelect.options.map((o) => o.value)).toEqual(duties.map((d) => d.code));
    // IV.4 reports the indicator figures, so its form has those fields too.
    expect(view.blocks.some((b) => b.block_id?.startsWith("figure:"))).toBe(true);
    expect(await world.app.db.conversation.count()).toBe(0);
  });

  it("records a valid report from the form, confirms it in the DM, escaped, and stores the note as typed", async () => {
    const form = lastView(world.standin, "views.open");
    const note = "đã kết nối <!channel> & <https://x.vn|dữ liệu>";
    const reply = await world.slack.submit(
      "U1",
      form,
      reportState({ duty: "IV.4.b", status: "in_progress", percent: "60", note }),
    );
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ response_action: "clear" });
    await world.adapter.settled();
    const report = await world.app.db.dutyReport.findFirstOrThrow({
      where: { duty: { code: "IV.4.b" } },
      orderBy: { id: "desc" },
    });
    expect(report).toMatchObject({ status: "in_progress", percent: 60, note });
    const dm = postsTo(world.standin, dmOf("U1")).at(-1)!;
    expect(unescapeMrkdwn(dm.text)).toContain("Đã ghi nhận báo cáo:\nIV.4.b");
    // Nobody can be pinged, and no link hidden, by a note.
    expect(dm.text).toContain("&lt;!channel&gt; &amp; &lt;https://x.vn|dữ liệu&gt;");
    expect(JSON.stringify(dm.blocks)).not.toContain("<!channel>");
  });

  it("refuses invalid input next to its field, in the person's language, and stores nothing", async () => {
    const form = lastView(world.standin, "views.open");
    const before = await storedInput(world.app.db);
    const tooMuch = await world.slack.submit(
      "U1",
      form,
      reportState({ duty: "IV.4.c", status: "in_progress", percent: "150" }),
    );
    expect(tooMuch.json).toMatchObject({ response_action: "errors" });
    expect((tooMuch.json!.errors as Record<string, string>).percent).toContain("Tỷ lệ 150% không hợp lệ");
    const blocked = await world.slack.submit("U1", form, reportState({ duty: "IV.4.c", status: "blocked" }));
    expect(Object.keys(blocked.json!.errors as object)).toEqual(["note"]);
    expect((blocked.json!.errors as Record<string, string>).note).toContain("Mô tả ngắn vướng mắc");
    const conflict = await world.slack.submit(
      "U1",
      form,
      reportState({ duty: "IV.4.c", status: "done", percent: "40" }),
    );
    expect((conflict.json!.errors as Record<string, string>).percent).toContain("mâu thuẫn");
    const figure = await world.slack.submit(
      "U1",
      form,
      reportState({ duty: "IV.4.c", status: "done", figures: { "II.1": "nhiều lắm" } }),
    );
    expect((figure.json!.errors as Record<string, string>)["figure:II.1"]).toContain("không phải số người hợp lệ");
    await world.adapter.settled();
    expect(await storedInput(world.app.db)).toEqual(before);

    // In English once the person has chosen it.
    await world.slack.command("U1", "language en");
    await world.adapter.settled();
    const english = await world.slack.submit(
      "U1",
      form,
      reportState({ duty: "IV.4.c", status: "in_progress", percent: "150" }),
    );
    expect((english.json!.errors as Record<string, string>).percent).toContain("150% is not valid");
    await world.slack.command("U1", "ngonngu vi");
    await world.adapter.settled();
  });

  it("refuses a bad signature and a 6-minute-old timestamp with 401, processing nothing", async () => {
    const entered = world.gate.entered;
    const calls = world.standin.calls.length;
    expect((await world.slack.command("U1", "nhiemvu", { secret: "not-the-signing-secret" })).status).toBe(401);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await world.slack.command("U1", "nhiemvu", { timestamp: sixMinutesAgo })).status).toBe(401);
    expect((await world.slack.dm("U1", "4c xong", { eventId: "EvStale" })).status).toBe(200);
    await world.adapter.settled();
    const afterValid = world.gate.entered;
    expect(afterValid).toBe(entered + 1);
    const stale = await world.slack.event(
      { type: "message", user: "U1", text: "4d xong", channel: dmOf("U1"), channel_type: "im", ts: "1.3" },
      { timestamp: sixMinutesAgo },
    );
    expect(stale.status).toBe(401);
    await world.adapter.settled();
    expect(world.gate.entered).toBe(afterValid);
    // Only the valid message reached Slack's API (its identity lookups were cached already).
    expect(world.standin.calls.slice(calls).map((c) => c.method)).toEqual(["chat.postMessage"]);
    expect(await world.app.db.dutyReport.count({ where: { duty: { code: "IV.4.d" } } })).toBe(0);
  });

  it("acknowledges a replayed signed request and processes it once, whichever process it reaches", async () => {
    // A second process: its own receiver and store (so its own memory), on the same database.
    let secondEntered = 0;
    const second = createSlackAdapter({
      config: world.slackConfig,
      pace: { perSecond: 100, perChatMs: 0 },
      host: {
        core: {
          handle: async (event) => {
            secondEntered += 1;
            return world.app.core.handle(event);
          },
          run: (from, name, input) => world.app.core.run(from, name, input),
        },
        store: createAdapterStore({ db: world.app.db, clock: world.clock }),
        logger: silent,
        clock: world.clock,
        accounts: async () => [],
      },
    });
    await second.start();
    const { server, eventsUrl: secondUrl } = await serve(second);
    try {
      // A wrong invite code: each attempt that is processed counts against the person.
      const body = commandBody(world.standin, "U8", "join ABCDE-FGHJK");
      const timestamp = Math.floor(Date.now() / 1000);
      const firstUrl = world.eventsUrl;
      const entered = world.gate.entered;
      const answers = [];
      for (const url of [firstUrl, firstUrl, secondUrl, secondUrl, firstUrl]) {
        answers.push((await signedPost(url, body, FORM, { timestamp })).status);
        await world.adapter.settled();
        await second.settled();
      }
      expect(answers).toEqual([200, 200, 200, 200, 200]);
      expect(world.gate.entered - entered + secondEntered).toBe(1);
      expect(await world.app.db.joinAttempt.count({ where: { platform: "slack", userId: "U8" } })).toBe(1);

      // The same form signed anew (another second) is another request, and is processed.
      const processed = world.gate.entered - entered + secondEntered;
      expect((await signedPost(secondUrl, body, FORM, { timestamp: timestamp - 1 })).status).toBe(200);
      await second.settled();
      expect(world.gate.entered - entered + secondEntered).toBe(processed + 1);
      expect(await world.app.db.joinAttempt.count({ where: { platform: "slack", userId: "U8" } })).toBe(2);
    } finally {
      await second.stop();
      await server.stop();
    }
  });

  it("handles an event Slack retries (x-slack-retry-num) once", async () => {
    const replies = postsTo(world.standin, dmOf("U1")).length;
    expect((await world.slack.dm("U1", "4e 30%", { eventId: "EvRetried" })).status).toBe(200);
    await world.adapter.settled();
    expect((await world.slack.dm("U1", "4e 30%", { eventId: "EvRetried", retryNum: 1 })).status).toBe(200);
    expect((await world.slack.dm("U1", "4e 30%", { eventId: "EvRetried", retryNum: 2 })).status).toBe(200);
    await world.adapter.settled();
    expect(await world.app.db.dutyReport.count({ where: { duty: { code: "IV.4.e" } } })).toBe(1);
    expect(postsTo(world.standin, dmOf("U1"))).toHaveLength(replies + 1);
  });

  it("a 429 on chat.postMessage delays the row by Retry-After; it is then delivered once", async () => {
    const person = await world.personOf("U1");
    const text = "Thông báo thử: Slack đang giới hạn tốc độ";
    world.standin.failNext("chat.postMessage", {
      status: 429,
      headers: { "retry-after": "1" },
      body: { ok: false, error: "ratelimited" },
    });
    await world.app.notifier.notify([
      { personId: person.id, kind: "notification", message: { text }, key: "rate-429" },
    ]);
    await world.app.flush();
    const now = world.clock.now().getTime();
    const delayed = await world.app.db.outboxMessage.findUniqueOrThrow({ where: { key: "rate-429" } });
    expect(delayed).toMatchObject({ status: "pending", attempts: 0, partsSent: 0 });
    expect(delayed.lastError).toContain("ratelimited");
    expect(delayed.nextAttemptAt.getTime()).toBe(now + 1000);
    expect(postsTo(world.standin, dmOf("U1")).filter((p) => unescapeMrkdwn(p.text) === text)).toHaveLength(0);

    world.clock.advance(1000);
    await world.app.flush();
    await world.app.flush();
    expect(await world.app.db.outboxMessage.findUniqueOrThrow({ where: { key: "rate-429" } })).toMatchObject({
      status: "sent",
      attempts: 1,
    });
    expect(postsTo(world.standin, dmOf("U1")).filter((p) => unescapeMrkdwn(p.text) === text)).toHaveLength(1);
  });

  it("a reminder planned by the engine reaches a Slack contact as a DM whose button opens the form", async () => {
    await world.join("U2", "IV.2");
    world.clock.set(parseIsoInstant("2026-12-01T08:00")!);
    const result = await world.app.tick();
    expect(result.due.filter((d) => d.agency === "IV.2")).toHaveLength(1);
    const reminder = postsTo(world.standin, dmOf("U2")).at(-1)!;
    expect(unescapeMrkdwn(reminder.text)).toContain("🔔 Nhắc việc: kế hoạch");
    expect(
      choicesOf(reminder)
        .flat()
        .map((c) => c.label),
    ).toEqual(["Báo cáo ngay", "Nộp báo cáo"]);

    const opened = world.standin.callsOf("views.open").length;
    expect((await world.slack.press("U2", findButton([reminder], "Báo cáo ngay"))).status).toBe(200);
    await world.adapter.settled();
    expect(world.standin.callsOf("views.open")).toHaveLength(opened + 1);
    const view = lastView(world.standin, "views.open");
    expect(view.callback_id).toBe("report_modal");
    expect(viewText(view)).toContain("IV.2.a");
    expect(viewText(view)).not.toContain("IV.4.a");
  });

  it("App Home: a contact's duties with a button each, redrawn after a report; a coordinator's overview", async () => {
    const published = world.standin.callsOf("views.publish").length;
    await world.slack.event({ type: "app_home_opened", user: "U2", channel: dmOf("U2"), tab: "home" });
    await world.adapter.settled();
    expect(world.standin.callsOf("views.publish")).toHaveLength(published + 1);
    const home = world.standin.callsOf("views.publish").at(-1)!;
    expect(home.args.user_id).toBe("U2");
    const blocks = (home.args.view as { blocks: SlackBlock[] }).blocks;
    const dutyButtons = blocks.filter((b) => b.accessory?.action_id === "home_report").map((b) => b.accessory!.value);
    const duties = await world.app.db.duty.findMany({ where: { agency: { code: "IV.2" }, withdrawn: false } });
    expect(dutyButtons.sort()).toEqual(duties.map((d) => d.code).sort());

    // "Báo cáo" beside IV.2.a opens the form on that duty; the report redraws the tab.
    await world.slack.pressInView("U2", "home_report", "IV.2.a");
    await world.adapter.settled();
    const form = lastView(world.standin, "views.open");
    const select = form.blocks.find((b) => b.block_id === "duty")!.element as { initial_option: { value: string } };
    expect(select.initial_option.value).toBe("IV.2.a");
    const reply = await world.slack.submit("U2", form, reportState({ duty: "IV.2.a", status: "done" }));
    expect(reply.json).toEqual({ response_action: "clear" });
    await world.adapter.settled();
    const redrawn = world.standin.callsOf("views.publish").at(-1)!;
    expect(world.standin.callsOf("views.publish")).toHaveLength(published + 2);
    expect(unescapeMrkdwn(JSON.stringify(redrawn.args.view))).toContain("IV.2.a: ");
    expect(unescapeMrkdwn(JSON.stringify(redrawn.args.view))).toContain("Hoàn thành 100%");

    await world.join("U9", null);
    await world.slack.event({ type: "app_home_opened", user: "U9", channel: dmOf("U9"), tab: "home" });
    await world.adapter.settled();
    const coordinator = world.standin.callsOf("views.publish").at(-1)!;
    expect(coordinator.args.user_id).toBe("U9");
    expect(unescapeMrkdwn(JSON.stringify(coordinator.args.view))).toContain("cơ quan đã nộp báo cáo");
  });

  it("App Home is a view Slack accepts: no empty button value, every field within Block Kit's limits", async () => {
    const refused = () => world.standin.rejected.filter((r) => r.method === "views.publish");
    const before = refused().length;
    for (const user of ["U2", "U9"]) {
      const published = world.standin.callsOf("views.publish").length;
      await world.slack.event({ type: "app_home_opened", user, channel: dmOf(user), tab: "home" });
      await world.adapter.settled();
      expect(world.standin.callsOf("views.publish")).toHaveLength(published + 1);
      const view = world.standin.callsOf("views.publish").at(-1)!.args.view;
      expect(viewProblems(view, "home")).toEqual([]);
    }
    expect(refused()).toHaveLength(before);
    // The contact's general buttons carry no value at all; pressed, they open a blank form.
    const home = world.standin.callsOf("views.publish").find((c) => c.args.user_id === "U2")!.args.view as {
      blocks: SlackBlock[];
    };
    const general = home.blocks.find((b) => b.type === "actions")!.elements!;
    expect(general.map((b) => [b.action_id, b.value])).toEqual([
      ["home_report", undefined],
      ["home_submit", undefined],
    ]);
    const opened = world.standin.callsOf("views.open").length;
    await world.slack.interactive({
      type: "block_actions",
      user: { id: "U2", username: "u2", name: "u2", team_id: "T1" },
      api_app_id: "A1",
      token: "verification-token-unused",
      container: { type: "view", view_id: "VHOME" },
      trigger_id: "trigger-home-general",
      team: { id: "T1", domain: "snv" },
      view: { id: "VHOME", type: "home", callback_id: "", private_metadata: "", state: { values: {} } },
      actions: [{ type: "button", action_id: "home_report", block_id: "b", action_ts: "1700000000.000500" }],
    });
    await world.adapter.settled();
    expect(world.standin.callsOf("views.open")).toHaveLength(opened + 1);
    const form = lastView(world.standin, "views.open");
    expect(form.callback_id).toBe("report_modal");
    const select = form.blocks.find((b) => b.block_id === "duty")!.element as { initial_option?: unknown };
    expect(select.initial_option).toBeUndefined();
  });

  it("submission form: refuses a future date next to it, previews, confirms, and keeps the uploaded file", async () => {
    expect((await world.slack.command("U2", "nopbaocao")).status).toBe(200);
    await world.adapter.settled();
    const form = lastView(world.standin, "views.open");
    expect(form.callback_id).toBe("submit_modal");
    expect(viewText(form)).toContain("IV.2.a");

    const future = await world.slack.submit("U2", form, submitState({ number: "45/BC-SNV", date: "2026-12-05" }));
    expect(Object.keys(future.json!.errors as object)).toEqual(["date"]);
    expect((future.json!.errors as Record<string, string>).date).toContain("ở sau hôm nay");
    expect(await world.app.db.submission.count()).toBe(0);

    const bytes = new Uint8Array(Buffer.from("%PDF-1.4 báo cáo đã ký"));
    const file = world.standin.addFile("bao-cao.pdf", bytes);
    const review = await world.slack.submit(
      "U2",
      form,
      submitState({
        number: "45/BC-SNV",
        date: "2026-12-01",
        files: [
          {
            id: file.id,
            name: "bao-cao.pdf",
            mimetype: "application/pdf",
            size: bytes.length,
            url_private_download: file.url,
          },
        ],
      }),
    );
    expect(review.json).toMatchObject({ response_action: "update", view: { callback_id: "submit_confirm" } });
    const confirm = review.json!.view as Record<string, unknown> & { blocks: SlackBlock[] };
    expect(unescapeMrkdwn(viewText(confirm))).toContain("(số 45/BC-SNV, ngày 01/12/2026)");
    expect(await world.app.db.submission.count()).toBe(0);

    const done = await world.slack.submit("U2", confirm, {});
    expect(done.json).toEqual({ response_action: "clear" });
    await world.adapter.settled();
    const submission = await world.app.db.submission.findFirstOrThrow({ include: { attachmentFile: true } });
    expect(submission).toMatchObject({
      documentNumber: "45/BC-SNV",
      documentDate: "2026-12-01",
      attachmentName: "bao-cao.pdf",
    });
    expect(Buffer.from(submission.attachmentFile!.content)).toEqual(Buffer.from(bytes));
    expect(unescapeMrkdwn(postsTo(world.standin, dmOf("U2")).at(-1)!.text)).toContain("Đã nộp báo cáo của");
  });

  it("submission form: a file that cannot be downloaded is said not received, and the form submits without it", async () => {
    await world.join("U5", "IV.6");
    expect((await world.slack.command("U5", "nopbaocao")).status).toBe(200);
    await world.adapter.settled();
    const form = lastView(world.standin, "views.open");
    const gone = world.standin.addFile("khac.pdf", new Uint8Array([1])).url.replace(/[^/]+$/, "F-MISSING");
    const review = await world.slack.submit(
      "U5",
      form,
      submitState({
        files: [
          { id: "F-MISSING", name: "scan.pdf", mimetype: "application/pdf", size: 40, url_private_download: gone },
        ],
      }),
    );
    expect(review.json).toMatchObject({
      response_action: "update",
      view: { callback_id: "submit_confirm", submit: { text: "Nộp không kèm tệp" } },
    });
    const confirm = review.json!.view as Record<string, unknown> & { blocks: SlackBlock[] };
    // (The view's text is read as JSON, its quotes escaped.)
    expect(unescapeMrkdwn(viewText(confirm))).toContain('Tệp \\"scan.pdf\\" chưa được nhận: hệ thống không tải được');
    expect(await world.app.db.storedFile.count({ where: { name: "scan.pdf" } })).toBe(0);

    expect((await world.slack.submit("U5", confirm, {})).json).toEqual({ response_action: "clear" });
    await world.adapter.settled();
    const submission = await world.app.db.submission.findFirstOrThrow({ where: { agency: { code: "IV.6" } } });
    expect(submission).toMatchObject({ attachmentName: null, attachmentFileId: null });
    const done = unescapeMrkdwn(postsTo(world.standin, dmOf("U5")).at(-1)!.text);
    expect(done).toContain("Đã nộp báo cáo của");
    expect(done).not.toContain("kèm tệp");
  });

  it("answers a form with 'recording…' when the core is slow, then shows the result", async () => {
    await world.slack.command("U1", "baocao");
    await world.adapter.settled();
    const form = lastView(world.standin, "views.open");
    let release!: () => void;
    world.gate.held = new Promise<void>((resolve) => (release = resolve));
    let reply;
    try {
      reply = await world.slack.submit(
        "U1",
        form,
        reportState({ duty: "IV.4.g", status: "in_progress", percent: "20" }),
      );
    } finally {
      world.gate.held = null;
      release();
    }
    expect(reply.json).toMatchObject({ response_action: "update", view: { title: { text: "Nhắc Việc" } } });
    expect(await world.app.db.dutyReport.count({ where: { duty: { code: "IV.4.g" } } })).toBe(0);
    await world.adapter.settled();
    expect(await world.app.db.dutyReport.count({ where: { duty: { code: "IV.4.g" } } })).toBe(1);
    const update = world.standin.callsOf("views.update").at(-1)!;
    expect(update.args.view_id).toBe("VFORM");
    expect(unescapeMrkdwn(viewText(update.args.view as { blocks: SlackBlock[] }))).toContain("Đã ghi nhận báo cáo");
  }, 60_000);

  it("posts the coordinators' digest to SLACK_DIGEST_CHANNEL once per day", async () => {
    world.clock.set(parseIsoInstant("2026-12-01T16:29")!);
    await world.app.tick();
    expect(postsTo(world.standin, DIGEST_CHANNEL)).toHaveLength(0);
    world.clock.set(parseIsoInstant("2026-12-01T16:30")!);
    await world.app.tick();
    // One copy, in as many parts as its length needs (95 communes make it long).
    const copy = postsTo(world.standin, DIGEST_CHANNEL);
    const text = copy.map((p) => unescapeMrkdwn(p.text)).join("\n");
    expect(text.match(/📊 Tình hình báo cáo ngày 01\/12\/2026/g)).toHaveLength(1);
    expect(text).toContain("Chưa nộp báo cáo (");
    expect(copy.every((p) => p.text.length <= 3000 * 1.1)).toBe(true);
    await world.app.tick(parseIsoInstant("2026-12-01T16:31")!);
    expect(postsTo(world.standin, DIGEST_CHANNEL)).toHaveLength(copy.length);
    // The copy has no buttons: in a shared channel they would answer whoever pressed them.
    expect(copy.flatMap((p) => choicesOf(p).flat())).toEqual([]);
    // The coordinator got theirs too, as a DM, with /quahan's buttons, which page through the communes.
    const digest = postsTo(world.standin, dmOf("U9")).find((p) => p.text.includes("Tình hình báo cáo ngày 01/12/2026"));
    expect(unescapeMrkdwn(digest!.text).length).toBeLessThanOrEqual(VIEW_MAX_CHARS);
    const labels = choicesOf(digest!)
      .flat()
      .map((c) => c.label);
    expect(labels[0]).toMatch(/^Danh sách chưa nộp \(\d+\)$/);
    expect(labels).toContain("Danh sách IV.9 (95)");
    expect((await world.slack.press("U9", findButton([digest!], "Danh sách IV.9 (95)"))).status).toBe(200);
    await world.adapter.settled();
    const members = world.standin.posted.at(-1)!;
    expect(unescapeMrkdwn(members.text)).toMatch(
      /IV\.9 Ủy ban nhân dân cấp xã: 95 đơn vị chưa nộp báo cáo[\s\S]*Trang 1\//,
    );
    expect((await world.slack.press("U9", findButton([members], "Trang sau ›"))).status).toBe(200);
    await world.adapter.settled();
    expect(unescapeMrkdwn(world.standin.posted.at(-1)!.text)).toMatch(/Trang 2\/\d+/);
  });

  it("takes a file sent in the DM during a chat submission, then submits it from the ephemeral preview", async () => {
    expect((await world.slack.command("U1", "nopbaocao 12/BC-BHXH")).status).toBe(200);
    await world.adapter.settled();
    const preview = world.standin.posted.at(-1)!;
    expect(preview.via).toBe("respond");
    expect(
      choicesOf(preview)
        .flat()
        .map((c) => c.label),
    ).toEqual(["Gửi báo cáo", "Hủy"]);

    const bytes = new Uint8Array(Buffer.from("ảnh chụp văn bản"));
    const file = world.standin.addFile("van-ban.jpg", bytes, "image/jpeg");
    await world.slack.dm("U1", "", {
      files: [
        {
          id: file.id,
          name: "van-ban.jpg",
          mimetype: "image/jpeg",
          size: bytes.length,
          url_private_download: file.url,
        },
      ],
    });
    await world.adapter.settled();
    expect(unescapeMrkdwn(postsTo(world.standin, dmOf("U1")).at(-1)!.text)).toContain('Đã nhận tệp "van-ban.jpg"');

    await world.slack.press("U1", findButton([preview], "Gửi báo cáo"));
    await world.adapter.settled();
    const submission = await world.app.db.submission.findFirstOrThrow({
      where: { agency: { code: "IV.4" } },
      include: { attachmentFile: true },
    });
    expect(submission).toMatchObject({ documentNumber: "12/BC-BHXH", attachmentName: "van-ban.jpg" });
    expect(Buffer.from(submission.attachmentFile!.content)).toEqual(Buffer.from(bytes));
    // The answer to a button in an ephemeral message goes back through its response URL; the
    // coordinator hears of it in their DM.
    const answer = world.standin.posted.filter((p) => p.via === "respond").at(-1)!;
    expect(unescapeMrkdwn(answer.text)).toContain("Đã nộp báo cáo của Bảo hiểm xã hội tỉnh");
    await until(
      () =>
        postsTo(world.standin, dmOf("U9")).some((p) => unescapeMrkdwn(p.text).includes("📥 IV.4 Bảo hiểm xã hội tỉnh")),
      "the coordinator is told of the submission",
    );
  });

  it("uploads a pushed file to the DM after its text", async () => {
    const person = await world.personOf("U1");
    const content = new Uint8Array(Buffer.from("tiến độ,60%\n"));
    await world.adapter.deliver(
      { personId: person.id, displayName: "Người U1", platform: "slack", userId: "U1", chatId: dmOf("U1") },
      { text: "Số liệu tiến độ", file: { name: "tien-do.csv", mimeType: "text/csv", content } },
    );
    const upload = [...world.standin.uploads.values()].at(-1)!;
    expect(upload).toMatchObject({ filename: "tien-do.csv", channel: dmOf("U1") });
    expect(upload.content.includes(Buffer.from(content))).toBe(true);
  });

  it("sent nothing Slack would refuse: every message, form, form answer and Home tab passed the Block Kit check", async () => {
    // Written in a channel: the answer is an ephemeral message, checked like the rest.
    const channel = { type: "message", user: "U1", text: "4a xong", channel: "C0GENERAL", channel_type: "channel" };
    await world.slack.event({ ...channel, ts: "1700000000.000900" });
    await world.adapter.settled();
    expect(world.standin.rejected.map((r) => ({ method: r.method, problems: r.problems }))).toEqual([]);
    const checked = [
      "chat.postMessage",
      "chat.postEphemeral",
      "respond",
      "views.open",
      "views.update",
      "views.publish",
    ];
    for (const method of checked) expect(world.standin.callsOf(method).length, method).toBeGreaterThan(0);
  });

  it("kept every message within Block Kit's limits, with a text fallback, and every view within 100 blocks", () => {
    expect(world.standin.posted.length).toBeGreaterThan(20);
    for (const message of world.standin.posted) {
      expect(message.text.length).toBeGreaterThan(0);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      for (const block of message.blocks) {
        if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
        for (const element of block.elements ?? []) {
          expect(element.text.text.length).toBeLessThanOrEqual(75);
          expect(Buffer.byteLength(element.value ?? "")).toBeLessThanOrEqual(2000);
        }
      }
    }
    const views = ["views.open", "views.update", "views.publish"].flatMap((m) => world.standin.callsOf(m));
    expect(views.length).toBeGreaterThan(5);
    for (const call of views) {
      const view = call.args.view as { blocks: SlackBlock[]; title?: { text: string } };
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      if (view.title) expect(view.title.text.length).toBeLessThanOrEqual(24);
    }
  });

  it("/quahan's buttons on Slack: list a group's members page by page, and nudge the one with a contact", async () => {
    const commune = await world.app.db.agency.findFirstOrThrow({
      where: { parent: { code: "IV.9" } },
      orderBy: { id: "asc" },
    });
    await world.join("U20", null);
    await world.join("U21", commune.code);
    const last = () => world.standin.posted.at(-1)!;
    const press = async (label: string) => {
      expect((await world.slack.press("U20", findButton([last()], label))).status).toBe(200);
      await world.adapter.settled();
    };
    expect((await world.slack.command("U20", "quahan")).status).toBe(200);
    await world.adapter.settled();
    const members = findButton([last()], "Danh sách IV.9 (95)");
    expect(members.value).toBe("members:BHXH26:IV.9:1");
    await press("Danh sách IV.9 (95)");
    expect(unescapeMrkdwn(last().text)).toContain(`– ${commune.code} `);
    await press("Trang sau ›");
    expect(unescapeMrkdwn(last().text)).toMatch(/Trang 2\/\d+/);
    await press("‹ Trang trước");
    expect(unescapeMrkdwn(last().text)).toContain(`– ${commune.code} `);
    // /tongquan IV.9 puts the same two buttons under the group.
    expect((await world.slack.command("U20", "tongquan IV.9")).status).toBe(200);
    await world.adapter.settled();
    await press("Danh sách IV.9 (95)");
    expect(unescapeMrkdwn(last().text)).toContain(`– ${commune.code} `);
    await world.slack.command("U20", "quahan");
    await world.adapter.settled();
    const before = world.standin.posted.length;
    await press("Nhắc 1 đơn vị có đầu mối");
    const after = world.standin.posted.slice(before).map((p) => unescapeMrkdwn(p.text));
    expect(after.join("\n")).toContain("Đã gửi nhắc tới 1 đầu mối của 1 cơ quan.");
    await until(
      () => postsTo(world.standin, dmOf("U21")).some((p) => unescapeMrkdwn(p.text).includes("Nhắc việc")),
      "the commune's contact is nudged",
    );
  });

  // Last in this world: from here on the agency of IV.4 (BHXH) is in two active plans.
  it("asks which plan with a button per plan instead of opening a form, and the button decides", async () => {
    await world.join("U7", "IV.4");
    await importSecondPlan(world.app.db);
    const opened = world.standin.callsOf("views.open").length;
    expect((await world.slack.command("U7", "baocao")).status).toBe(200);
    await world.adapter.settled();
    expect(world.standin.callsOf("views.open")).toHaveLength(opened);
    const asked = world.standin.posted.at(-1)!;
    expect(unescapeMrkdwn(asked.text)).toContain("cho kế hoạch nào?");
    const choices = choicesOf(asked).flat();
    expect(choices.map((c) => c.value)).toEqual(["plan:BHXH26", "plan:BHYT26"]);
    expect((await world.slack.press("U7", findButton([asked], choices[1]!.label))).status).toBe(200);
    await world.adapter.settled();
    const duties = world.standin.posted.at(-1)!;
    expect(unescapeMrkdwn(duties.text)).toContain("Chọn nhiệm vụ cần báo cáo");
    expect(
      choicesOf(duties)
        .flat()
        .map((c) => c.value),
    ).toContain("report:duty:IV.2.a");
    expect(
      choicesOf(duties)
        .flat()
        .map((c) => c.value),
    ).not.toContain("report:duty:IV.4.b");
  });

  it("App Home of a contact in two plans shows both plans' duties, and its button asks which plan", async () => {
    await world.slack.event({ type: "app_home_opened", user: "U7", channel: dmOf("U7"), tab: "home" });
    await world.adapter.settled();
    const home = world.standin.callsOf("views.publish").at(-1)!;
    expect(home.args.user_id).toBe("U7");
    const text = unescapeMrkdwn(viewText(home.args.view as { blocks: SlackBlock[] }));
    expect(text).toContain("BHXH26");
    expect(text).toContain("BHYT26");
    expect(text).toContain("IV.4.b");
    expect(text).toContain("IV.2.a");
    const opened = world.standin.callsOf("views.open").length;
    await world.slack.pressInView("U7", "home_report", "");
    await world.adapter.settled();
    expect(world.standin.callsOf("views.open")).toHaveLength(opened);
    expect(unescapeMrkdwn(world.standin.posted.at(-1)!.text)).toContain("cho kế hoạch nào?");
  });
});

describe("Block Kit", () => {
  const encode = slackChoiceKeys({
    keyForValue: async (value) => `key-of-${value.length}`,
    valueForKey: async () => null,
  });

  it("escapes what Slack would read as markup, and decodes what it sends as the person typed it", () => {
    expect(escapeMrkdwn("a & b <!channel> <@U1>")).toBe("a &amp; b &lt;!channel&gt; &lt;@U1&gt;");
    expect(decodeSlackText("x &amp; y &lt;3 <https://a.vn|trang> <mailto:a@b.vn|a@b.vn> <@U1|minh> <!here>")).toBe(
      "x & y <3 trang a@b.vn @minh @here",
    );
    const typed = 'IV.4.b 60% đang thực hiện: "95" xã & <b>';
    expect(decodeSlackText(escapeMrkdwn(typed))).toBe(typed);
  });

  it("spells the core's commands for Slack, leaving dates, numbers and links alone", () => {
    expect(slackCommands("Gõ /nhiemvu để xem, /start ABCDE-FGHJK hoặc (/help).")).toBe(
      "Gõ /nhacviec nhiemvu để xem, /nhacviec start ABCDE-FGHJK hoặc (/nhacviec help).",
    );
    expect(slackCommands("số 123/BC-SNV ngày 10/12/2026, https://t.me/bot, /khonglenh")).toBe(
      "số 123/BC-SNV ngày 10/12/2026, https://t.me/bot, /khonglenh",
    );
  });

  it("cuts text that escaping lengthens into sections of at most 3,000 characters, losing nothing", async () => {
    const text = "&".repeat(2999);
    const { blocks, text: fallback } = await renderMessage({ text }, encode);
    const sections = blocks.map((b) => (b as { text: { text: string } }).text.text);
    expect(sections.length).toBeGreaterThan(1);
    for (const section of sections) expect(section.length).toBeLessThanOrEqual(3000);
    expect(unescapeMrkdwn(sections.join(""))).toBe(text);
    expect(unescapeMrkdwn(fallback)).toBe(text);
  });

  it("keeps 60 rows of buttons within 50 blocks, and puts a value too long for a button behind a key", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => [{ label: `Đơn vị ${i + 1}`, value: `unit:${i + 1}` }]);
    const { blocks } = await renderMessage({ text: "Chọn đơn vị", choices: rows }, encode);
    expect(blocks.length).toBeLessThanOrEqual(50);
    const buttons = blocks.flatMap((b) => (b.type === "actions" ? b.elements : [])) as { value: string }[];
    expect(buttons.map((b) => b.value)).toEqual(rows.flat().map((c) => c.value));

    const long = "x".repeat(2500);
    const [button] = (
      (await renderMessage({ text: "a", choices: [[{ label: "Dài", value: long }]] }, encode)).blocks[1] as {
        elements: { action_id: string; value: string }[];
      }
    ).elements;
    expect(button).toMatchObject({ action_id: "choicekey:0", value: "key-of-2500" });
  });
});

describe("the Block Kit check of the tests' Slack", () => {
  const button = (value?: string) => ({
    type: "button",
    text: { type: "plain_text", text: "Báo cáo" },
    action_id: "a",
    ...(value !== undefined && { value }),
  });
  const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

  it("finds empty strings and what is past Slack's limits in messages", () => {
    expect(messageProblems({ text: "x", blocks: [{ type: "actions", elements: [button("ok")] }] })).toEqual([]);
    expect(messageProblems({ text: "x", blocks: [{ type: "actions", elements: [button("")] }] })).toEqual([
      "must not be empty [/blocks/0/elements/0/value]",
    ]);
    expect(messageProblems({ text: "x", blocks: [section("a".repeat(3001))] })[0]).toMatch(/at most 3000/);
    expect(messageProblems({ text: "x", blocks: [section("ok")] })).toEqual([]);
    expect(messageProblems({ text: "", blocks: [] })[0]).toMatch(/no_text/);
    expect(messageProblems({ text: "x", blocks: Array.from({ length: 51 }, () => section("a")) })[0]).toMatch(
      /at most 50 blocks/,
    );
    const header = { type: "header", text: { type: "plain_text", text: "h".repeat(151) } };
    expect(messageProblems({ text: "x", blocks: [header] })[0]).toMatch(/at most 150/);
    const twice = [
      { ...section("a"), block_id: "b1" },
      { ...section("b"), block_id: "b1" },
    ];
    expect(messageProblems({ text: "x", blocks: twice })[0]).toMatch(/used twice/);
    expect(
      messageProblems({ text: "x", blocks: [{ type: "actions", elements: Array(26).fill(button("v")) }] }),
    ).toContain("must hold 1 to 25 [/blocks/0/elements]");
  });

  it("finds what Slack refuses in modals and the Home tab", () => {
    const view = reportModal(messagesFor("vi"), {
      agency: { code: "IV.9", name: "Ủy ban nhân dân cấp xã", parentId: null },
      submitted: false,
      duties: [{ code: "IV.9.a", text: "Nhiệm vụ", status: "not_started", percent: 0, updatedAt: null }],
      indicators: [],
    });
    expect(viewProblems(view, "modal")).toEqual([]);
    expect(viewProblems({ ...view, title: { type: "plain_text", text: "t".repeat(25) } }, "modal")[0]).toMatch(
      /at most 24/,
    );
    const { submit: _submit, ...noSubmit } = view;
    expect(viewProblems(noSubmit, "modal")).toContain("is required when the view has inputs [/view/submit]");
    const select = {
      type: "static_select",
      action_id: "value",
      options: [{ text: { type: "plain_text", text: "A" }, value: "v".repeat(151) }],
      initial_option: { text: { type: "plain_text", text: "B" }, value: "b" },
    };
    const input = { type: "input", block_id: "duty", label: { type: "plain_text", text: "Nhiệm vụ" }, element: select };
    expect(viewProblems({ ...view, blocks: [input] }, "modal")).toEqual([
      "must be at most 150 characters (has 151) [/view/blocks/0/element/options/0/value]",
      "must be exactly one of the options [/view/blocks/0/element/initial_option]",
    ]);
    expect(viewProblems({ type: "home", blocks: [{ type: "actions", elements: [button("")] }] }, "home")).toEqual([
      "must not be empty [/view/blocks/0/elements/0/value]",
    ]);
  });

  it("makes the stand-in refuse as Slack does: invalid_blocks, invalid_arguments, 400 at a response URL", async () => {
    const standin = await startSlackStandin();
    try {
      const call = async (method: string, args: Record<string, unknown>) => {
        const body = new URLSearchParams(
          Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
        );
        const response = await fetch(`${standin.apiUrl}${method}`, {
          method: "POST",
          headers: { authorization: `Bearer ${BOT_TOKEN}`, "content-type": "application/x-www-form-urlencoded" },
          body,
        });
        return (await response.json()) as { ok: boolean; error?: string };
      };
      const bad = [{ type: "actions", elements: [button("")] }];
      expect(await call("chat.postMessage", { channel: "D1", text: "x", blocks: bad })).toMatchObject({
        ok: false,
        error: "invalid_blocks",
      });
      expect(await call("views.publish", { user_id: "U1", view: { type: "home", blocks: bad } })).toMatchObject({
        ok: false,
        error: "invalid_arguments",
      });
      const respond = await fetch(standin.responseUrl(), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: "x", blocks: bad }),
      });
      expect([respond.status, await respond.text()]).toEqual([400, "invalid_blocks"]);
      expect(standin.posted).toEqual([]);
      expect(standin.rejected.map((r) => r.method)).toEqual(["chat.postMessage", "views.publish", "respond"]);
    } finally {
      await standin.close();
    }
  });
});

describe("forms", () => {
  it("splits more than 100 duties into option groups of 100, and keeps the form within 100 blocks", () => {
    const duties = Array.from({ length: 150 }, (_, i) => ({
      code: `IV.9.${i + 1}`,
      text: `Nhiệm vụ số ${i + 1} của các xã, phường trong tỉnh`,
      status: "not_started" as const,
      percent: 0,
      updatedAt: null,
    }));
    const agency = {
      agency: { code: "IV.9", name: "Ủy ban nhân dân cấp xã", parentId: null },
      submitted: false,
      duties,
      indicators: [],
    };
    const view = reportModal(messagesFor("vi"), agency, { duty: "IV.9.120" });
    const select = (view.blocks.find((b) => b.block_id === "duty") as unknown as { element: unknown }).element as {
      options?: unknown[];
      option_groups: { label: { text: string }; options: { value: string }[] }[];
      initial_option: { value: string };
    };
    expect(select.options).toBeUndefined();
    expect(select.option_groups.map((g) => g.options.length)).toEqual([100, 50]);
    expect(select.option_groups.map((g) => g.label.text)).toEqual(["Nhiệm vụ 1–100", "Nhiệm vụ 101–150"]);
    expect(select.option_groups.flatMap((g) => g.options.map((o) => o.value))).toEqual(duties.map((d) => d.code));
    expect(select.initial_option.value).toBe("IV.9.120");
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
  });
});

describe("Socket Mode", () => {
  it("is chosen when SLACK_APP_TOKEN is set: no HTTP route, nothing connects until start", async () => {
    const { db } = await createTestDb();
    const clock = createManualClock(parseIsoInstant("2026-12-01T09:00")!);
    const config = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: "xapp-1-test" }).slack!;
    const adapter = createSlackAdapter({
      config,
      pace: { perSecond: 20, perChatMs: 1000 },
      host: {
        core: { handle: async () => [], ...NO_USE_CASES },
        store: createAdapterStore({ db, clock }),
        logger: silent,
        clock,
        accounts: async () => [],
      },
    });
    expect(adapter.routes!()).toEqual([]);
    expect(adapter.state()).toBe("idle");
    expect(adapter.digestChannel).toBeUndefined();
    await db.$disconnect();
  });

  it("HTTP mode without SLACK_SIGNING_SECRET is refused when the settings are read", () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN })).toThrow(/SLACK_SIGNING_SECRET/);
  });
});
