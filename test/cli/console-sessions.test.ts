// Two people at two terminals, each a real `cli chat` process: a coordinator nudges a contact,
// and the nudge appears in the contact's open chat alone, whose "1" then picks the nudge's first
// choice. Nothing here waits a fixed time: each step waits for what the last one must bring.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { runCliOn } from "../helpers/cli.ts";
import { PROCESS_TEST_TIMEOUT, root, tsx } from "../helpers/processes.ts";

const NOW = ["--now", "2026-12-08T09:00"];

interface Terminal {
  type(line: string): void;
  /** Resolves with everything printed so far once `pattern` appears after `from` characters of it. */
  waitFor(pattern: RegExp, from?: number): Promise<string>;
  printed(): string;
  end(): Promise<number | null>;
}

function openTerminal(url: string, user: string, name: string): Terminal {
  const child: ChildProcessWithoutNullStreams = spawn(
    tsx,
    [join(root, "src/cli/index.ts"), "chat", "--user", user, "--name", name, ...NOW],
    { cwd: root, env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "silent" } },
  );
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  child.stdout.setEncoding("utf8").on("data", (t: string) => {
    stdout += t;
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    type: (line) => child.stdin.write(`${line}\n`),
    printed: () => stdout,
    waitFor: (pattern, from = 0) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(stdout.slice(from))) return;
          waiters.delete(check);
          resolve(stdout);
        };
        waiters.add(check);
        void exited.then((code) =>
          reject(new Error(`${user} exited ${code} before ${pattern}:\n${stdout}\n${stderr}`)),
        );
        check();
      }),
    end: () => {
      child.stdin.end();
      return exited;
    },
  };
}

describe("two people at two terminals", () => {
  let t: TestDb;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    t = await createTestDb();
    const invite = async (args: string[]) => JSON.parse((await runCliOn(t.url, [...args, "--json", ...NOW])).stdout);
    const contact = await invite(["invite", "create", "--agency", "IV.4"]);
    const coordinator = await invite(["invite", "create", "--role", "coordinator"]);
    for (const [user, code] of [
      ["minh", contact.code],
      ["lan", coordinator.code],
    ]) {
      const joined = await runCliOn(t.url, ["chat", "--user", user, ...NOW], {}, `/start ${code}\n`);
      expect(joined.code).toBe(0);
      ids[user] = (await t.db.identity.findFirstOrThrow({ where: { platform: "console", userId: user } })).personId;
    }
  });
  afterAll(async () => t.db.$disconnect());

  it(
    "a nudge reaches the contact's own chat, and a number there picks the nudge's choice",
    async () => {
      const minh = openTerminal(t.url, "minh", "Anh Minh");
      try {
        // His chat is open once its process says it runs his session.
        await waitUntil(async () => {
          const beats = await t.db.processHeartbeat.findMany({ select: { platforms: true } });
          return beats.some((b) => b.platforms.split(",").includes("console:minh"));
        });
        const lan = openTerminal(t.url, "lan", "Chị Lan");
        lan.type("/nhac IV.4");
        // Reached now, not waiting for a platform that runs nowhere; the nudge is not hers to see.
        const replied = await lan.waitFor(/Đã gửi nhắc tới 1 đầu mối của 1 cơ quan\.\n/);
        expect(await lan.end()).toBe(0);
        expect(replied).not.toContain("chờ");
        expect(lan.printed()).not.toContain("🔔");

        const pushed = await minh.waitFor(/🔔 Nhắc việc[\s\S]*\n {2}1\) [^\n]+\n {2}2\) /);
        const nudge = pushed.slice(pushed.indexOf("🔔"));
        const first = /\n {2}1\) ([^\n]+)/.exec(nudge)![1];
        expect(first).toBe("Báo cáo ngay");
        const before = minh.printed().length;
        minh.type("1");
        // "Báo cáo ngay" starts the guided report: the duties of his agency to choose from.
        const asked = await minh.waitFor(/Chọn nhiệm vụ cần báo cáo[\s\S]*IV\.4\.a/, before);
        expect(asked.slice(before)).not.toContain("Tôi chưa hiểu");
        expect(await minh.end()).toBe(0);
      } finally {
        await minh.end();
      }
      const row = await t.db.outboxMessage.findFirstOrThrow({ where: { personId: ids.minh, kind: "nudge" } });
      expect(row).toMatchObject({ status: "sent", platformMessageId: expect.stringMatching(/^console-/) });
      expect(await t.db.outboxMessage.count({ where: { personId: ids.lan, kind: "nudge" } })).toBe(0);
    },
    PROCESS_TEST_TIMEOUT,
  );
});

/** Checks `condition` again on every turn of the event loop's timers until it holds. */
async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setImmediate(resolve));
}
