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
  /**
   * `answered` is called once the platform has answered (accepted, refused for rate, or failed):
   * the queue learns the round trip from it. A job that never calls it is taken as answered when
   * it ends.
   */
  run(answered: (answer: Answer) => void): Promise<SendJob | null | void>;
}

/** What the platform said: a 429 (`rateLimited`) slows the whole queue, not only that chat. */
export interface Answer {
  rateLimited: boolean;
}

const WINDOW_MS = 1000;
/** Sends in flight at once, at most: more than a second's bunch at every default pace (30/s at most). */
const CONCURRENCY = 64;
/** The least margin a send's second gets: a busy event loop alone moves a request by this much. */
const MIN_MARGIN_MS = 20;
/** A round trip's deviation counted at most: a stalled request must not stop the queue for long. */
const MAX_MARGIN_MS = 1000;
/** One chat's sends are a pair, not a crowd: their spacing covers all but the rarest jitter. */
const CHAT_MARGIN_DEVIATIONS = 4;
/** Each 429 takes the pace down to this share of what it was (multiplicative decrease)... */
const SLOW_DOWN = 0.97;
/** ...and climbs back by this share of the full pace each second (additive increase). */
const RECOVER_PER_SECOND = 0.1;
const SLOWEST = 0.2;
/** An answer later than the mean round trip by this many deviations shows a send that left late. */
const LATE_DEVIATIONS = 2;
/**
 * Below this least recent round trip a send counts from its answer: the platform is on this machine
 * or close, and a slower trip is the load of the machines, not the network.
 */
const NEAR_MS = 100;
/** Round trips the least one is taken from: enough to see a quiet moment, few enough to follow a new route. */
const LEAST_OF = 64;
/** Answers needed before the mean round trip is trusted: the first ones, on cold connections, vary most. */
const WARM_UP_SAMPLES = 30;

export interface SendQueue {
  push(job: SendJob): void;
  /** Holds a chat back, e.g. for a platform's "retry after N seconds". */
  delayChat(chatKey: string, ms: number): void;
  /** Resolves when every job pushed so far, and the jobs they returned, have finished. */
  drain(): Promise<void>;
  /** Drops the jobs not started yet and resolves when the ones in flight have finished. */
  abort(): Promise<void>;
  /**
   * When none of the sends so far counts in the platform's second any more: a process handing its
   * lease over waits for it, so the next sender's first second does not meet its last.
   */
  settledAt(): number;
  readonly inFlight: number;
}

interface ChatLane {
  jobs: SendJob[];
  busy: boolean;
  /** Earliest instant (ms) the chat may receive its next send. */
  nextAt: number;
}

/**
 * Sends concurrently within a platform's pace: the platform sees no more than perSecond sends
 * arrive in any second, one chat receives at most one send per perChatMs, and a chat's next job
 * starts only after its previous one finished, so that job can commit its result first (after a
 * crash, at most the sends in flight repeat, and never more than one per chat).
 *
 * The platform counts a send when it arrives, a one-way trip after it starts; the queue counts it
 * the same way (see createRateWindow), so a distant platform costs jitter, not the round trip.
 */
export function createSendQueue(options: { pace: Pace; timers?: Timers; concurrency?: number }): SendQueue {
  const timers = options.timers ?? realTimers;
  const window = createRateWindow(options.pace.perSecond);
  const wakeup = createWakeup(timers);
  const lanes = createLanes();
  let inFlight = 0;
  let pumping: Promise<void> | null = null;
  let aborted = false;

  function start(l: ChatLane, job: SendJob, at: number): void {
    l.busy = true;
    // The chat's next send must not arrive within perChatMs of this one, whatever either's jitter.
    l.nextAt = at + options.pace.perChatMs + (options.pace.perChatMs > 0 ? window.jitterMargin() : 0);
    inFlight++;
    const send = window.started(at);
    const answer = once(({ rateLimited }: Answer) => {
      window.answered(send, timers.now(), rateLimited);
      wakeup.signal();
    });
    void (async () => {
      try {
        const next = await job.run(answer);
        if (next && !aborted) l.jobs.unshift(next);
      } catch {
        // A job records its own failure; one that throws still frees its chat.
      } finally {
        answer({ rateLimited: false });
        l.busy = false;
        inFlight--;
        wakeup.signal();
      }
    })();
  }

  async function pump(): Promise<void> {
    while (!aborted && lanes.hasWork()) {
      const now = timers.now();
      const l = inFlight < (options.concurrency ?? CONCURRENCY) ? lanes.next(now) : null;
      if (!l) {
        await wakeup.wait(null);
        continue;
      }
      const at = Math.max(now, l.nextAt, window.opensAt(now));
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
    settledAt: () => window.settledAt(timers.now()),
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

interface WindowSend {
  startedAt: number;
  /** From when the send counts, once answered; while it is in flight it counts as starting now. */
  countsFrom: number | null;
  /** Started before the round trip was known: counts from its answer, and no sooner than the last such answer. */
  warmingUp: boolean;
}

/**
 * The platform's rate, counted by arrival. A send arrives a one-way trip after it starts, and with a
 * steady network the trips are alike, so arrivals keep the spacing of the starts: counting starts
 * in a sliding window is counting arrivals, and the round trip itself costs no rate. Only jitter
 * bunches arrivals, so the window is one second plus a margin of one mean deviation of the recent
 * round trips (smoothed as TCP does, RFC 6298), and at least MIN_MARGIN_MS. A send whose answer
 * shows it left late counts from when it left (see `answered`).
 *
 * The sends the window lets through go out together rather than evenly spaced: bunched starts
 * leave the rest of the second clear, and two bunches a second and a margin apart overlap at the
 * platform only at their jittered edges, where an even spacing is over the pace wherever two trips
 * differ by the margin.
 *
 * A 429 means the margin fell short: the window stretches (each 429 takes the pace to SLOW_DOWN of
 * what it was) and shrinks back by RECOVER_PER_SECOND of the pace each second. So the cut is as deep
 * as the refusal: the one or two sends that jitter pushed over the pace cost a few percent for a
 * moment, a whole bunch refused (the platform throttled the bot) takes the pace to 0.4.
 */
function createRateWindow(perSecond: number) {
  const perWindow = Number.isFinite(perSecond) ? Math.max(1, Math.floor(perSecond)) : 0;
  /** The sends of the last windows, oldest first. */
  const sends: WindowSend[] = [];
  const rtt = { mean: 0, deviation: 0, samples: 0, lastWarmUpAnswer: Number.NEGATIVE_INFINITY, recent: [] as number[] };
  const pace = { share: 1, grownAt: Number.NEGATIVE_INFINITY };

  function countedFrom(s: WindowSend, now: number): number {
    if (s.countsFrom === null) return now;
    return s.warmingUp ? Math.max(s.countsFrom, rtt.lastWarmUpAnswer) : s.countsFrom;
  }

  function grow(now: number): void {
    if (pace.share < 1) pace.share = Math.min(1, pace.share + ((now - pace.grownAt) / 1000) * RECOVER_PER_SECOND);
    pace.grownAt = now;
  }

  return {
    /** How far one trip may differ from another: what a chat's spacing must add to hold by arrival. */
    jitterMargin: () => CHAT_MARGIN_DEVIATIONS * rtt.deviation,
    /** When the window next lets a send start: `now` when it already does. */
    opensAt(now: number): number {
      if (perWindow === 0) return now;
      grow(now);
      const span = (WINDOW_MS + Math.max(MIN_MARGIN_MS, rtt.deviation)) / pace.share;
      while (sends.length > 0 && sends[0]!.startedAt <= now - (WINDOW_MS + MAX_MARGIN_MS) / SLOWEST) sends.shift();
      const counted = sends
        .map((s) => countedFrom(s, now))
        .filter((from) => from > now - span)
        .sort((a, b) => a - b);
      if (counted.length < perWindow) return now;
      // The oldest send that must leave the window before one more may start.
      return counted[counted.length - perWindow]! + span;
    },
    /** When the last send leaves a window of the platform's own length (the pace's slowing aside). */
    settledAt(now: number): number {
      const last = Math.max(Number.NEGATIVE_INFINITY, ...sends.map((s) => countedFrom(s, now)));
      return last + WINDOW_MS + Math.max(MIN_MARGIN_MS, rtt.deviation);
    },
    started(at: number): WindowSend {
      const send = { startedAt: at, countsFrom: null, warmingUp: rtt.samples < WARM_UP_SAMPLES };
      if (perWindow > 0) sends.push(send);
      return send;
    },
    answered(send: WindowSend, at: number, rateLimited: boolean): void {
      const sample = at - send.startedAt;
      rtt.recent.push(sample);
      if (rtt.recent.length > LEAST_OF) rtt.recent.shift();
      // A send that left late (the event loop held it back, or a new connection did) is answered
      // late: it counts from when it must have left. A send started before the round trip was known
      // (the first answers, on cold connections, say little of what a trip takes) counts from its
      // answer, which bounds its arrival; those sends count together, from the last of them, so they
      // leave the window together and the sends after them go out together too.
      if (send.warmingUp) rtt.lastWarmUpAnswer = Math.max(rtt.lastWarmUpAnswer, at);
      // A platform this near is answered within the margin anyway: the answer bounds the arrival,
      // whatever the event loop did, and the platform's count holds exactly.
      const near = Math.min(...rtt.recent) < NEAR_MS;
      send.countsFrom =
        send.warmingUp || near ? at : Math.max(send.startedAt, at - rtt.mean - LATE_DEVIATIONS * rtt.deviation);
      // Smoothed as TCP does (RFC 6298); the first sample sets a wide deviation, which narrows.
      if (rtt.samples === 0) {
        rtt.mean = sample;
        rtt.deviation = Math.min(MAX_MARGIN_MS, sample / 2);
      } else {
        rtt.deviation = Math.min(MAX_MARGIN_MS, rtt.deviation + (Math.abs(sample - rtt.mean) - rtt.deviation) / 4);
        rtt.mean += (sample - rtt.mean) / 8;
      }
      rtt.samples++;
      if (rateLimited) {
        grow(at);
        pace.share = Math.max(SLOWEST, pace.share * SLOW_DOWN);
      }
    },
  };
}

function once<A>(fn: (arg: A) => void): (arg: A) => void {
  let called = false;
  return (arg) => {
    if (called) return;
    called = true;
    fn(arg);
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
