/** Every component asks this for the time, so tests can walk a calendar without waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface ManualClock extends Clock {
  set(instant: Date): void;
  advance(ms: number): void;
}

export function createManualClock(start: Date): ManualClock {
  let current = new Date(start.getTime());
  return {
    now: () => new Date(current.getTime()),
    set: (instant) => {
      current = new Date(instant.getTime());
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

/** Starts at `start` and then runs at real speed: "as if it were that moment" for a whole session. */
export function createOffsetClock(start: Date, base: Clock = systemClock): Clock {
  const offset = start.getTime() - base.now().getTime();
  return { now: () => new Date(base.now().getTime() + offset) };
}
