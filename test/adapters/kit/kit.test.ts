// The adapter kit's small parts: in-flight work drained, deliveries deduplicated through the store,
// secrets compared whole, reconnect pauses that grow to a cap.
import { describe, expect, it, vi } from "vitest";
import { exponentialBackoff, pause, whenAborted } from "../../../adapters/kit/backoff.ts";
import { createDedup } from "../../../adapters/kit/dedup.ts";
import { createInFlight } from "../../../adapters/kit/in-flight.ts";
import { hmacHex, secretMatches } from "../../../adapters/kit/secret.ts";
import { createAdapterStore } from "../../../src/delivery/adapter-store.ts";
import { createManualClock } from "../../../src/lib/clock.ts";
import { createLogger } from "../../../src/lib/logger.ts";
import { parseIsoInstant } from "../../../src/lib/time.ts";
import { createTestDb } from "../../helpers/db.ts";

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe("adapter kit: in flight", () => {
  it("drains only once everything tracked has settled, work begun while draining included", async () => {
    const inFlight = createInFlight();
    const first = deferred();
    const second = deferred();
    expect(inFlight.track(first.promise)).toBe(first.promise);
    let drained = false;
    void inFlight.drained().then(() => (drained = true));
    void inFlight.track(second.promise).catch(() => undefined);
    expect(inFlight.size()).toBe(2);
    first.resolve();
    await turns();
    expect(drained).toBe(false);
    // A failure counts as settled too: it is the caller's to handle.
    second.reject(new Error("hỏng"));
    await turns();
    expect(drained).toBe(true);
    expect(inFlight.size()).toBe(0);
  });

  it("drains at once when nothing is in flight", async () => {
    await expect(createInFlight().drained()).resolves.toBeUndefined();
  });
});

describe("adapter kit: dedup", () => {
  it("says first once per key and platform, through the store, across instances", async () => {
    const t = await createTestDb();
    try {
      const store = createAdapterStore({ db: t.db, clock: createManualClock(parseIsoInstant("2026-12-01T09:00")!) });
      const logger = createLogger("silent");
      const a = createDedup({ store, platform: "telegram", logger });
      const b = createDedup({ store, platform: "telegram", logger });
      const other = createDedup({ store, platform: "zalo", logger });
      expect(await a.first("1:42")).toBe(true);
      // Another process (another instance, same database) sees it handled.
      expect(await b.first("1:42")).toBe(false);
      expect(await a.first("1:42")).toBe(false);
      expect(await a.first("1:43")).toBe(true);
      expect(await other.first("1:42")).toBe(true);
    } finally {
      await t.db.$disconnect();
    }
  });
});

describe("adapter kit: secrets", () => {
  it("matches only the exact secret, whatever its length", () => {
    expect(secretMatches("bi-mat", "bi-mat")).toBe(true);
    expect(secretMatches("bi-ma", "bi-mat")).toBe(false);
    expect(secretMatches("bi-mat-", "bi-mat")).toBe(false);
    expect(secretMatches("", "bi-mat")).toBe(false);
    expect(secretMatches(undefined, "bi-mat")).toBe(false);
    expect(secretMatches(["bi-mat", "bi-mat"], "bi-mat")).toBe(false);
  });

  it("computes Slack's HMAC-SHA256 as hex (RFC 4231 test case 2)", () => {
    expect(hmacHex("Jefe", "what do ya want for nothing?")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });
});

describe("adapter kit: backoff", () => {
  it("doubles from the start up to the cap", () => {
    const delay = exponentialBackoff(1000, 30_000);
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(delay)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("pauses for the time given, or until aborted", async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      void pause(5000).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(4999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);

      const stop = new AbortController();
      let cut = false;
      void pause(60_000, stop.signal).then(() => (cut = true));
      let aborted = false;
      void whenAborted(stop.signal).then(() => (aborted = true));
      await vi.advanceTimersByTimeAsync(10);
      expect([cut, aborted]).toEqual([false, false]);
      stop.abort();
      await vi.advanceTimersByTimeAsync(0);
      expect([cut, aborted]).toEqual([true, true]);
      expect(vi.getTimerCount()).toBe(0);
      await expect(pause(1000, stop.signal)).resolves.toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
