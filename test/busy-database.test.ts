// Another process holds SQLite's write lock (a backup, a large import, the sqlite3 shell) while
// people write: the bot waits without blocking, stores or plainly refuses, and never falls over.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../src/app.ts";
import { createManualClock } from "../src/clock.ts";
import { loadConfig } from "../src/config.ts";
import { UNLIMITED, UNPACED } from "../src/delivery/types.ts";
import { createLogger } from "../src/logger.ts";
import { healthReport, healthRoute } from "../src/server/health.ts";
import { createHttpServer, type HttpServer } from "../src/server/http-server.ts";
import { createInvite } from "../src/services/invite-service.ts";
import { findAgency, getActivePlan } from "../src/services/plan-service.ts";
import { parseIsoInstant } from "../src/time.ts";
import { createTestDb, onPostgres, tableSnapshot } from "./helpers/db.ts";
import { PROCESS_TEST_TIMEOUT, root } from "./helpers/processes.ts";

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
      { planId: plan.id, agency: await findAgency(app.db, plan.id, "IV.4"), role: "contact" },
    );
    await app.core.handle({ kind: "command", from, command: "start", args: code });
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
