import type { CommandName } from "./commands.ts";
import type { DutyStatus } from "./duty-status.ts";
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
  | { kind: "command"; from: PlatformIdentity; command: CommandName; args: string; attachment?: IncomingAttachment }
  /** "/xyz": a command word the registry does not know, as typed (the core names it in its answer). */
  | { kind: "unknown_command"; from: PlatformIdentity; typed: string }
  | { kind: "text"; from: PlatformIdentity; text: string; attachment?: IncomingAttachment }
  | { kind: "choice"; from: PlatformIdentity; value: string };

/**
 * What a reply says happened to a report, a figure or a submission, for the record and the tests.
 * No adapter reads it: a form gets its outcome, errors by field, from the typed use cases (`run`).
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

// The typed entry points: what forms and buttons do, without the chat grammar between them and the
// rules. The chat's lines are read into the same inputs (core/use-cases/), so a form and a typed
// line go through the same code. Inputs are checked by the core (zod), whatever the adapter sends.

/** A duty's progress: the fields of a one-line report, as picked or typed in a form. */
export interface ReportProgressInput {
  /** The duty's code ("IV.4.b") or a reference the chat accepts ("4b"). */
  duty: string;
  /** null: the percent alone says it (60% is in progress), as in the chat. */
  status: DutyStatus | null;
  /** A whole percent, or as typed in a form ("60", "60%"); null when none was given. */
  percent: number | string | null;
  note: string | null;
}

/** An indicator's figure: how many people took part. */
export interface RecordFigureInput {
  /** "II.1", or "1" for it. */
  indicator: string;
  /** As typed: "1.120.000", "1120000". */
  participants: string;
}

/** A difficulty the agency meets, about one of its duties or the plan as a whole. */
export interface RaiseDifficultyInput {
  /** The duty's code or a reference ("4b"); null: the agency's work as a whole. */
  duty: string | null;
  text: string;
}

/** The agency's report, with its document's number and date and the file, shown before it is sent. */
export interface SubmissionInput {
  documentNumber: string | null;
  /** YYYY-MM-DD. */
  documentDate: string | null;
  attachment?: IncomingAttachment;
}

/** The submission as it will be sent, and the label of the button that sends it. */
export interface SubmissionPreview {
  text: string;
  /** "Gửi báo cáo", or "Nộp không kèm tệp" when a file sent did not arrive. */
  confirm: string;
}

type NoInput = Record<string, never>;

interface UseCaseSpecs {
  reportProgress: { input: ReportProgressInput; field: "duty" | "status" | "percent" | "note"; value: null };
  recordFigure: { input: RecordFigureInput; field: "indicator" | "participants"; value: null };
  /** Files the difficulty and tells every coordinator at once; the value is its number. */
  raiseDifficulty: { input: RaiseDifficultyInput; field: "duty" | "text"; value: { id: number } };
  previewSubmission: { input: SubmissionInput; field: "number" | "date"; value: SubmissionPreview };
  /**
   * Sends the previewed submission; shows it again (`preview`) when the duties changed since, or
   * says in the replies why nothing was sent (`preview` null: it was sent already, or abandoned).
   */
  confirmSubmission: {
    input: NoInput;
    field: never;
    value: { sent: true } | { sent: false; preview: SubmissionPreview | null };
  };
  cancelSubmission: { input: NoInput; field: never; value: null };
  /** The chat's guided report, or the submission's preview: where a form could not be opened. */
  startReport: { input: NoInput; field: never; value: null };
  startSubmit: { input: NoInput; field: never; value: null };
  /** What a home screen shows someone who is not reporting: a coordinator's overview, or the help. */
  home: { input: NoInput; field: never; value: null };
}

export type UseCaseName = keyof UseCaseSpecs;
export type UseCaseInput<N extends UseCaseName> = UseCaseSpecs[N]["input"];
export type UseCaseField<N extends UseCaseName> = UseCaseSpecs[N]["field"];
export type UseCaseValue<N extends UseCaseName> = UseCaseSpecs[N]["value"];

/**
 * What a use case did. `replies` are what the chat would have said (the saved report's echo, the
 * help); a refusal's `errors` are keyed by the field they concern, in the person's language, and
 * empty when the refusal concerns no field (not joined, no plan): `replies` then say why.
 */
export type UseCaseResult<N extends UseCaseName> =
  | { ok: true; value: UseCaseValue<N>; replies: Reply[] }
  | { ok: false; errors: Partial<Record<UseCaseField<N>, string>>; replies: Reply[] };

export interface BotCore {
  /** Handles one incoming event and returns the replies for its sender. */
  handle(event: IncomingEvent): Promise<Reply[]>;
  /** Runs one typed use case for the person behind `from`. */
  run<N extends UseCaseName>(from: PlatformIdentity, name: N, input: UseCaseInput<N>): Promise<UseCaseResult<N>>;
}
