import type { OutgoingMessage } from "./messages.ts";
import type { ReportLineError } from "./report-line-error.ts";

// The core's port: what an adapter hands the core and what the core answers. Adapters, the host
// that wires them (delivery/adapter-host.ts) and the core all speak it, so it lives in the model.

/** Who wrote: one account on one platform, as the adapter saw it. */
export interface PlatformIdentity {
  platform: string;
  userId: string;
  chatId: string;
  displayName: string;
  /** false for a group or channel, where others read along; adapters set it, absent means private. */
  privateChat?: boolean;
}

/** The largest file a person may send with their report: a phone photo or a scan of a few pages. */
export const MAX_INCOMING_FILE_BYTES = 20 * 1024 * 1024;

/** Why the bytes of a file someone sent could not be had: over the size limit, or the download failed. */
export type AttachmentProblem = "too_large" | "download_failed";

/**
 * A file the person sent along (a scanned report). `ref` is the platform's own id for it; the
 * adapter downloads the bytes, so a coordinator on another platform can open it later. A file
 * without its bytes is never taken as received: the adapter says why in `problem`, and the core
 * tells the person.
 */
export interface IncomingAttachment {
  name: string;
  ref: string;
  mimeType?: string;
  /** All of the file's bytes; absent when `problem` says why they could not be had. */
  content?: Uint8Array;
  /** The size the platform announced, when it did (a file too large is not downloaded). */
  size?: number;
  problem?: AttachmentProblem;
}

export type IncomingEvent =
  | { kind: "command"; from: PlatformIdentity; command: string; args: string; attachment?: IncomingAttachment }
  | { kind: "text"; from: PlatformIdentity; text: string; attachment?: IncomingAttachment }
  | { kind: "choice"; from: PlatformIdentity; value: string };

/**
 * What a reply says happened to a report, a figure or a submission, in words no adapter has to read:
 * a platform that shows these in a form (Slack's modals) puts a refusal next to its field and closes
 * the form on success. Chat adapters ignore it.
 */
export type ReplyOutcome =
  | "report.saved"
  /** A blocked duty needs its difficulty: the core asked for it and waits for the answer. */
  | "report.note_required"
  | ReportLineError["error"]
  | "figure.saved"
  | "figure.usage"
  | "indicator.unknown"
  | "indicator.bad_number"
  | "indicator.not_allowed"
  /** The submission as it will be sent, waiting for its confirmation. */
  | "submit.preview"
  | "submit.done"
  | "submit.bad_date"
  | "submit.date_future"
  | "submit.date_too_early"
  | "submit.two_dates"
  | "submit.extra_word"
  | "submit.number_too_long"
  /** A file sent while the preview waits did not arrive (too large, or not downloaded). */
  | "submit.file_not_received"
  | "flow.already_handled"
  | "flow.stale";

export interface Reply extends OutgoingMessage {
  outcome?: ReplyOutcome;
}

export interface BotCore {
  /** Handles one incoming event and returns the replies for its sender. */
  handle(event: IncomingEvent): Promise<Reply[]>;
}
