import { setImmediate as nextLoopTurn } from "node:timers/promises";
import type { Timers } from "../../src/delivery/send-queue.ts";

export interface VirtualTime {
  timers: Timers;
  /** Every instant `sleep` was asked to wake at, in order of waking. */
  readonly now: number;
  /** Runs `work` to completion, jumping the clock to the next sleeper whenever nothing else can run. */
  run<T>(work: Promise<T>): Promise<T>;
}

/**
 * Time that passes only when everything else waits: sleeps resolve in order of their wake-up
 * instant, without any real waiting, so pacing over seconds is tested in milliseconds.
 */
export function createVirtualTime(start = 0): VirtualTime {
  let now = start;
  const sleepers: { at: number; seq: number; wake: () => void }[] = [];
  let seq = 0;
  return {
    get now() {
      return now;
    },
    timers: {
      now: () => now,
      sleep: (ms, signal) =>
        new Promise<void>((wake) => {
          if (signal?.aborted) return wake();
          const sleeper = { at: now + Math.max(0, ms), seq: seq++, wake };
          sleepers.push(sleeper);
          // A cancelled pause is gone: it must not move the clock later on.
          signal?.addEventListener("abort", () => {
            const index = sleepers.indexOf(sleeper);
            if (index >= 0) sleepers.splice(index, 1);
            wake();
          });
        }),
    },
    async run<T>(work: Promise<T>): Promise<T> {
      let settled = false;
      work.then(
        () => (settled = true),
        () => (settled = true),
      );
      let idleRounds = 0;
      while (!settled) {
        // Let promise chains and database round trips (which resolve on later loop turns) settle.
        for (let i = 0; i < 10 && !settled; i++) await nextLoopTurn();
        if (settled) break;
        if (sleepers.length === 0) {
          if (++idleRounds > 10_000) throw new Error("virtual time: nothing to wake and the work never settles");
          continue;
        }
        idleRounds = 0;
        sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = sleepers.shift()!;
        now = Math.max(now, next.at);
        next.wake();
      }
      return work;
    },
  };
}
