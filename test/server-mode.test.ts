// `npm start -- --server` as a real process: it serves /healthz, ignores a closed standard input,
// and stops cleanly on SIGTERM, leaving no claim and no heartbeat behind.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { testDatabaseKind, createTestDb, type TestDb } from "./helpers/db.ts";
import { PROCESS_TEST_TIMEOUT, root, tsx, watchBotProcess } from "./helpers/processes.ts";
import type { Json } from "./helpers/json.ts";

describe("server mode", { timeout: PROCESS_TEST_TIMEOUT }, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t.db.$disconnect());

  it("serves /healthz with standard input closed and exits 0 on SIGTERM, leaving nothing claimed", async () => {
    // As `npm start -- --server` runs it: the esbuild bundle of src/main.ts, in plain Node.
    execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root });
    const child = spawn(process.execPath, ["dist/main.mjs", "--server"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        DATABASE_URL: t.url,
        HOST: "127.0.0.1",
        PORT: "0",
        NOW: "2026-12-01T08:00+07:00",
        LOG_LEVEL: "info",
      },
    });
    const watched = watchBotProcess(child);
    const { exited } = watched;
    const port = await watched.port;
    expect(port).toBeGreaterThan(0);

    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
    const health = (await response.json()) as Json;
    expect(health).toMatchObject({
      status: "ok",
      database: { kind: testDatabaseKind, reachable: true },
      adapters: {},
      adapterReasons: {},
      outbox: { pending: expect.any(Number), failed: 0 },
    });
    expect(health.memory.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect((await fetch(`http://127.0.0.1:${port}/nothing-here`)).status).toBe(404);
    // The bundled plan was seeded and a heartbeat written: the process is a live bot, not a stub.
    expect(await t.db.plan.count()).toBe(1);
    expect(await t.db.processHeartbeat.count()).toBe(1);

    child.kill("SIGTERM");
    const code = await Promise.race([
      exited,
      new Promise<string>((resolve) => setTimeout(() => resolve("still running after 10 s"), 10_000).unref()),
    ]);
    expect(code).toBe(0);
    expect(await t.db.outboxMessage.count({ where: { claimedBy: { not: null } } })).toBe(0);
    expect(await t.db.processHeartbeat.count()).toBe(0);
    expect(await t.db.platformLease.count()).toBe(0);
  });

  it("refuses a bad setting with one line naming the variable, and a non-zero exit", () => {
    const result = spawnSync(tsx, ["src/main.ts", "--server"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: t.url, PORT: "không-phải-số" },
    });
    expect(result.status).not.toBe(0);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("PORT");
    expect(lines[0]).toContain("Cấu hình môi trường không hợp lệ");
  });

  it("refuses a webhook URL that is not https:// with one line naming the variable; API roots may stay http", () => {
    const webhooks = {
      TELEGRAM_WEBHOOK_URL: {
        TELEGRAM_BOT_TOKEN: "7000001:token",
        TELEGRAM_WEBHOOK_URL: "http://nhacviec.example.vn/tg/cap-nhat",
        TELEGRAM_WEBHOOK_SECRET: "bi-mat_cua-webhook",
      },
      ZALO_WEBHOOK_URL: {
        ZALO_BOT_TOKEN: "12345:token",
        ZALO_WEBHOOK_URL: "http://nhacviec.example.vn/zalo/webhook",
        ZALO_WEBHOOK_SECRET: "bi-mat-cua-webhook",
      },
    };
    for (const [variable, env] of Object.entries(webhooks)) {
      expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}: must be an https:// URL`));
      const result = spawnSync(tsx, ["src/main.ts", "--server"], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, DATABASE_URL: t.url, ...env },
      });
      expect(result.status, variable).toBe(2);
      const lines = result.stderr.trim().split("\n");
      expect(lines, variable).toHaveLength(1);
      expect(lines[0]).toBe(`Cấu hình môi trường không hợp lệ: ${variable}: ${httpsOnly}`);
    }
    const https = loadConfig({
      TELEGRAM_BOT_TOKEN: "7000001:token",
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081",
      TELEGRAM_WEBHOOK_URL: "https://nhacviec.example.vn/tg/cap-nhat",
      TELEGRAM_WEBHOOK_SECRET: "bi-mat_cua-webhook",
      ZALO_BOT_TOKEN: "12345:token",
      ZALO_API_ROOT: "http://127.0.0.1:8082",
      ZALO_WEBHOOK_URL: "https://nhacviec.example.vn/zalo/webhook",
      ZALO_WEBHOOK_SECRET: "bi-mat-cua-webhook",
    });
    expect(https.telegram).toMatchObject({ apiRoot: "http://127.0.0.1:8081", webhook: { url: expect.any(String) } });
    expect(https.zalo).toMatchObject({ apiRoot: "http://127.0.0.1:8082", webhook: { url: expect.any(String) } });
  });
});

const httpsOnly = "must be an https:// URL (the platform accepts webhooks over HTTPS only)";
