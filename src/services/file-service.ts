import { createHash } from "node:crypto";
import type { Db, Tx } from "../db/db.ts";
import { MAX_INCOMING_FILE_BYTES } from "../model/bot-core.ts";
import { AppError } from "../model/errors.ts";

/** A file kept in the database, as referred to from a flow or a submission. */
export interface StoredAttachment {
  name: string;
  ref: string;
  /** The StoredFile row holding the bytes: a file is only ever referred to once they are stored. */
  fileId: number;
}

/**
 * Keeps the bytes of a file a person sent, so any process on any host can hand it to a
 * coordinator later, whatever platform either of them uses.
 */
export async function storeIncomingFile(
  db: Db | Tx,
  input: {
    name: string;
    mimeType?: string;
    content: Uint8Array;
    personId: number;
    platform: string;
    ref: string;
    now: Date;
  },
): Promise<number> {
  if (input.content.byteLength > MAX_INCOMING_FILE_BYTES) {
    throw new AppError("file.too_large", { max: MAX_INCOMING_FILE_BYTES });
  }
  const row = await db.storedFile.create({
    data: {
      name: input.name,
      mimeType: input.mimeType ?? "application/octet-stream",
      size: input.content.byteLength,
      content: new Uint8Array(input.content),
      personId: input.personId,
      platform: input.platform,
      platformRef: input.ref,
      createdAt: input.now,
    },
    select: { id: true },
  });
  return row.id;
}

/**
 * Keeps a copy of a file the bot sends where the platform cannot take an upload, so a signed link
 * can serve it from any process. The same bytes sent to many people are kept once.
 */
export async function storeOutgoingFile(
  db: Db | Tx,
  input: { name: string; mimeType: string; content: Uint8Array; now: Date },
): Promise<number> {
  const ref = `sha256:${createHash("sha256").update(input.content).digest("hex")}`;
  const existing = await db.storedFile.findFirst({
    where: { platformRef: ref, personId: null, name: input.name, mimeType: input.mimeType },
    select: { id: true },
  });
  if (existing) return existing.id;
  const row = await db.storedFile.create({
    data: {
      name: input.name,
      mimeType: input.mimeType,
      size: input.content.byteLength,
      content: new Uint8Array(input.content),
      platformRef: ref,
      createdAt: input.now,
    },
    select: { id: true },
  });
  return row.id;
}

export async function readStoredFile(
  db: Db | Tx,
  id: number,
): Promise<{ name: string; mimeType: string; content: Uint8Array } | null> {
  return db.storedFile.findUnique({ where: { id }, select: { name: true, mimeType: true, content: true } });
}
