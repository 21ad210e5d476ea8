import { InputFile, type Api, type Context } from "grammy";
import type { AdapterStore } from "../../src/delivery/adapter-store.ts";
import { splitMessages } from "../../src/delivery/split-message.ts";
import type { PlatformLimits } from "../../src/delivery/types.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import { inlineKeyboard } from "./buttons.ts";
import type { Telegram } from "./context.ts";
import { loggable } from "./errors.ts";

// The core's messages as Bot API calls: plain text (no parse mode, so what a person typed is shown
// exactly as typed), buttons and file on the last part of a message.

/** sendMessage's limit, in UTF-16 code units. */
export const TELEGRAM_MAX_MESSAGE_LENGTH = 4096;

export const TELEGRAM_LIMITS: PlatformLimits = {
  maxMessageLength: TELEGRAM_MAX_MESSAGE_LENGTH,
  buttons: true,
  maxButtonPayloadBytes: 64,
  maxButtonsPerRow: 8,
  maxButtons: 100,
  files: true,
  groupChats: true,
};

/** A file's caption holds at most this much; longer text goes in a message of its own before it. */
const CAPTION_MAX = 1024;
/** sendPhoto takes JPEG and PNG up to 10 MB; anything else is sent as a document. */
const PHOTO_TYPES = new Set(["image/jpeg", "image/png"]);
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;

/**
 * One part within Telegram's limit, as one message (two when a file's text is too long for its
 * caption). The outbox splits a push before it comes here, and answer() splits a reply.
 */
export async function sendPart(
  store: AdapterStore,
  api: Api,
  chatId: string | number,
  part: OutgoingMessage,
): Promise<number | null> {
  const reply_markup = await inlineKeyboard(store, part.choices, TELEGRAM_LIMITS);
  const markup = reply_markup ? { reply_markup } : {};
  if (part.file) {
    const file = new InputFile(part.file.content, part.file.name);
    const caption = part.text.trim() !== "" && part.text.length <= CAPTION_MAX;
    // The text goes first, on its own; the file after it is the last message.
    if (!caption && part.text.trim()) await api.sendMessage(chatId, part.text);
    const options = { ...markup, ...(caption && { caption: part.text }) };
    const photo = PHOTO_TYPES.has(part.file.mimeType) && part.file.content.byteLength <= PHOTO_MAX_BYTES;
    return (photo ? await api.sendPhoto(chatId, file, options) : await api.sendDocument(chatId, file, options))
      .message_id;
  }
  if (part.text.trim()) return (await api.sendMessage(chatId, part.text, markup)).message_id;
  return null;
}

/**
 * The core's replies to an event, each split at Telegram's limit (replies have no outbox to split
 * them). The event is handled by now, so a failure here is only logged.
 */
export async function answer(t: Telegram, ctx: Context, chatId: number, replies: OutgoingMessage[]): Promise<void> {
  try {
    for (const part of splitMessages(replies, TELEGRAM_MAX_MESSAGE_LENGTH)) {
      await sendPart(t.store, ctx.api, chatId, part);
    }
  } catch (error) {
    t.logger.error({ err: loggable(error), updateId: ctx.update.update_id, chatId }, "telegram reply not sent");
  }
}
