import { splitText } from "../../src/delivery/split-message.ts";
import type { DeliveryTarget, PlatformLimits } from "../../src/delivery/types.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import { ZALO_PLATFORM, type Zalo } from "./context.ts";
import { toDeliveryError } from "./errors.ts";

// The core's messages as Zalo messages. Zalo has no buttons, so choices go out as numbered lines
// (a reply that is just one of the numbers comes back as that choice, see inbound.ts); the offer is
// kept per chat in the database, so it survives a restart and any process can read it.

/** sendMessage's and sendPhoto's caption limit. */
export const ZALO_MAX_TEXT = 2000;
/** What Zalo can show from a URL with sendPhoto; anything else goes as a link in the text. */
const PHOTO_TYPES = new Set(["image/png", "image/jpeg"]);

export function limitsOf(z: Pick<Zalo, "t" | "links">): PlatformLimits {
  const { t, links } = z;
  return {
    maxMessageLength: ZALO_MAX_TEXT,
    buttons: false,
    // Choices are numbered lines, and their values stay in the database: nothing limits them.
    maxButtonPayloadBytes: Number.POSITIVE_INFINITY,
    maxButtonsPerRow: Number.POSITIVE_INFINITY,
    maxButtons: Number.POSITIVE_INFINITY,
    files: links !== null,
    groupChats: false,
    // What send adds to the outbox's last part: the choices' lines, and a file's link at its longest.
    lastPartRoom(message) {
      const lines = choiceLines(message);
      const file = message.file;
      const link =
        file && links && !PHOTO_TYPES.has(file.mimeType)
          ? 2 + t.zalo.fileLink(file.name, "x".repeat(links.maxUrlLength)).length
          : 0;
      return lines.reduce((room, line) => room + 1 + line.length, link);
    },
  };
}

/** "1) label" lines, the way the console shows choices. */
function choiceLines(message: Pick<OutgoingMessage, "choices">): string[] {
  return (message.choices ?? []).flat().map((c, i) => `${i + 1}) ${c.label}`);
}

/** The choices' lines under the text. */
function renderChoices(message: Pick<OutgoingMessage, "text" | "choices">): string {
  return [message.text, ...choiceLines(message)].filter((part) => part.length > 0).join("\n");
}

/**
 * Sends a message's text and its file; returns the last id. A push arrives as the outbox's part,
 * which left room for the choices' lines and the link (lastPartRoom), so it goes as one message; a
 * reply is the core's whole message, split here at 2,000 with its lines on the last part.
 */
async function send(z: Zalo, chatId: string, message: OutgoingMessage): Promise<string | null> {
  const { t, links, client } = z;
  let text = renderChoices(message);
  let photo: string | null = null;
  if (message.file) {
    if (links) {
      const url = await links.linkFor(message.file);
      if (PHOTO_TYPES.has(message.file.mimeType)) photo = url;
      else text = [text, t.zalo.fileLink(message.file.name, url)].filter(Boolean).join("\n\n");
    } else {
      text = [text, t.delivery.fileUnavailable(message.file.name)].filter(Boolean).join("\n\n");
    }
  }
  let messageId: string | null = null;
  for (const part of splitText(text, ZALO_MAX_TEXT).parts) {
    if (part.trim()) messageId = (await client.sendMessage(chatId, part)).messageId;
  }
  if (photo) messageId = (await client.sendPhoto(chatId, photo)).messageId;
  return messageId;
}

export const offeredValues = (message: OutgoingMessage) => (message.choices ?? []).flat().map((c) => c.value);

export async function reply(
  z: Zalo,
  chatId: string,
  replies: OutgoingMessage[],
  offered: readonly string[],
): Promise<void> {
  // A reply moves the conversation on: its choices replace the offer, and a reply without any
  // withdraws it, so a percent typed next ("3") is not read as an old menu's third line. Stored
  // before sending, so a quick "1" finds it. Saying nothing leaves the offer as it was.
  if (replies.length === 0) return;
  const withChoices = replies.filter((r) => offeredValues(r).length > 0).at(-1);
  const values = withChoices ? offeredValues(withChoices) : [];
  if (values.length !== offered.length || values.some((value, i) => value !== offered[i])) {
    await z.host.store.offerChoices(ZALO_PLATFORM, chatId, values);
  }
  for (const message of replies) {
    try {
      await send(z, chatId, message);
    } catch (error) {
      z.logger.warn({ err: error, chatId }, "reply not delivered");
      return;
    }
  }
}

/** The adapter's own word (a kind of message it cannot read): not a turn of the conversation, so the offer stays. */
export async function note(z: Zalo, chatId: string, text: string): Promise<void> {
  await send(z, chatId, { text }).catch((error: unknown) =>
    z.logger.warn({ err: error, chatId }, "note not delivered"),
  );
}

export async function deliver(z: Zalo, target: DeliveryTarget, message: OutgoingMessage) {
  const values = offeredValues(message);
  // A push with choices (a reminder's "Báo cáo ngay") makes them the ones a number picks; a
  // push without leaves the conversation's offer alone.
  if (values.length > 0) await z.host.store.offerChoices(ZALO_PLATFORM, target.chatId, values);
  try {
    return { messageId: await send(z, target.chatId, message) };
  } catch (error) {
    const mapped = toDeliveryError(error);
    if (mapped.code !== "delivery.rate_limited") {
      z.logger.warn({ err: error, personId: target.personId, code: mapped.code }, "Zalo delivery failed");
    }
    throw mapped;
  }
}
