import type { Pace } from "./types.ts";

/** Time as the queue sees it: real timers in production, virtual ones in the pacing tests. */
export interface Timers {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  // A pause keeps the process alive (a CLI run must not exit half way through a fan-out), and is
  // cancelled as soon as it is no longer needed, so it never holds up a process that is done.
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      }
      signal?.addEventListener("abort", done, { once: true });
    }),
};

/** One send to one chat. Returning another job queues it next for the same chat (the next part). */
export interface SendJob {
  chatKey: string;
  run(): Promise<SendJob | null | void>;
}

const WINDOW_MS = 1000;

export interface SendQueue {
  push(job: SendJob): void;
  /** Holds a chat back, e.g. for a platform's "retry after N seconds". */
  delayChat(chatKey: string, ms: number): void;
  /** Resolves when every job pushed so far, and the jobs they returned, have finished. */
  drain(): Promise<void>;
  /** Drops the jobs not started yet and resolves when the ones in flight have finished. */
  abort(): Promise<void>;
  readonly inFlight: number;
}

interface ChatLane {
  jobs: SendJob[];
  busy: boolean;
  /** Earliest instant (ms) the chat may receive its next send. */
  nextAt: number;
}

/**
 * Sends concurrently within a platform's pace: the platform sees no more than perSecond sends in
 * any second (one less, as a margin, from 10/s up), never closer than half the even spacing so
 * they do not go out in one burst, one chat receives at most one send per perChatMs, and a chat's
 * next job starts only after its previous one finished, so that job can commit its result first
 * (after a crash, at most the sends in flight repeat, and never more than one per chat).
 *
 * The platform counts a send when it arrives, somewhere between the job's start and its end: a
 * busy event loop or a new connection can hold a request back for a tenth of a second and more,
 * and then it arrives together with later ones. So a send takes its place in the second from its
 * start until a second after its job ended, and the platform's count holds whatever the delay.
 */
export function createSendQueue(options: { pace: Pace; timers?: Timers; concurrency?: number }): SendQueue {
  const timers = options.timers ?? realTimers;
  const concurrency = options.concurrency ?? 64;
  const window = createRateWindow(options.pace.perSecond);
  const wakeup = createWakeup(timers);
  const lanes = createLanes();
  let inFlight = 0;
  let pumping: Promise<void> | null = null;
  let aborted = false;

  function start(l: ChatLane, job: SendJob, at: number): void {
    l.busy = true;
    l.nextAt = at + options.pace.perChatMs;
    inFlight++;
    window.started(at);
    void (async () => {
      try {
        const next = await job.run();
        if (next && !aborted) l.jobs.unshift(next);
      } catch {
        // A job records its own failure; one that throws still frees its chat.
      } finally {
        l.busy = false;
        inFlight--;
        window.ended(timers.now());
        wakeup.signal();
      }
    })();
  }

  async function pump(): Promise<void> {
    while (!aborted && lanes.hasWork()) {
      const now = timers.now();
      const l = inFlight < concurrency ? lanes.next(now) : null;
      const opensAt = l ? window.opensAt(now, inFlight) : null;
      if (!l || opensAt === null) {
        await wakeup.wait(null);
        continue;
      }
      const at = Math.max(now, l.nextAt, opensAt);
      if (at > now) {
        await wakeup.wait(at - now);
        continue;
      }
      start(l, l.jobs.shift()!, now);
    }
    while (inFlight > 0) await wakeup.wait(null);
  }

  return {
    get inFlight() {
      return inFlight;
    },
    push(job) {
      aborted = false;
      lanes.lane(job.chatKey).jobs.push(job);
      wakeup.signal();
      pumping ??= pump().finally(() => {
        pumping = null;
      });
    },
    delayChat(chatKey, ms) {
      const l = lanes.lane(chatKey);
      l.nextAt = Math.max(l.nextAt, timers.now() + ms);
    },
    async drain() {
      while (pumping) await pumping;
    },
    async abort() {
      aborted = true;
      lanes.clear();
      wakeup.signal();
      while (pumping) await pumping;
    },
  };
}

/**
 * The platform's rate. A sliding window rather than an even spacing: a send that starts late (the
 * event loop was busy) is made up for within the second, so the platform's ceiling is approached,
 * not drifted under.
 */
function createRateWindow(perSecond: number) {
  const perWindow = Number.isFinite(perSecond) ? Math.max(1, Math.floor(perSecond) - (perSecond >= 10 ? 1 : 0)) : 0;
  const minGapMs = Number.isFinite(perSecond) ? Math.floor(500 / perSecond) : 0;
  /** When the jobs that ended in the last second ended, oldest first; with those in flight, the window's count. */
  const recentEnds: number[] = [];
  let lastStartAt = Number.NEGATIVE_INFINITY;
  return {
    /** When the window next lets a send start: `now` when it already does, null once a send in flight ends. */
    opensAt(now: number, inFlight: number): number | null {
      const byGap = Math.max(now, lastStartAt + minGapMs);
      if (perWindow === 0) return byGap;
      while (recentEnds.length > 0 && recentEnds[0]! <= now - WINDOW_MS) recentEnds.shift();
      // How many of the ended sends must leave the window before one more may start.
      const excess = inFlight + recentEnds.length - perWindow;
      if (excess < 0) return byGap;
      if (excess >= recentEnds.length) return null;
      return Math.max(recentEnds[excess]! + WINDOW_MS, byGap);
    },
    started(at: number) {
      lastStartAt = at;
    },
    ended(at: number) {
      if (perWindow > 0) recentEnds.push(at);
    },
  };
}

/** The pump's sleep: until a given moment, or until something changes (a push, a send ending). */
function createWakeup(timers: Timers) {
  let wake: (() => void) | null = null;
  return {
    signal() {
      const w = wake;
      wake = null;
      w?.();
    },
    wait(ms: number | null): Promise<void> {
      return new Promise<void>((resolve) => {
        if (ms === null) {
          wake = resolve;
          return;
        }
        const cancel = new AbortController();
        wake = () => {
          cancel.abort();
          resolve();
        };
        void timers.sleep(ms, cancel.signal).then(resolve);
      });
    },
  };
}

/** One lane per chat: its jobs in order, whether one is in flight, and when it may receive again. */
function createLanes() {
  const lanes = new Map<string, ChatLane>();
  return {
    lane(chatKey: string): ChatLane {
      let l = lanes.get(chatKey);
      if (!l) {
        l = { jobs: [], busy: false, nextAt: Number.NEGATIVE_INFINITY };
        lanes.set(chatKey, l);
      }
      return l;
    },
    hasWork(): boolean {
      for (const l of lanes.values()) if (l.jobs.length > 0 || l.busy) return true;
      return false;
    },
    /** The ready lane whose chat may receive soonest; null when every lane is busy or empty. */
    next(now: number): ChatLane | null {
      let best: ChatLane | null = null;
      for (const [key, l] of lanes) {
        if (l.busy || l.jobs.length === 0) {
          // A lane is kept while its spacing runs, so a later job to that chat still waits it out.
          if (!l.busy && l.nextAt <= now) lanes.delete(key);
          continue;
        }
        if (!best || l.nextAt < best.nextAt) best = l;
      }
      return best;
    },
    clear() {
      for (const l of lanes.values()) l.jobs.length = 0;
    },
  };
}
