// Another process holds SQLite's write lock (a backup, a large import, the sqlite3 shell) while
// people write: the bot waits without blocking, stores or plainly refuses, and never falls over.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTelegramAdapter, type TelegramAdapter } from "../adapters/telegram/telegram-adapter.ts";
import { createApp, type App } from "../src/app.ts";
import { createManualClock, type ManualClock } from "../src/lib/clock.ts";
import { loadConfig } from "../src/config.ts";
import { UNLIMITED, UNPACED } from "../src/delivery/types.ts";
import { messagesFor } from "../src/i18n/index.ts";
import { createLogger } from "../src/lib/logger.ts";
import { healthReport, healthRoute } from "../src/server/health.ts";
import { createHttpServer, type HttpServer } from "../src/server/http-server.ts";
import { createInvite } from "../src/services/invite-service.ts";
import { findAgency, getActivePlan } from "../src/services/plan-service.ts";
import { parseIsoInstant } from "../src/lib/time.ts";
import { createTestDb, onPostgres, tableSnapshot } from "./helpers/db.ts";
import { PROCESS_TEST_TIMEOUT, root } from "./helpers/processes.ts";
import { BOT_INFO, createRecorder, textUpdate, TOKEN, type Person, type Recorder } from "./helpers/telegram.ts";
import { recordingLogger } from "./helpers/logger.ts";

/** A separate process that takes the write lock and keeps it until told to let go. */
async function holdWriteLock(path: string): Promise<{ release(): Promise<void> }> {
  const script = `
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1]);
    db.exec("BEGIN IMMEDIATE");
    db.prepare("INSERT INTO CalendarDay (date, kind, name) VALUES ('2099-01-01', 'holiday', 'khóa')").run();
    process.stdout.write("locked\\n");
    process.stdin.once("data", () => { db.exec("ROLLBACK"); db.close(); process.exit(0); });
  `;
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ["-e", script, path], { cwd: root });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`lock holder exited ${code}`)));
  });
  return {
    release: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.write("release\n");
      }),
  };
}

// SQLite's file lock, held by another process: PostgreSQL locks rows, and a writer there simply
// waits its turn, so these are SQLite's alone.
describe.skipIf(onPostgres)("a database locked by another process", { timeout: PROCESS_TEST_TIMEOUT }, () => {
  let app: App;
  let path: string;
  let http: HttpServer;
  let port: number;
  /** Each wait of the busy retry calls this; the test decides what happens during it. */
  let onWait: (attempt: number) => Promise<void> = async () => undefined;
  let waits = 0;
  const from = { platform: "test", userId: "u", chatId: "u", displayName: "Võ Thanh" };

  beforeAll(async () => {
    const t = await createTestDb();
    await t.db.$disconnect();
    path = t.path;
    const clock = createManualClock(parseIsoInstant("2026-11-30T09:00")!);
    app = await createApp({
      config: loadConfig({ DATABASE_URL: t.url }),
      logger: createLogger("silent"),
      clock,
      channels: [{ name: "test", limits: UNLIMITED, pace: UNPACED, deliver: async () => ({ messageId: "x" }) }],
      sleep: async () => {
        await onWait(++waits);
      },
    });
    const plan = await getActivePlan(app.db);
    const { code } = await createInvite(
      { db: app.db, clock, inviteTtlDays: 14 },
      { agency: await findAgency(app.db, plan.id, "IV.4"), role: "contact" },
    );
    await app.core.handle({ kind: "command", from, command: "batdau", args: code });
    http = createHttpServer({
      host: "127.0.0.1",
      port: 0,
      logger: createLogger("silent"),
      routes: [healthRoute(() => healthReport(app.db, {}))],
    });
    port = (await http.start()).port;
  });
  afterAll(async () => {
    await http.stop();
    await app.close();
  });

  it("waits for the lock without blocking, then stores the report; /healthz answers meanwhile", async () => {
    const lock = await holdWriteLock(path);
    const health: number[] = [];
    waits = 0;
    onWait = async (attempt) => {
      health.push((await fetch(`http://127.0.0.1:${port}/healthz`)).status);
      if (attempt === 2) await lock.release();
    };
    const replies = await app.core.handle({ kind: "text", from, text: "4b 60% đang làm" });
    expect(waits).toBe(2);
    expect(health).toEqual([200, 200]);
    expect(replies[0]!.text).toContain("IV.4.b");
    expect(await app.db.dutyReport.count()).toBe(1);
  });

  it("refuses plainly when the lock outlasts every wait, stores nothing, and answers the next message", async () => {
    const lock = await holdWriteLock(path);
    const before = await tableSnapshot(app.db);
    waits = 0;
    onWait = async () => undefined;
    const refused = await app.core.handle({ kind: "text", from, text: "4c xong" });
    expect(waits).toBeGreaterThanOrEqual(5);
    expect(refused).toEqual([{ text: expect.stringContaining("CHƯA được ghi nhận") }]);
    expect(await tableSnapshot(app.db)).toEqual(before);

    await lock.release();
    const next = await app.core.handle({ kind: "text", from, text: "4c xong" });
    expect(next[0]!.text).toContain("IV.4.c");
    expect(await app.db.dutyReport.count()).toBe(2);
  });
});

/** The fields of a pino line these tests read. */
interface LogLine {
  level: number;
  msg: string;
}

const PINO_WARN = 40;
const PINO_ERROR = 50;

// The same lock, met by Telegram chats through the adapter's update handler: its dedup row, the
// core's bookkeeping and the answer. Only what has to be stored waits for the lock.
describe.skipIf(onPostgres)(
  "Telegram chats while another process holds the lock",
  { timeout: PROCESS_TEST_TIMEOUT },
  () => {
    let app: App;
    let adapter: TelegramAdapter;
    let recorder: Recorder;
    let clock: ManualClock;
    let path: string;
    let lines: () => LogLine[];
    let waits = 0;
    const lan: Person = { id: 501, name: "Chị Lan" };
    const minh: Person = { id: 601, name: "Anh Minh" };
    const vi = messagesFor("vi");
    const send = (person: Person, text: string) => adapter.bot.handleUpdate(textUpdate(person, text));
    const lastText = (person: Person) => recorder.sent(person.id).at(-1)?.text ?? "";
    const errors = () => lines().filter((l) => l.level >= PINO_ERROR);

    beforeAll(async () => {
      const t = await createTestDb();
      await t.db.$disconnect();
      path = t.path;
      clock = createManualClock(parseIsoInstant("2026-12-01T09:00")!);
      recorder = createRecorder();
      const recording = recordingLogger<LogLine>();
      lines = recording.lines;
      app = await createApp({
        config: loadConfig({ DATABASE_URL: t.url, TELEGRAM_BOT_TOKEN: TOKEN }),
        logger: recording.logger,
        clock,
        sleep: async () => {
          waits += 1;
        },
        adapters: (host) => [
          (adapter = createTelegramAdapter({
            host,
            settings: { token: TOKEN, username: undefined, apiRoot: undefined, webhook: null },
            pace: { perSecond: 1000, perChatMs: 0 },
            defaultLocale: "vi",
            botInfo: BOT_INFO,
            transformers: [recorder.transformer],
          })),
        ],
      });
      const plan = await getActivePlan(app.db);
      const deps = { db: app.db, clock, inviteTtlDays: 14 };
      const contact = await createInvite(deps, {
        agency: await findAgency(app.db, plan.id, "IV.4"),
        role: "contact",
      });
      const coordinator = await createInvite(deps, { agency: null, role: "coordinator" });
      await send(lan, `/start ${contact.code}`);
      await send(minh, `/start ${coordinator.code}`);
      await adapter.idle();
      expect(lastText(lan)).toContain("Chào Chị Lan");
    });
    afterAll(async () => {
      await adapter.stop();
      await app.close();
    });

    it("answers questions (/nhiemvu, /trogiup, /tongquan) at once, with no wait and no error", async () => {
      clock.advance(60_000);
      const lock = await holdWriteLock(path);
      waits = 0;
      try {
        await send(lan, "/nhiemvu");
        expect(lastText(lan)).toContain("Nhiệm vụ của Bảo hiểm xã hội tỉnh");
        await send(lan, "/trogiup");
        expect(lastText(lan)).toContain("Các lệnh của Anh/Chị");
        await send(minh, "/tongquan");
        expect(lastText(minh)).toContain("cơ quan đã nộp báo cáo");
        await adapter.idle();
      } finally {
        await lock.release();
      }
      expect(waits).toBe(0);
      expect(errors()).toEqual([]);
    });

    it("tells a report it was not recorded (not a system error) when the lock outlasts every wait, and warns", async () => {
      const lock = await holdWriteLock(path);
      const refused = textUpdate(lan, "4b 60% đang làm");
      waits = 0;
      try {
        await adapter.bot.handleUpdate(refused);
        await adapter.idle();
      } finally {
        await lock.release();
      }
      expect(waits).toBeGreaterThanOrEqual(5);
      expect(lastText(lan)).toBe(vi.bot.busy);
      expect(recorder.sent(lan.id).map((m) => m.text)).not.toContain(vi.bot.internalError);
      expect(await app.db.dutyReport.count()).toBe(0);
      expect(errors()).toEqual([]);
      expect(lines().some((l) => l.level === PINO_WARN && l.msg === "event refused: database busy")).toBe(true);

      // Sent again once the lock is gone, it is stored; the refused update's id is on record by then too.
      await send(lan, "4b 60% đang làm");
      await adapter.idle();
      expect(lastText(lan)).toContain("IV.4.b");
      expect(await app.db.dutyReport.count()).toBe(1);
      const updateId = `${BOT_INFO.id}:${refused.update_id}`;
      const row = await app.db.processedUpdate.findUnique({
        where: { platform_updateId: { platform: "telegram", updateId } },
      });
      expect(row).not.toBeNull();
      // Delivered once more (a webhook retry), the refused update is not handled a second time.
      const sent = recorder.sent(lan.id).length;
      await adapter.bot.handleUpdate(refused);
      await adapter.idle();
      expect(recorder.sent(lan.id)).toHaveLength(sent);
    });
  },
);
