// Reconnecting to a platform that is down, or refused a call: pauses that double from `startMs` up
// to `maxMs`, so an outage of any length is waited out without hammering the platform.

/** The pause before the attempt after the n-th failure (from 0): startMs, 2·startMs, … up to maxMs. */
export function exponentialBackoff(startMs: number, maxMs: number): (attempt: number) => number {
  return (attempt) => Math.min(maxMs, startMs * 2 ** attempt);
}

/** Waits `ms`, or until `signal` aborts if that comes first; never rejects. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Resolves once `signal` aborts. */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
