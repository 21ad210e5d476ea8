import type { webApi } from "@slack/bolt";
import { splitMessage } from "../../src/delivery/split-message.ts";
import type { PlatformLimits } from "../../src/delivery/types.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import { renderMessage, type valueEncoder } from "./render.ts";
import { SLACK_MAX_MESSAGE_LENGTH } from "./surface.ts";

// Pushes and the digest channel's posts as Slack messages (the surface posts the replies to events).

export const SLACK_LIMITS: PlatformLimits = {
  maxMessageLength: SLACK_MAX_MESSAGE_LENGTH,
  buttons: true,
  // A button's value; longer choice values travel as a short key from the adapters' store.
  maxButtonPayloadBytes: 2000,
  maxButtonsPerRow: 25,
  maxButtons: 250,
  files: true,
  groupChats: true,
};

/** A message as Slack messages: split to Slack's length, each part posted, a file uploaded after its text. */
export async function postParts(
  client: webApi.WebClient,
  encode: ReturnType<typeof valueEncoder>,
  channel: string,
  message: OutgoingMessage,
): Promise<string | null> {
  let messageId: string | null = null;
  for (const part of splitMessage(message, SLACK_LIMITS.maxMessageLength)) {
    const rendered = await renderMessage(part, encode);
    const posted = await client.chat.postMessage({ channel, ...rendered, unfurl_links: false, unfurl_media: false });
    messageId = posted.ts ?? messageId;
    if (part.file) {
      await client.filesUploadV2({
        channel_id: channel,
        file: Buffer.from(part.file.content),
        filename: part.file.name,
        title: part.file.name,
      });
    }
  }
  return messageId;
}
