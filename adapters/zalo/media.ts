import { ZaloApiError } from "./errors.ts";

// The bytes behind a media URL of an update (a photo someone sent), read up to a cap.

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

const DOWNLOAD_TIMEOUT_MS = 120_000;

/** Reads at most `maxBytes + 1`, so that a file over the limit is known to be over it without being read whole. */
export async function download(
  doFetch: Fetch,
  url: string,
  maxBytes: number,
): Promise<{ content: Uint8Array; mimeType: string | null }> {
  let response: Response;
  try {
    response = await doFetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    throw new ZaloApiError("download", "network", null, error instanceof Error ? error.message : "");
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new ZaloApiError("download", "http", response.status, "");
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Node types a fetch body's chunks as `any`; they are bytes.
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      break;
    }
  }
  const content = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    content.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { content, mimeType: response.headers.get("content-type")?.split(";")[0]?.trim() || null };
}
