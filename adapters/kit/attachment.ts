import { MAX_INCOMING_FILE_BYTES, type AttachmentProblem, type IncomingAttachment } from "../../src/model/bot-core.ts";

// A file someone sent, as the core takes it: with its bytes, or with the reason they could not be
// had, which the core tells the person. Past the core's limit nothing is handed on.

/**
 * `read` gives the bytes, or nothing when there is nothing to fetch; `failed` logs what went wrong
 * and says which problem it was. A size the platform declared past the limit is not fetched at all.
 */
export async function fetchAttachment(
  attachment: IncomingAttachment,
  read: () => Promise<Uint8Array | null | undefined>,
  failed: (error: unknown) => AttachmentProblem,
): Promise<IncomingAttachment> {
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
