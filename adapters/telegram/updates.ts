import type { Chat, Message, User } from "grammy/types";
import type { PlatformIdentity } from "../../src/model/bot-core.ts";
import type { SentFile } from "../kit/attachment.ts";

// Reading Telegram's updates: who wrote, where, and whether it is a command for this bot.

export const TELEGRAM_PLATFORM = "telegram";

export interface TypedCommand {
  /** Without the "/" and without "@bot". */
  command: string;
  args: string;
  /** The bot named after "@", if any. */
  addressedTo: string | null;
}

/**
 * "/nopbaocao@nhacviec_bot 12/BC 10/12/2026" → nopbaocao, its arguments and the bot it names. Any
 * text starting with "/" counts, as in the console: Telegram marks only Latin commands, and the core
 * also understands "/Trợgiúp" typed on a phone.
 */
export function parseCommand(text: string): TypedCommand | null {
  if (!text.startsWith("/")) return null;
  const space = text.search(/\s/);
  const token = space === -1 ? text.slice(1) : text.slice(1, space);
  const at = token.indexOf("@");
  return {
    command: at === -1 ? token : token.slice(0, at),
    args: space === -1 ? "" : text.slice(space).replace(/^\s+/, ""),
    addressedTo: at === -1 ? null : token.slice(at + 1),
  };
}

function nameOf(user: User | undefined, chat: Chat | undefined): string {
  const full = [user?.first_name, user?.last_name].filter(Boolean).join(" ").trim();
  if (full) return full;
  if (user?.username) return user.username;
  return (chat && "title" in chat && chat.title) || "";
}

/**
 * The sender as the core knows people. A channel post has no user, so the channel (or the chat
 * posting on its behalf) stands for one. Anything but a private chat is marked so: others read along.
 */
export function identityOf(user: User | undefined, chat: Chat, senderChat?: Chat): PlatformIdentity {
  const userId = String(user?.id ?? senderChat?.id ?? chat.id);
  return {
    platform: TELEGRAM_PLATFORM,
    userId,
    chatId: String(chat.id),
    displayName: nameOf(user, senderChat ?? chat) || userId,
    privateChat: chat.type === "private",
  };
}

/** A file the person sent: a document as it is, a photo in its largest size; its ref is the file_id. */
export function sentFileOf(message: Message): SentFile | null {
  const d = message.document;
  if (d) {
    return { ref: d.file_id, name: d.file_name || `tep-${d.file_unique_id}`, mimeType: d.mime_type, size: d.file_size };
  }
  const photo = message.photo?.at(-1);
  if (!photo) return null;
  return { ref: photo.file_id, name: `anh-${photo.file_unique_id}.jpg`, mimeType: "image/jpeg", size: photo.file_size };
}
