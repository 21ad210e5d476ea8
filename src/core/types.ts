import type { PlatformIdentity } from "../services/invite-service.ts";

export type { PlatformIdentity };

/** A file the person sent along (a scanned report); `ref` is the platform's own id for it. */
export interface IncomingAttachment {
  name: string;
  ref: string;
}

export type IncomingEvent =
  | { kind: "command"; from: PlatformIdentity; command: string; args: string; attachment?: IncomingAttachment }
  | { kind: "text"; from: PlatformIdentity; text: string; attachment?: IncomingAttachment }
  | { kind: "choice"; from: PlatformIdentity; value: string };

export interface Choice {
  label: string;
  /** Opaque to adapters: handed back unchanged in a `choice` event. */
  value: string;
}

export interface OutgoingFile {
  name: string;
  mimeType: string;
  content: Uint8Array;
}

export interface OutgoingMessage {
  text: string;
  /** Rows of buttons. */
  choices?: Choice[][];
  file?: OutgoingFile;
}

export type NotificationKind = "notification" | "nudge" | "reminder" | "digest";

/** A message for someone other than the sender; it goes out through the Notifier. */
export interface Notification {
  personId: number;
  kind: NotificationKind;
  message: OutgoingMessage;
  /** Same key, same message: the outbox sends it at most once. */
  key?: string;
}

/** Port through which the core reaches people other than the sender. */
export interface Notifier {
  notify(notifications: Notification[]): Promise<void>;
}

export interface BotCore {
  /** Handles one incoming event and returns the replies for its sender. */
  handle(event: IncomingEvent): Promise<OutgoingMessage[]>;
}
