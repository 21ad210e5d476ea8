// What an adapter is doing at any moment (events being handled, a start attempt, a menu sync), so
// that stopping waits for all of it: an event taken is answered before the process lets go.

export interface InFlight {
  /** Counts `work` until it settles, and hands it back unchanged. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves once nothing is in flight, work begun while waiting included. */
  drained(): Promise<void>;
  /** How much is in flight now. */
  size(): number;
}

export function createInFlight(): InFlight {
  const inFlight = new Set<Promise<unknown>>();
  return {
    track(work) {
      inFlight.add(work);
      // The caller handles the work's failure; this copy only counts it.
      void work.then(
        () => inFlight.delete(work),
        () => inFlight.delete(work),
      );
      return work;
    },
    async drained() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    size: () => inFlight.size,
  };
}
