// A server-mode process started before its PostgreSQL server answers (the two started together by
// an orchestrator, or the database restarting) waits for it, and meanwhile already answers /healthz
// with 503: "connection refused" would read as a dead process and get it restarted in a loop.
// The server is played by a TCP relay to the real one, on a port that refuses connections until
// the test opens the relay.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createServer, connect, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, onPostgres, type TestDb } from "./helpers/db.ts";
import { PROCESS_TEST_TIMEOUT, root } from "./helpers/processes.ts";

/** A port nothing listens on (taken from the system, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Opens `port` as a relay to the real server: from now on, the database "answers" there. */
async function relay(port: number, to: { host: string; port: number }): Promise<Server> {
  const server = createServer((socket) => {
    const upstream = connect(to.port, to.host);
    socket.pipe(upstream).pipe(socket);
    socket.on("error", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}

interface Bot {
  child: ChildProcessWithoutNullStreams;
  /** The first JSON log line so far whose message is `msg`. */
  entry(msg: string): Record<string, unknown> | undefined;
  /** Resolves with that line, once written. */
  logged(msg: string): Promise<Record<string, unknown>>;
  /** Resolves once stderr has `text`. */
  wrote(text: string): Promise<void>;
  exited: Promise<number | null>;
  stderr(): string;
}

const started: Bot[] = [];
afterAll(() => {
  for (const bot of started) bot.child.kill("SIGKILL");
});

function startBot(databaseUrl: string): Bot {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "--server"], {
    cwd: root,
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: "127.0.0.1",
      PORT: "0",
      NOW: "2026-12-01T08:00+07:00",
      LOG_LEVEL: "info",
    },
  });
  let stderr = "";
  const waiters: (() => void)[] = [];
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const until = <T>(found: () => T | undefined, what: string) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = found();
        if (value !== undefined) resolve(value);
      };
      waiters.push(check);
      check();
      void exited.then((code) => reject(new Error(`exited ${code} before ${what}:\n${stderr}`)));
    });
  const entry = (msg: string) =>
    stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((e) => e.msg === msg);
  const bot: Bot = {
    child,
    entry,
    logged: (msg) => until(() => entry(msg), `logging "${msg}"`),
    wrote: (text) => until(() => (stderr.includes(text) ? true : undefined), `writing "${text}"`).then(() => undefined),
    exited,
    stderr: () => stderr,
  };
  started.push(bot);
  return bot;
}

describe.runIf(onPostgres)("a start that waits for PostgreSQL", { timeout: PROCESS_TEST_TIMEOUT }, () => {
  let t: TestDb;
  let server: { host: string; port: number };
  beforeAll(async () => {
    t = await createTestDb();
    const u = new URL(t.url);
    server = { host: u.hostname, port: Number(u.port || 5432) };
  });
  afterAll(async () => t.db.$disconnect());

  async function unanswered(): Promise<{ url: string; port: number }> {
    const port = await closedPort();
    const u = new URL(t.url);
    u.hostname = "127.0.0.1";
    u.port = String(port);
    return { url: u.toString(), port };
  }

  it("answers /healthz with 503 while it waits, then starts once the database answers", async () => {
    const db = await unanswered();
    const bot = startBot(db.url);
    await bot.logged("database not reachable; waiting");
    // The HTTP server came first, before the wait.
    const listening = bot.entry("listening");
    expect(listening).toMatchObject({ port: expect.any(Number), pid: bot.child.pid });
    const base = `http://127.0.0.1:${listening!.port as number}`;

    const waiting = await fetch(`${base}/healthz`);
    expect(waiting.status).toBe(503);
    expect(await waiting.json()).toMatchObject({
      status: "starting",
      database: { kind: "postgresql", reachable: false },
    });
    // A webhook that comes meanwhile is asked to come again, not told there is no such path.
    expect((await fetch(`${base}/telegram/webhook`, { method: "POST" })).status).toBe(503);
    // Nothing of the service runs yet.
    expect(await t.db.processHeartbeat.count()).toBe(0);

    const open = await relay(db.port, server);
    try {
      await bot.wrote("đang chạy ở chế độ máy chủ");
      const ready = await fetch(`${base}/healthz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: "ok", database: { kind: "postgresql", reachable: true } });
      expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
      expect(await t.db.processHeartbeat.count()).toBe(1);

      bot.child.kill("SIGTERM");
      expect(await bot.exited).toBe(0);
      expect(await t.db.processHeartbeat.count()).toBe(0);
    } finally {
      await new Promise<void>((resolve) => open.close(() => resolve()));
    }
  });

  it("stops at once and exits 0 when told to stop while it waits", async () => {
    const db = await unanswered();
    const bot = startBot(db.url);
    await bot.logged("database not reachable; waiting");
    bot.child.kill("SIGTERM");
    // A guard, not a wait: the stop is immediate; the next attempt alone would be a second or more away.
    const guard = new Promise<string>((resolve) =>
      setTimeout(() => resolve("still waiting after 20 s"), 20_000).unref(),
    );
    expect(await Promise.race([bot.exited, guard])).toBe(0);
    expect(bot.stderr()).toMatch(/"msg":"stopped before the database was open"/);
  });
});
