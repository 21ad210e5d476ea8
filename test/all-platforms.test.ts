// Telegram, Slack and Zalo in one process, each against its stand-in: a person linked on all
// three gets each push once, on the platform they used most recently.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackAdapter } from "../adapters/slack/slack-adapter.ts";
import { createTelegramAdapter } from "../adapters/telegram/telegram-adapter.ts";
import { createZaloAdapter } from "../adapters/zalo/zalo-adapter.ts";
import { createApp, type App } from "../src/app.ts";
import { createManualClock } from "../src/lib/clock.ts";
import { loadConfig } from "../src/config.ts";
import { enqueue } from "../src/delivery/outbox.ts";
import { createLogger } from "../src/lib/logger.ts";
import { parseIsoInstant } from "../src/lib/time.ts";
import { createTestDb } from "./helpers/db.ts";
import { BOT_INFO, TOKEN } from "./helpers/telegram.ts";
import { startBotApiStandIn, type BotApiStandIn } from "./helpers/telegram-standin.ts";
import { BOT_TOKEN, dmOf, startSlackStandin, type SlackStandin } from "./standins/slack-api.ts";
import { startZaloStandIn, type ZaloStandIn } from "./standins/zalo-api.ts";

describe("three platforms in one process", () => {
  let app: App;
  let telegram: BotApiStandIn;
  let slack: SlackStandin;
  let zalo: ZaloStandIn;
  const clock = createManualClock(parseIsoInstant("2026-12-01T09:00")!);
  let personId = 0;

  beforeAll(async () => {
    [telegram, slack, zalo] = await Promise.all([
      startBotApiStandIn({ token: TOKEN, bot: BOT_INFO }),
      startSlackStandin(),
      startZaloStandIn(),
    ]);
    const { url, db } = await createTestDb();
    await db.$disconnect();
    const config = loadConfig({
      DATABASE_URL: url,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: "bi-mat-ky",
      SLACK_API_URL: slack.apiUrl,
      ZALO_BOT_TOKEN: zalo.token,
      ZALO_API_ROOT: zalo.root,
    });
    app = await createApp({
      config,
      logger: createLogger("silent"),
      clock,
      adapters: (host) => [
        createTelegramAdapter({ host, settings: config.telegram!, pace: config.pace.telegram, defaultLocale: "vi" }),
        createSlackAdapter({ host, config: config.slack!, pace: config.pace.slack }),
        createZaloAdapter({ host, config: config.zalo!, publicBaseUrl: undefined, pace: config.pace.zalo }),
      ],
    });
    for (const adapter of app.adapters) await adapter.start();
    const now = clock.now();
    const person = await app.db.person.create({
      data: { displayName: "Chị Lan", role: "coordinator", createdAt: now },
    });
    personId = person.id;
    await app.db.identity.createMany({
      data: [
        { personId, platform: "telegram", userId: "5001", chatId: "5001", displayName: "Lan", createdAt: now },
        { personId, platform: "slack", userId: "ULAN", chatId: dmOf("ULAN"), displayName: "Lan", createdAt: now },
        { personId, platform: "zalo", userId: "lan", chatId: "chat-lan", displayName: "Lan", createdAt: now },
      ],
    });
    telegram.introduce(5001);
    zalo.allowChat("chat-lan");
  }, 120_000);

  afterAll(async () => {
    for (const adapter of app.adapters) await adapter.stop();
    await app.close();
    await Promise.all([telegram.close(), slack.close(), zalo.close()]);
  });

  /** Makes `platform` the account used most recently, queues one push and sends it. */
  async function pushAfterUsing(platform: string, text: string): Promise<void> {
    clock.advance(60_000);
    await app.db.identity.updateMany({ where: { personId, platform }, data: { lastSeenAt: clock.now() } });
    await enqueue(app.db, clock.now(), [
      { key: text, kind: "notification", personId, message: { text }, dueAt: clock.now() },
    ]);
    await app.sender.sendDue(clock.now());
  }

  const onTelegram = (text: string) =>
    telegram.calls.filter((c) => c.method === "sendMessage" && c.payload.text === text).length;
  const onSlack = (text: string) => slack.posted.filter((p) => JSON.stringify(p).includes(text)).length;
  const onZalo = (text: string) => zalo.sent().filter((s) => s.text === text).length;

  it("runs all three adapters", () => {
    expect(Object.fromEntries(app.adapters.map((a) => [a.name, a.state()]))).toEqual({
      telegram: "running",
      slack: "running",
      zalo: "running",
    });
  });

  it("sends each push once, on the platform used most recently", async () => {
    await pushAfterUsing("slack", "tin-qua-slack");
    await pushAfterUsing("zalo", "tin-qua-zalo");
    await pushAfterUsing("telegram", "tin-qua-telegram");
    expect([onTelegram("tin-qua-slack"), onSlack("tin-qua-slack"), onZalo("tin-qua-slack")]).toEqual([0, 1, 0]);
    expect([onTelegram("tin-qua-zalo"), onSlack("tin-qua-zalo"), onZalo("tin-qua-zalo")]).toEqual([0, 0, 1]);
    expect([onTelegram("tin-qua-telegram"), onSlack("tin-qua-telegram"), onZalo("tin-qua-telegram")]).toEqual([
      1, 0, 0,
    ]);
    const rows = await app.db.outboxMessage.findMany({ where: { personId }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.key, r.status, r.platform])).toEqual([
      ["tin-qua-slack", "sent", "slack"],
      ["tin-qua-zalo", "sent", "zalo"],
      ["tin-qua-telegram", "sent", "telegram"],
    ]);
  });
});
