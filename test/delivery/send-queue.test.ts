// The send queue's pacing against a platform over a network, on virtual time: a simulated platform
// that counts 30/s overall and 1/s per chat by ARRIVAL (a one-way trip, with jitter, after the
// send starts) and answers 429 above them, as the real one does.
import { describe, expect, it } from "vitest";
import { createSendQueue, type SendJob, type SendQueue } from "../../src/delivery/send-queue.ts";
import { createVirtualTime, type VirtualTime } from "../helpers/virtual-time.ts";
import { mulberry32 } from "../helpers/prng.ts";

const PACE = { perSecond: 30, perChatMs: 1000 };

interface Arrival {
  chat: string;
  at: number;
  refused: boolean;
}

/**
 * A platform `oneWayMs` ± `jitterMs` away (each trip drawn on its own, up and down): it refuses an
 * arrival when 30 accepted ones arrived in the second before it, when the chat received one less
 * than a second before, or when `refuse` says so.
 */
function simulatedPlatform(
  time: VirtualTime,
  network: { oneWayMs: number; jitterMs: number; seed: number },
  refuse: (at: number) => boolean = () => false,
) {
  const random = mulberry32(network.seed);
  const trip = () => network.oneWayMs + network.jitterMs * (2 * random() - 1);
  const arrivals: Arrival[] = [];
  const accepted: number[] = [];
  const lastByChat = new Map<string, number>();
  return {
    arrivals,
    /** Resolves, a round trip later, with whether the platform refused the send (429). */
    async send(chat: string): Promise<boolean> {
      await time.timers.sleep(trip());
      const at = time.now;
      const inSecond = accepted.filter((a) => a > at - 1000).length;
      const refused =
        refuse(at) || inSecond >= PACE.perSecond || at - (lastByChat.get(chat) ?? -Infinity) < PACE.perChatMs;
      if (!refused) {
        accepted.push(at);
        lastByChat.set(chat, at);
      }
      arrivals.push({ chat, at, refused });
      await time.timers.sleep(trip());
      return refused;
    },
  };
}

/** A job that sends `count` messages to its chat, one after another; a refused one is sent again, as a retry would. */
function chatJob(
  queue: () => SendQueue,
  platform: ReturnType<typeof simulatedPlatform>,
  chat: string,
  count = 1,
): SendJob {
  return {
    chatKey: chat,
    async run(answered) {
      const refused = await platform.send(chat);
      answered({ rateLimited: refused });
      if (refused) {
        queue().delayChat(chat, 1000);
        return chatJob(queue, platform, chat, count);
      }
      return count > 1 ? chatJob(queue, platform, chat, count - 1) : null;
    },
  };
}

async function fanOut(
  network: { oneWayMs: number; jitterMs: number; seed: number },
  chats: number,
  options: { perChat?: number; refuse?: (at: number) => boolean } = {},
) {
  const time = createVirtualTime();
  const platform = simulatedPlatform(time, network, options.refuse);
  const queue = createSendQueue({ pace: PACE, timers: time.timers });
  for (let i = 0; i < chats; i++) queue.push(chatJob(() => queue, platform, `chat-${i}`, options.perChat));
  await time.run(queue.drain());
  const accepted = platform.arrivals.filter((a) => !a.refused);
  return { arrivals: platform.arrivals, accepted, refused: platform.arrivals.length - accepted.length, end: time.now };
}

/** The most accepted arrivals in any one second (a sliding window). */
function busiestSecond(accepted: readonly Arrival[]): number {
  const at = accepted.map((a) => a.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[j]! <= at[i]! - 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe("pacing by arrival over a network", () => {
  it("at a fixed 120 ms one way, 300 sends go out at 0.93 of the pace or more, none refused", async () => {
    const { accepted, refused, end } = await fanOut({ oneWayMs: 120, jitterMs: 0, seed: 1 }, 300);
    expect(accepted).toHaveLength(300);
    expect(refused).toBe(0);
    // From the first start to the last answer: the round trip is paid once, not once per second.
    expect(300 / (end / 1000)).toBeGreaterThanOrEqual(0.93 * PACE.perSecond);
    expect(busiestSecond(accepted)).toBeLessThanOrEqual(PACE.perSecond);
  });

  it("with 120 ± 60 ms of jitter, no second at the platform holds more than the pace but for the sends it refused, and those are few", async () => {
    // 1,500 chats, two messages each: the per-chat spacing is crossed by jitter too.
    const { arrivals, accepted, refused, end } = await fanOut({ oneWayMs: 120, jitterMs: 60, seed: 7 }, 1500, {
      perChat: 2,
    });
    expect(accepted).toHaveLength(3000);
    expect(busiestSecond(accepted)).toBeLessThanOrEqual(PACE.perSecond);
    // The platform's own count, refused ones included, exceeds the pace only by those it refused.
    expect(busiestSecond(arrivals)).toBeLessThanOrEqual(PACE.perSecond + refused);
    expect(refused / arrivals.length).toBeLessThanOrEqual(0.005);
    expect(3000 / (end / 1000)).toBeGreaterThanOrEqual(0.93 * PACE.perSecond);
    const byChat = new Map<string, Arrival[]>();
    for (const a of accepted) byChat.set(a.chat, [...(byChat.get(a.chat) ?? []), a]);
    expect(byChat.size).toBe(1500);
    for (const [, got] of byChat) {
      expect(got).toHaveLength(2);
      expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(PACE.perChatMs);
    }
  });

  it("a burst of 429s slows the queue, which then climbs back to the pace", async () => {
    // The platform refuses everything that arrives between 5 s and 6 s, as if it had throttled the bot.
    const { arrivals, accepted } = await fanOut({ oneWayMs: 120, jitterMs: 0, seed: 3 }, 1500, {
      refuse: (at) => at >= 5000 && at < 6000,
    });
    expect(accepted).toHaveLength(1500);
    const perSecond = (from: number, to: number) =>
      arrivals.filter((a) => a.at >= from && a.at < to).length / ((to - from) / 1000);
    // From the second second: the first answers, on cold connections, are waited for.
    expect(perSecond(1000, 5000)).toBeGreaterThanOrEqual(0.93 * PACE.perSecond);
    expect(arrivals.filter((a) => a.refused && a.at < 5000)).toHaveLength(0);
    // Slower after the refusals, and no 429 since: the refused sends went again without another burst.
    expect(perSecond(6000, 10_000)).toBeLessThan(0.8 * perSecond(1000, 5000));
    expect(arrivals.filter((a) => a.refused && a.at >= 6000)).toHaveLength(0);
    // Additive increase: back at 0.93 of the pace or more within seven seconds.
    expect(perSecond(13_000, 33_000)).toBeGreaterThanOrEqual(0.93 * PACE.perSecond);
  });
});
