import { commandEvent, commandNamed } from "../../src/core/commands.ts";
import { splitFirst } from "../../src/domain/text.ts";
import {
  MAX_INCOMING_FILE_BYTES,
  type IncomingAttachment,
  type IncomingEvent,
  type PlatformIdentity,
} from "../../src/model/bot-core.ts";
import { ZALO_PLATFORM, type Zalo } from "./context.ts";
import { note, reply } from "./sending.ts";
import type { ZaloMessage, ZaloUpdate } from "./updates.ts";

// Updates in, polled or posted: each becomes an event for the core, handled once and in its chat's
// order, and the core's replies go back.

/** One typed message as an event: a bare number picks the n-th offered choice, "/x args" is a command. */
function textEvent(text: string, from: PlatformIdentity, offered: readonly string[]): IncomingEvent {
  const trimmed = text.trim();
  if (/^\d{1,3}$/.test(trimmed)) {
    const value = offered[Number(trimmed) - 1];
    if (value !== undefined) return { kind: "choice", from, value };
  }
  if (trimmed.startsWith("/")) {
    const [command, args] = splitFirst(trimmed);
    return commandEvent(from, command.slice(1), args);
  }
  return { kind: "text", from, text };
}

/** The update's event; without one (seen in polled updates), what its message carries: a photo, or text. */
function eventNameOf(update: ZaloUpdate): string | undefined {
  if (update.event_name) return update.event_name;
  const message = update.message;
  if (!message) return undefined;
  if (message.photo_url || message.photo) return "message.image.received";
  if (message.text !== undefined) return "message.text.received";
  return "message.unsupported.received";
}

/** The sender's name as Zalo gives it, whichever field it came in; the opaque id only when none did. */
function displayNameOf(from: ZaloMessage["from"]): string {
  const full = [from.first_name, from.last_name]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(" ");
  return [from.display_name, from.name, full].map((name) => name?.trim()).find(Boolean) ?? from.id;
}

const EXTENSIONS: Record<string, string> = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" };

function attachmentName(url: string, messageId: string, mimeType: string | null): string {
  const last = decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");
  if (/^[^/\\]{1,100}\.[A-Za-z0-9]{2,5}$/.test(last)) return last;
  return `zalo-${messageId}.${(mimeType && EXTENSIONS[mimeType]) ?? "jpg"}`;
}

/** The photo with its bytes, or with the reason they could not be had: the core tells the person. */
async function download(z: Zalo, message: ZaloMessage, url: string): Promise<IncomingAttachment> {
  try {
    const { content, mimeType } = await z.client.download(url, MAX_INCOMING_FILE_BYTES);
    const attachment = {
      name: attachmentName(url, message.message_id, mimeType),
      ref: url,
      ...(mimeType && { mimeType }),
    };
    // Over 20 MB only the first bytes were read: none of them are handed on.
    if (content.byteLength > MAX_INCOMING_FILE_BYTES) return { ...attachment, problem: "too_large" };
    return { ...attachment, content };
  } catch (error) {
    z.logger.warn({ err: error, messageId: message.message_id }, "image download failed");
    return { name: attachmentName(url, message.message_id, null), ref: url, problem: "download_failed" };
  }
}

/** The event a message of this kind is; null when there is nothing to answer (or the adapter answered itself). */
async function eventOf(
  z: Zalo,
  eventName: string | undefined,
  message: ZaloMessage,
  from: PlatformIdentity,
  offered: readonly string[],
): Promise<IncomingEvent | null> {
  switch (eventName) {
    case "message.text.received":
      return message.text?.trim() ? textEvent(message.text, from, offered) : null;
    case "message.image.received": {
      const url = message.photo_url ?? message.photo ?? message.url;
      if (!url) return null;
      void z.client.sendChatAction(from.chatId, "typing").catch(() => undefined);
      const attachment = await download(z, message, url);
      // A caption is read like a message, but a number under a photo is not a pick.
      const typed = textEvent(message.caption ?? "", from, []);
      return typed.kind === "choice" || typed.kind === "unknown_command" ? typed : { ...typed, attachment };
    }
    case "message.sticker.received":
      return null;
    default:
      // Voice, files and what Zalo withholds ("unsupported"): say what the bot can read.
      await note(z, from.chatId, z.t.zalo.unsupported);
      return null;
  }
}

async function handleUpdate(z: Zalo, update: ZaloUpdate): Promise<void> {
  const message = update.message;
  // Events without a message (a follow, say) carry nothing to answer.
  if (!message) return;
  const eventName = eventNameOf(update);
  // Zalo has no update id; an event and its message id name a delivery.
  if (!(await z.dedup.first(`${eventName}:${message.message_id}`, { messageId: message.message_id }))) return;
  const chatId = message.chat.id;
  const from: PlatformIdentity = {
    platform: ZALO_PLATFORM,
    userId: message.from.id,
    chatId,
    displayName: displayNameOf(message.from),
    privateChat: message.chat.chat_type?.toUpperCase() !== "GROUP",
  };
  const offered = await z.host.store.offeredChoices(ZALO_PLATFORM, chatId);
  const event = await eventOf(z, eventName, message, from, offered);
  if (!event) return;
  // A file takes a moment to make: Zalo shows the bot at work meanwhile.
  const produces = event.kind === "command" ? commandNamed(event.command).produces : undefined;
  if (produces) {
    await z.client.sendChatAction(chatId, produces === "photo" ? "upload_photo" : "typing").catch(() => undefined);
  }
  await reply(z, chatId, await z.host.core.handle(event), offered);
}

/**
 * Handles one update, logging rather than throwing: one bad update must not stop the others. A
 * chat's updates are handled in the order they came (webhook posts are answered before handling),
 * and each counts as in flight until answered.
 */
export function take(z: Zalo, update: ZaloUpdate): Promise<void> {
  const { chats } = z;
  const chatId = update.message?.chat.id;
  const before = chatId === undefined ? undefined : chats.get(chatId);
  const work = (before ?? Promise.resolve())
    .then(() => handleUpdate(z, update))
    .catch((error: unknown) => z.logger.error({ err: error, event: update.event_name }, "update failed"));
  if (chatId !== undefined) chats.set(chatId, work);
  void work.finally(() => {
    if (chatId !== undefined && chats.get(chatId) === work) chats.delete(chatId);
  });
  return z.inFlight.track(work);
}
