// The real process (`npm start`, here `node --import tsx src/main.ts --server`) with its Telegram
// adapter pointed at a Bot API stand-in on 127.0.0.1, its clock set to a reminder morning. Long
// polling: a contact joins through the deep link, gets the engine's reminder with its buttons,
// reports by pressing them, submits with a file, and `status --json` shows both. Webhook: posts
// without the right secret are refused, a good one is answered before its event is done.
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/index.ts";
import { systemClock } from "../../../src/lib/clock.ts";
import { createInvite } from "../../../src/services/invite-service.ts";
import { findAgency, getActivePlan } from "../../../src/services/plan-service.ts";
import { createTestDb, type TestDb } from "../../helpers/db.ts";
import { root, watchBotProcess } from "../../helpers/processes.ts";
import { BOT_INFO, documentUpdate, pressUpdate, textUpdate, TOKEN, type Person } from "../../helpers/telegram.ts";
import { startBotApiStandIn, type BotApiStandIn, type StandInCall } from "../../helpers/telegram-standin.ts";
import type { Json } from "../../helpers/json.ts";

const REMINDER_MORNING = "2026-12-01T08:00+07:00";
const lan: Person = { id: 424_242, name: "Chị Lan" };

interface BotProcess {
  child: ChildProcess;
  port: Promise<number>;
  exited: Promise<number | null>;
  stderr(): string;
}

/** `npm start` as one real process, so SIGTERM reaches the bot itself. */
function startBot(env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "--server"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: "0",
      NOW: REMINDER_MORNING,
      LOG_LEVEL: "warn",
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_BOT_USERNAME: "",
      TELEGRAM_WEBHOOK_URL: "",
      TELEGRAM_WEBHOOK_SECRET: "",
      SLACK_BOT_TOKEN: "",
      ZALO_BOT_TOKEN: "",
      ...env,
    },
  });
  const { port, exited, stderr } = watchBotProcess(child);
  return { child, port, exited, stderr };
}

async function stopBot(bot: BotProcess): Promise<number | null> {
  bot.child.kill("SIGTERM");
  return bot.exited;
}

/** The CLI, in this process, on the bot's database: what an operator types beside the running bot. */
async function cli(url: string, ...args: string[]): Promise<Json> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    args,
    { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) },
    {
      DATABASE_URL: url,
    },
  );
  if (code !== 0) throw new Error(`cli ${args.join(" ")} exited ${code}: ${err.join("")}`);
  return JSON.parse(out.join(""));
}

const sendTo = (person: Person) => (c: StandInCall) =>
  c.method === "sendMessage" && Number(c.payload.chat_id) === person.id;

function labels(call: StandInCall): string[][] {
  return (call.payload.reply_markup?.inline_keyboard ?? []).map((row: { text: string }[]) => row.map((b) => b.text));
}

function button(call: StandInCall, label: RegExp): string {
  for (const row of call.payload.reply_markup?.inline_keyboard ?? []) {
    for (const b of row) if (label.test(b.text)) return b.callback_data;
  }
  throw new Error(`no button ${label} on "${call.payload.text}"`);
}

describe("telegram end to end", () => {
  let api: BotApiStandIn | undefined;
  let t: TestDb | undefined;
  let bot: BotProcess | undefined;
  afterEach(async () => {
    if (bot && bot.child.exitCode === null) await stopBot(bot);
    await api?.close();
    await t?.db.$disconnect();
    api = t = bot = undefined;
  });

  it("polling: a contact joins by deep link, reports from the reminder's buttons, submits with a file", async () => {
    t = await createTestDb();
    api = await startBotApiStandIn({ token: TOKEN, bot: BOT_INFO });
    const standIn = api;
    bot = startBot({ DATABASE_URL: t.url, TELEGRAM_API_ROOT: api.apiRoot });
    await bot.port;

    // Back to polling: the webhook is deleted before the first poll; the menus are published.
    const firstPoll = await api.waitFor("getUpdates", (c) => c.method === "getUpdates");
    const deleted = api.calls.findIndex((c) => c.method === "deleteWebhook");
    expect(deleted).toBeGreaterThanOrEqual(0);
    expect(deleted).toBeLessThan(api.calls.indexOf(firstPoll));
    await api.waitFor("default menu", (c) => c.method === "setMyCommands" && c.payload.scope?.type === "default");

    // The CLI prints the deep link from the username the running bot learnt from getMe.
    const invite = await cli(t.url, "invite", "create", "--agency", "IV.4", "--json");
    expect(invite.link).toMatch(/^https:\/\/t\.me\/NhacViec_Test_Bot\?start=[A-Z2-9]{10}$/);
    const payload = new URL(invite.link).searchParams.get("start")!;

    /** The next message to the contact after what happened so far. */
    const next = (what: string, match: (c: StandInCall) => boolean = () => true) => {
      const mark = standIn.calls.length;
      return (action: () => void) => {
        const found = standIn.waitFor(what, (c) => standIn.calls.indexOf(c) >= mark && sendTo(lan)(c) && match(c));
        action();
        return found;
      };
    };
    const press = (carrier: StandInCall, label: RegExp) => () =>
      void standIn.push(pressUpdate(lan, { chatId: lan.id, messageId: carrier.messageId! }, button(carrier, label)));

    // 1. Opening the link sends "/start PAYLOAD": one tap joins.
    const welcome = await next("welcome")(() => void standIn.push(textUpdate(lan, `/start ${payload}`)));
    expect(welcome.payload.text).toMatch(/^Chào Chị Lan! Anh\/Chị đã tham gia Nhắc Việc với vai trò đầu mối/);
    expect(welcome.payload).not.toHaveProperty("parse_mode");

    // 2. The engine plans the T-14 reminder; the bot's outbox sends it with its buttons.
    const reminderSent = next("reminder", (c) => labels(c).length > 0);
    const tick = await cli(t.url, "reminders", "run", "--now", REMINDER_MORNING, "--json");
    // The running bot plans too, at each minute of its clock (which starts at the same 08:00): when
    // a minute turns between the join and this run, the bot has planned it first and the run finds
    // it planned. Either way it is planned once, and sent below.
    const byRun = (tick.due as { kind: string; agency: string; contactName: string }[]).filter(
      (e) => e.kind === "reminder" && e.agency === "IV.4" && e.contactName === "Chị Lan",
    );
    const rows = await t.db.outboxMessage.count({
      where: { kind: "reminder", point: "T-14", person: { displayName: "Chị Lan" }, NOT: { status: "skipped" } },
    });
    expect(byRun.length).toBeLessThanOrEqual(1);
    expect(rows).toBe(1);
    const reminder = await reminderSent(() => undefined);
    expect(labels(reminder)).toEqual([["Báo cáo ngay", "Nộp báo cáo"]]);

    // 3. "Báo cáo ngay", then the duty, the status and "Bỏ qua": the guided report to the end.
    const duties = await next("duty choice", (c) => labels(c).length > 0)(press(reminder, /^Báo cáo ngay$/));
    await standIn.waitFor("press answered", (c) => c.method === "answerCallbackQuery");
    await standIn.waitFor(
      "reminder keyboard removed",
      (c) => c.method === "editMessageReplyMarkup" && Number(c.payload.message_id) === reminder.messageId,
    );
    const statuses = await next("status choice", (c) => labels(c).length > 0)(press(duties, / IV\.4\.a /));
    const note = await next("note question", (c) => labels(c).length > 0)(press(statuses, /Hoàn thành/));
    const saved = await next("report saved")(press(note, /^Bỏ qua$/));
    expect(saved.payload.text).toMatch(/^Đã ghi nhận báo cáo:\nIV\.4\.a: .*\nTrạng thái: Hoàn thành \(100%\)/);

    // 4. /nopbaocao with the signed report as a document: preview, confirm, submitted.
    const bytes = Buffer.from("%PDF-1.4\nBáo cáo số 123/BC-SNV của Sở Tư pháp\n%%EOF\n");
    standIn.addFile("BQACAgUAAxkBAAIC-e2e", bytes);
    const doc = {
      fileId: "BQACAgUAAxkBAAIC-e2e",
      name: "bao-cao-iv4.pdf",
      mimeType: "application/pdf",
      size: bytes.length,
    };
    const preview = await next(
      "preview",
      (c) => labels(c).length > 0,
    )(() => void standIn.push(documentUpdate(lan, doc, "/nopbaocao 123/BC-SNV")));
    expect(preview.payload.text).toMatch(/số 123\/BC-SNV/);
    const done = await next("submitted")(press(preview, /^Gửi báo cáo$/));
    expect(done.payload.text).toMatch(/^Đã nộp báo cáo .* kèm tệp "bao-cao-iv4\.pdf"/);

    // 5. status --json shows the report and the submission.
    const status = await cli(t.url, "status", "--json");
    const iv4 = status.plans[0].agencies.find((a: { code: string }) => a.code === "IV.4");
    expect(iv4).toMatchObject({ submitted: true, onTime: true, contacts: 1 });
    expect(iv4.duties.find((d: { code: string }) => d.code === "IV.4.a")).toMatchObject({
      status: "done",
      percent: 100,
    });
    const stored = await t.db.storedFile.findFirstOrThrow({ where: { platformRef: doc.fileId } });
    expect(Buffer.from(stored.content)).toEqual(bytes);

    // Every update was handled once, and SIGTERM ends the poll and the process cleanly.
    const welcomes = api.calls.filter((c) => sendTo(lan)(c) && /^Chào Chị Lan/.test(c.payload.text));
    expect(welcomes).toHaveLength(1);
    expect(await stopBot(bot)).toBe(0);
    expect(bot.stderr()).not.toMatch(/"level":[45]0/);
  }, 120_000);

  it("webhook: set with its secret, posts without it refused, a good one answered before its event is done", async () => {
    t = await createTestDb();
    api = await startBotApiStandIn({ token: TOKEN, bot: BOT_INFO });
    const secret = "webhook_Bi-Mat_2026";
    bot = startBot({
      DATABASE_URL: t.url,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_WEBHOOK_URL: "https://nhacviec.example.vn/tg/cap-nhat",
      TELEGRAM_WEBHOOK_SECRET: secret,
    });
    const port = await bot.port;
    const set = await api.waitFor("setWebhook", (c) => c.method === "setWebhook");
    expect(set.payload).toMatchObject({ url: "https://nhacviec.example.vn/tg/cap-nhat", secret_token: secret });
    // Running once the menus go out (they follow the webhook).
    await api.waitFor("default menu", (c) => c.method === "setMyCommands" && c.payload.scope?.type === "default");
    expect(api.calls.some((c) => c.method === "getUpdates" || c.method === "deleteWebhook")).toBe(false);

    const plan = await getActivePlan(t.db);
    const agency = await findAgency(t.db, plan.id, "IV.4");
    const { code } = await createInvite(
      { db: t.db, clock: systemClock, inviteTtlDays: 14 },
      {
        agency,
        role: "contact",
      },
    );
    api.introduce(lan.id);
    const join = textUpdate(lan, `/start ${code}`);
    const post = (update: unknown, token?: string) =>
      fetch(`http://127.0.0.1:${port}/tg/cap-nhat`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token !== undefined && { "x-telegram-bot-api-secret-token": token }),
        },
        body: JSON.stringify(update),
      });

    expect((await post(join)).status).toBe(401);
    expect((await post(join, "webhook_Bi-Mat_2025")).status).toBe(401);
    expect((await post(join, "")).status).toBe(401);
    expect(await t.db.identity.count({ where: { platform: "telegram" } })).toBe(0);

    // Telegram gets its 200 while the bot's reply is still waiting on the platform.
    api.holdSends(true);
    expect((await post(join, secret)).status).toBe(200);
    const welcome = await api.waitFor("welcome", sendTo(lan));
    expect(welcome.messageId).toBeUndefined();
    api.holdSends(false);

    // Sent again (as Telegram does when unsure): handled once. The chat's next message comes after it.
    expect((await post(join, secret)).status).toBe(200);
    const mark = api.calls.length;
    expect((await post(textUpdate(lan, "/nhiemvu"), secret)).status).toBe(200);
    await api.waitFor("duties", (c) => api!.calls.indexOf(c) >= mark && sendTo(lan)(c));
    expect(api.calls.filter((c) => sendTo(lan)(c) && /^Chào Chị Lan/.test(c.payload.text))).toHaveLength(1);
    expect(await t.db.identity.count({ where: { platform: "telegram" } })).toBe(1);

    expect(await stopBot(bot)).toBe(0);
    expect(bot.stderr()).not.toMatch(/"level":[45]0/);
  }, 120_000);
});
