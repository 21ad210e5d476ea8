// The one contract every platform adapter passes: the console's now, each platform's in its own
// test file. Checks follow the adapter's declared limits, so a platform without buttons or group
// chats skips those, and one that cannot fail a delivery skips the error checks. What the adapter
// kit (adapters/kit/) promises is checked here too, wherever the platform has it: a delivery made
// twice is handled once, a rate limit goes to the outbox with the platform's wait, stopping drains
// the events in flight, and a webhook body past the cap gets 413.
import { describe, expect, it } from "vitest";
import { MAX_WEBHOOK_BODY_BYTES } from "../../adapters/kit/body.ts";
import type { IncomingEvent } from "../../src/model/bot-core.ts";
import { DeliveryError, type DeliveryTarget, type PlatformAdapter } from "../../src/delivery/types.ts";
import type { Choice, OutgoingMessage } from "../../src/model/messages.ts";

export interface SentPart {
  text: string;
  choices: Choice[][];
}

export interface ContractHarness {
  adapter: PlatformAdapter;
  /** Events the core received from the adapter, in order. */
  received: IncomingEvent[];
  /** What the (fake) core answers to each following event. */
  answerWith(replies: OutgoingMessage[]): void;
  sendCommand(command: string, args: string, options?: { group?: boolean }): Promise<void>;
  sendText(text: string, options?: { group?: boolean }): Promise<void>;
  /** Picks the offered choice with this label, as a person would on the platform. */
  pressChoice(label: string): Promise<void>;
  /** What the platform received from the adapter (replies and pushes), one entry per message. */
  sent(): SentPart[];
  /** A person the adapter can push to. */
  target: DeliveryTarget;
  /** Makes the platform refuse the next delivery; absent where the platform cannot refuse. */
  failNextDelivery?(kind: "blocked" | "transient"): void;
  /** Delivers the same inbound text twice, as the platform does when its first try went unanswered. */
  sendTextTwice?(text: string): Promise<void>;
  /** Makes the platform answer the next delivery with a 429 that asks to wait this many seconds. */
  rateLimitNextDelivery?(retryAfterSeconds: number): void;
  /** The (fake) core holds the next event until `until` resolves; the promise returned resolves once it has it. */
  holdCore?(until: Promise<void>): Promise<void>;
  /** Posts a body of this many bytes to the adapter's webhook over HTTP, with its secret; resolves to the status. */
  postToWebhook?(bytes: number): Promise<number>;
  close(): Promise<void>;
}

/** A reply long enough to need splitting on every platform: 10,000 characters in 250 lines. */
export function longReply(): OutgoingMessage {
  const lines = Array.from(
    { length: 250 },
    (_, i) => `${String(i + 1).padStart(3, "0")} Ủy ban nhân dân xã ${"•".repeat(10)}`,
  );
  const text = lines.join("\n").padEnd(10_000, ".");
  return { text, choices: [[{ label: "Báo cáo ngay", value: "start:report" }]] };
}

/** Lets everything already queued run: a few turns of the event loop, no clock involved. */
async function turns(n = 10): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

export function runAdapterContract(name: string, create: () => Promise<ContractHarness>): void {
  describe(`adapter contract: ${name}`, () => {
    const withHarness = (test: (h: ContractHarness) => Promise<void>) => async () => {
      const h = await create();
      try {
        await test(h);
      } finally {
        await h.close();
      }
    };

    it(
      "turns a command into a command event with its arguments",
      withHarness(async (h) => {
        await h.sendCommand("nhiemvu", "IV.4 ngay");
        expect(h.received).toHaveLength(1);
        expect(h.received[0]).toMatchObject({ kind: "command", command: "nhiemvu", args: "IV.4 ngay" });
        expect(h.received[0]!.from.platform).toBe(h.adapter.name);
      }),
    );

    it(
      "turns text into a text event, exactly as typed",
      withHarness(async (h) => {
        const text = 'IV.4.b 60% đang thực hiện: đã kết nối dữ liệu, "95" xã';
        await h.sendText(text);
        expect(h.received).toEqual([expect.objectContaining({ kind: "text", text })]);
      }),
    );

    it(
      "turns a picked choice into a choice event whose value comes back unchanged",
      withHarness(async (h) => {
        const value = "report:duty:IV.1.đ:with spaces & symbols/é";
        h.answerWith([
          {
            text: "Chọn nhiệm vụ",
            choices: [
              [
                { label: "IV.1.đ", value },
                { label: "Khác", value: "x" },
              ],
            ],
          },
        ]);
        await h.sendCommand("baocao", "");
        await h.pressChoice("IV.1.đ");
        expect(h.received.at(-1)).toMatchObject({ kind: "choice", value });
      }),
    );

    it(
      "sends a 10,000-character reply in parts within the platform's limit, buttons on the last part",
      withHarness(async (h) => {
        const reply = longReply();
        h.answerWith([reply]);
        await h.sendCommand("quahan", "");
        const parts = h.sent();
        const limit = h.adapter.limits.maxMessageLength;
        expect(parts.length).toBeGreaterThanOrEqual(Math.ceil(reply.text.length / Math.min(limit, 1e9)));
        for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(limit);
        // Nothing lost: every line of the reply arrives, in order.
        const lines = parts.flatMap((p) => p.text.split("\n"));
        expect(lines.filter((l) => /^\d{3} /.test(l)).map((l) => l.slice(0, 3))).toEqual(
          Array.from({ length: 250 }, (_, i) => String(i + 1).padStart(3, "0")),
        );
        expect(parts.slice(0, -1).every((p) => p.choices.length === 0)).toBe(true);
        expect(
          parts
            .at(-1)!
            .choices.flat()
            .map((c) => c.label),
        ).toEqual(["Báo cáo ngay"]);
      }),
    );

    it(
      "marks a group chat as not private",
      withHarness(async (h) => {
        if (!h.adapter.limits.groupChats) return;
        await h.sendText("xin chào", { group: true });
        await h.sendText("xin chào");
        expect(h.received.map((e) => e.from.privateChat !== false)).toEqual([false, true]);
      }),
    );

    it(
      "turns a platform's 'blocked' into delivery.unreachable and a transient error into delivery.failed",
      withHarness(async (h) => {
        if (!h.failNextDelivery) return;
        h.failNextDelivery("blocked");
        const blocked = await h.adapter.deliver(h.target, { text: "nhắc" }).catch((e: unknown) => e);
        expect(blocked).toBeInstanceOf(DeliveryError);
        expect((blocked as DeliveryError).code).toBe("delivery.unreachable");
        h.failNextDelivery("transient");
        const transient = await h.adapter.deliver(h.target, { text: "nhắc" }).catch((e: unknown) => e);
        expect((transient as DeliveryError).code).toBe("delivery.failed");
        await expect(h.adapter.deliver(h.target, { text: "nhắc lại" })).resolves.toBeDefined();
      }),
    );

    it(
      "delivers a push to the target as one or more parts within the limit",
      withHarness(async (h) => {
        const before = h.sent().length;
        await h.adapter.deliver(h.target, { text: "🔔 Nhắc việc: hạn báo cáo trước ngày 15/12/2026" });
        const parts = h.sent().slice(before);
        expect(parts.map((p) => p.text).join("")).toContain("Nhắc việc: hạn báo cáo trước ngày 15/12/2026");
      }),
    );

    it(
      "handles an inbound delivery made twice once",
      withHarness(async (h) => {
        if (!h.sendTextTwice) return;
        h.answerWith([{ text: "Đã ghi nhận." }]);
        await h.sendTextTwice("IV.4.b 60% đang thực hiện");
        expect(h.received).toEqual([expect.objectContaining({ kind: "text", text: "IV.4.b 60% đang thực hiện" })]);
        expect(h.sent().filter((p) => p.text.includes("Đã ghi nhận."))).toHaveLength(1);
      }),
    );

    it(
      "hands a rate limit to the outbox with the platform's wait, without retrying on its own",
      withHarness(async (h) => {
        if (!h.rateLimitNextDelivery) return;
        const before = h.sent().length;
        h.rateLimitNextDelivery(7);
        const limited = await h.adapter.deliver(h.target, { text: "nhắc" }).catch((e: unknown) => e);
        expect(limited).toBeInstanceOf(DeliveryError);
        expect(limited).toMatchObject({ code: "delivery.rate_limited", retryAfterMs: 7000 });
        expect(h.sent()).toHaveLength(before);
        await expect(h.adapter.deliver(h.target, { text: "nhắc lại" })).resolves.toBeDefined();
        expect(
          h
            .sent()
            .slice(before)
            .map((p) => p.text),
        ).toEqual([expect.stringContaining("nhắc lại")]);
      }),
    );

    it(
      "stops only once the event in flight is handled and answered",
      withHarness(async (h) => {
        if (!h.holdCore) return;
        let release!: () => void;
        h.answerWith([{ text: "Xong việc đang làm." }]);
        const held = h.holdCore(new Promise<void>((resolve) => (release = resolve)));
        // Not awaited: on some platforms the send resolves only once the event is handled.
        void h.sendText("việc đang làm").catch(() => undefined);
        await held;
        let stopped = false;
        const stopping = h.adapter.stop().then(() => (stopped = true));
        await turns();
        expect(stopped).toBe(false);
        expect(h.adapter.state()).toBe("stopping");
        release();
        await stopping;
        expect(h.adapter.state()).toBe("stopped");
        expect(h.sent().map((p) => p.text)).toContainEqual(expect.stringContaining("Xong việc đang làm."));
      }),
    );

    it(
      "refuses a webhook body past the cap with 413, and handles nothing",
      withHarness(async (h) => {
        if (!h.postToWebhook) return;
        expect(await h.postToWebhook(MAX_WEBHOOK_BODY_BYTES + 1)).toBe(413);
        expect(h.received).toEqual([]);
      }),
    );
  });
}
