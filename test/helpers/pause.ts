import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * The checkpoint test/fixtures/start-app.ts hands createApp (see src/lib/checkpoint.ts): named
 * points in the start-up (building, migrating, seeding, publishing the database) where a test can
 * stop a real process and kill it there, or let two processes meet, without guessing with timers.
 * The test that starts the process controls it through the process's environment:
 *
 * - `NHACVIEC_TEST_PAUSE_AT=<step>`: on reaching `<step>` the process writes `paused:<step>` to
 *   stderr and waits there, forever or until the file named by `NHACVIEC_TEST_RESUME` exists.
 * - `NHACVIEC_TEST_TRACE=1`: every step reached is written to stderr as `step:<step>`.
 *
 * With neither set, a checkpoint does nothing but read the environment. Real runs have none.
 */
export async function checkpoint(step: string): Promise<void> {
  if (process.env.NHACVIEC_TEST_TRACE === "1") process.stderr.write(`step:${step}\n`);
  if (process.env.NHACVIEC_TEST_PAUSE_AT !== step) return;
  process.stderr.write(`paused:${step}\n`);
  const resume = process.env.NHACVIEC_TEST_RESUME;
  while (!(resume && existsSync(resume))) await sleep(20);
}
