import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, expect } from "vitest";
import { createDb, loadDatabaseDriver } from "../../src/db/db.ts";
import { parseMembersCsv } from "../../src/plan/members.ts";
import { parsePlan } from "../../src/plan/parse-plan.ts";
import { readBundleFile, readBundleManifest } from "../../src/plan/bundle.ts";
import { parseCalendarCsv } from "../../src/schedule/calendar.ts";

// Real starts of the app (test/fixtures/start-app.ts) in child processes, stopped at named points
// with the NHACVIEC_TEST_PAUSE_AT hook of test/helpers/pause.ts, so nothing depends on timing.

const root = new URL("../..", import.meta.url).pathname;

export interface Started {
  /** Resolves once the process has written `text` to stderr; rejects if it exits first. */
  reached(text: string): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  kill(): void;
}

/** Children still running, killed after the tests should one of them fail half-way. */
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * test/fixtures/start-app.ts (createApp, then "ready") in one process: `node --import tsx` rather
 * than the `tsx` command, which runs the script in a child of its own that a SIGKILL to `tsx`
 * would not reach.
 */
export function start(url: string, env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/start-app.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.on("exit", () => running.delete(child));
  let stdout = "";
  let stderr = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const w of waiters.filter((w) => stderr.includes(w.text))) w.resolve();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    reached: (text) =>
      new Promise<void>((resolve, reject) => {
        if (stderr.includes(text)) return resolve();
        waiters.push({ text, resolve });
        void exited.then((r) => reject(new Error(`exited (${r.code ?? r.signal}) before "${text}":\n${r.stderr}`)));
      }),
    exited,
    kill: () => child.kill("SIGKILL"),
  };
}

/** A start that must succeed: exit 0, nothing on stderr. */
export async function startsCleanly(url: string): Promise<void> {
  const result = await start(url).exited;
  expect([result.code, result.stdout, result.stderr]).toEqual([0, "ready\n", ""]);
}

/** Kills a start at `step` and returns once it is dead. */
export async function killedAt(url: string, step: string): Promise<void> {
  const child = start(url, { NHACVIEC_TEST_PAUSE_AT: step });
  await child.reached(`paused:${step}\n`);
  child.kill();
  expect((await child.exited).signal).toBe("SIGKILL");
}

/** What a complete start leaves: the bundled plan (95 communes among its agencies) and calendar. */
export const fullPlan = (() => {
  const manifest = readBundleManifest();
  const plan = parsePlan(readBundleFile(manifest.plan));
  const members = manifest.members.reduce((n, m) => n + parseMembersCsv(readBundleFile(m.file)).length, 0);
  return {
    plans: 1,
    agencies: plan.agencies.length + members,
    members,
    duties: plan.agencies.reduce((n, a) => n + a.duties.length, 0),
    calendarDays: manifest.calendars.reduce((n, f) => n + parseCalendarCsv(readBundleFile(f)).length, 0),
  };
})();

export async function counts(url: string) {
  await loadDatabaseDriver(url);
  const db = createDb(url);
  try {
    return {
      plans: await db.plan.count(),
      agencies: await db.agency.count(),
      members: await db.agency.count({ where: { parentId: { not: null } } }),
      duties: await db.duty.count(),
      calendarDays: await db.calendarDay.count(),
    };
  } finally {
    await db.$disconnect();
  }
}
