import type { ChildProcess } from "node:child_process";
import { join } from "node:path";

/** The project folder, the working directory of every process a test starts. */
export const root = new URL("../..", import.meta.url).pathname;

/** Runs the TypeScript entry points the way `npm start` and `npm run cli` do. */
export const tsx = join(root, "node_modules/.bin/tsx");

/**
 * The time limit of a test that starts a process (tsx, Prisma's CLI, a lock holder). Such a test
 * takes up to about 5 s on a 2-core machine already busy with another run of the suite; this
 * leaves room for one running at a quarter of that speed, and then some, so CI stays green.
 */
export const PROCESS_TEST_TIMEOUT = 120_000;

/**
 * Follows a bot process started in server mode: the port it printed once listening (it prints
 * `http://HOST:PORT` on stderr), its exit code, and what it wrote on stderr so far.
 */
export function watchBotProcess(child: ChildProcess): {
  port: Promise<number>;
  exited: Promise<number | null>;
  stderr: () => string;
} {
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const port = new Promise<number>((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (match) resolve(Number(match[1]));
    });
    void exited.then((code) => reject(new Error(`exited ${code} before listening:\n${stderr}`)));
  });
  return { port, exited, stderr: () => stderr };
}
