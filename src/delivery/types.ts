import type { OutgoingMessage } from "../core/types.ts";

/** Where a push goes: one identity of one person on one platform. */
export interface DeliveryTarget {
  personId: number;
  displayName: string;
  platform: string;
  userId: string;
  chatId: string;
}

export type DeliveryErrorCode = "delivery.unreachable" | "delivery.failed";

/** Adapters throw this; `unreachable` means retrying will not help (blocked the bot, never started it). */
export class DeliveryError extends Error {
  constructor(
    readonly code: DeliveryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

/** Port implemented by each platform adapter for messages nobody asked for at that moment. */
export interface Deliverer {
  deliver(target: DeliveryTarget, message: OutgoingMessage): Promise<{ messageId: string | null }>;
}
