// `npm start -- --server` as a supervisor, a container runtime or a terminal runs it, stopped in
// every way they stop it: SIGTERM or SIGINT to npm alone (what a runtime that started `npm start`
// sends), to the whole process group (Ctrl+C, systemd's default), or to the bot's own process. Each
// time the bot stops cleanly (it frees its heartbeat), npm exits 0 and no process is left.
// One after another: six bots at once, each with a database of its own, overload a 2-core machine's
// PostgreSQL (test/scripts/build.test.ts has builds at the same moment).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { PROCESS_TEST_TIMEOUT, root, watchBotProcess } from "../helpers/processes.ts";

/** Whether any process has this id (or, negative, any process is in this group). */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The last of a line of descendants (Linux's /proc): npm, then the shell if any, then the bot. */
function leafOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  expect(children.length).toBeLessThanOrEqual(1);
  return children[0] ? leafOf(Number(children[0])) : pid;
}

/** Process groups this file started, killed after the tests should one of them fail half-way. */
const groups = new Set<number>();
afterAll(() => {
  for (const group of groups) if (exists(-group)) process.kill(-group, "SIGKILL");
});

const dbs: TestDb[] = [];
afterAll(async () => {
  for (const t of dbs) await t.db.$disconnect();
});

type Target = "npm alone" | "the process group" | "the bot's process";
const ways: [NodeJS.Signals, Target][] = [
  ["SIGTERM", "npm alone"],
  ["SIGINT", "npm alone"],
  ["SIGTERM", "the process group"],
  ["SIGINT", "the process group"],
  ["SIGTERM", "the bot's process"],
  ["SIGINT", "the bot's process"],
];

describe("npm start stopped by a supervisor", { timeout: PROCESS_TEST_TIMEOUT }, () => {
  it.each(ways)("%s to %s: the bot stops cleanly, npm exits 0, nothing is left", async (signal, target) => {
    const t = await createTestDb();
    dbs.push(t);
    // A group of its own (detached), as a service manager gives it: npm leads it.
    const npm = spawn("npm", ["start", "--", "--server"], {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "MALLOC_ARENA_MAX")),
        DATABASE_URL: t.url,
        HOST: "127.0.0.1",
        PORT: "0",
        NOW: "2026-12-01T08:00+07:00",
        LOG_LEVEL: "info",
      },
    });
    groups.add(npm.pid!);
    const watched = watchBotProcess(npm);
    // "close" comes once npm's output is read to the end ("exit" may come before).
    const closed = new Promise<number | null>((resolve) => npm.on("close", (code) => resolve(code)));
    const port = await watched.port;
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await t.db.processHeartbeat.count()).toBe(1);
    // The bot is the one process at the end of npm's line of descendants (the build has ended).
    const bot = leafOf(npm.pid!);
    expect(bot).not.toBe(npm.pid);
    // Two malloc arenas, as npm start sets unless told otherwise (README, "Performance").
    expect(readFileSync(`/proc/${bot}/environ`, "utf8").split("\0")).toContain("MALLOC_ARENA_MAX=2");

    if (target === "npm alone") process.kill(npm.pid!, signal);
    else if (target === "the process group") process.kill(-npm.pid!, signal);
    else process.kill(bot, signal);
    // A guard, not a wait: the shutdown takes about a second; a process left running must fail the test, not hang it.
    const guard = new Promise<string>((resolve) =>
      setTimeout(() => resolve("npm still running after 30 s"), 30_000).unref(),
    );
    expect(await Promise.race([closed, guard])).toBe(0);

    expect(exists(bot)).toBe(false);
    expect(exists(-npm.pid!)).toBe(false); // nothing at all is left in npm's group
    expect(watched.stderr()).toContain(`"signal":"${signal}"`);
    expect(watched.stderr()).toMatch(/"msg":"stopping"/);
    expect(watched.stderr()).not.toMatch(/"level":(50|60)/); // no error logged on the way out
    expect(await t.db.processHeartbeat.count()).toBe(0); // its shutdown ran to the end
    expect(watched.stderr()).toContain(`"pid":${bot}`); // the bot logs its process id as it listens
  });
});
