import { MAX_INCOMING_FILE_BYTES, type AttachmentProblem, type IncomingAttachment } from "../../src/model/bot-core.ts";

// A file someone sent, as the core takes it: with its bytes, or with the reason they could not be
// had, which the core tells the person. Past the core's limit nothing is handed on.

/** A file as the platform describes it; a type or size it does not give stays out. */
export interface SentFile {
  name: string;
  ref: string;
  mimeType?: string | null | undefined;
  size?: number | undefined;
}

/**
 * `read` gives the bytes, or nothing when there is nothing to fetch; `failed` logs what went wrong
 * and says which problem it was. A size the platform declared past the limit is not fetched at all.
 */
export async function fetchAttachment(
  file: SentFile,
  read: () => Promise<Uint8Array | null | undefined>,
  failed: (error: unknown) => AttachmentProblem,
): Promise<IncomingAttachment> {
  const attachment: IncomingAttachment = {
    name: file.name,
    ref: file.ref,
    ...(file.mimeType && { mimeType: file.mimeType }),
    ...(file.size !== undefined && { size: file.size }),
  };
  if ((attachment.size ?? 0) > MAX_INCOMING_FILE_BYTES) return { ...attachment, problem: "too_large" };
  try {
    const content = await read();
    if (!content) return { ...attachment, problem: "download_failed" };
    if (content.byteLength > MAX_INCOMING_FILE_BYTES) return { ...attachment, problem: "too_large" };
    return { ...attachment, content };
  } catch (error) {
    return { ...attachment, problem: failed(error) };
  }
}

/** The bytes at `url`, read within `timeoutMs`; an answer other than 2xx throws. */
export async function fetchBytes(url: string, timeoutMs: number, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`file download answered HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
