// `npm start` with Slack configured, as one real process against the stand-in Web API: the
// composition root builds the Slack adapter, mounts /slack/events on the shared server, sends the
// morning's reminder to a Slack contact as a DM and answers a signed slash command.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/lib/logger.ts";
import { seedBundle } from "../../../src/plan/bundle.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { root, watchBotProcess } from "../../helpers/processes.ts";
import { slackClient, SIGNING_SECRET, unescapeMrkdwn } from "../../helpers/slack.ts";
import { BOT_TOKEN, dmOf, startSlackStandin, type SlackStandin } from "../../standins/slack-api.ts";

async function until(condition: () => boolean, what: string, stderr: () => string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  throw new Error(`never happened: ${what}\n${stderr()}`);
}

describe("server mode with Slack", () => {
  let t: TestDb;
  let standin: SlackStandin;
  beforeAll(async () => {
    t = await createTestDb();
    standin = await startSlackStandin();
    await seedBundle(t.db, createLogger("silent"));
    const agency = await t.db.agency.findFirstOrThrow({ where: { code: "IV.3" } });
    const at = new Date("2026-11-20T09:00:00+07:00");
    await t.db.person.create({
      data: {
        displayName: "Chị Lan",
        role: "contact",
        directoryAgencyId: agency.directoryId,
        createdAt: at,
        identities: {
          create: { platform: "slack", userId: "U7", chatId: dmOf("U7"), displayName: "Chị Lan", createdAt: at },
        },
      },
    });
  });
  afterAll(async () => {
    await standin.close();
    await t.db.$disconnect();
  });

  it("sends the T-14 reminder as a Slack DM, answers /nhacviec, reports the adapter running, stops on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        DATABASE_URL: t.url,
        HOST: "127.0.0.1",
        PORT: "0",
        NOW: "2026-12-01T08:00+07:00",
        LOG_LEVEL: "warn",
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: standin.apiUrl,
        SLACK_APP_TOKEN: "",
        TELEGRAM_BOT_TOKEN: "",
        ZALO_BOT_TOKEN: "",
      },
    });
    const watched = watchBotProcess(child);
    const { exited } = watched;
    const port = await watched.port;
    const stderr = watched.stderr;
    try {
      // Slack alone configured: server mode without --server.
      await until(
        () => standin.posted.some((p) => p.channel === dmOf("U7") && p.text.includes("Nhắc việc")),
        "the reminder reaches the Slack DM",
        stderr,
      );
      const reminder = standin.posted.find((p) => p.channel === dmOf("U7"))!;
      expect(reminder.via).toBe("chat.postMessage");
      expect(JSON.stringify(reminder.blocks)).toContain("start:report");

      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { adapters: object };
      expect(health.adapters).toEqual({ slack: "running" });

      const slack = slackClient(`http://127.0.0.1:${port}/slack/events`, standin);
      expect((await slack.command("U7", "trogiup")).status).toBe(200);
      await until(
        () =>
          standin.posted.some((p) => p.via === "respond" && unescapeMrkdwn(p.text).includes("Các lệnh của Anh/Chị")),
        "the answer to /nhacviec trogiup",
        stderr,
      );
      expect((await slack.command("U7", "trogiup", { secret: "wrong" })).status).toBe(401);
    } finally {
      child.kill("SIGTERM");
    }
    const code = await Promise.race([
      exited,
      new Promise<string>((resolve) => setTimeout(() => resolve("still running after 20 s"), 20_000).unref()),
    ]);
    expect(code).toBe(0);
    expect(await t.db.outboxMessage.count({ where: { status: "sent", platform: "slack" } })).toBe(1);
  }, 120_000);
});
