import type { webApi } from "@slack/bolt";
import { splitMessage } from "../../src/delivery/split-message.ts";
import type { DigestChannel, PlatformLimits } from "../../src/delivery/types.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import { renderMessage, type valueEncoder } from "./render.ts";
import { SLACK_MAX_MESSAGE_LENGTH, SLACK_PLATFORM } from "./surface.ts";

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

/** One part within Slack's limit as one message, its file uploaded after its text; returns the message's ts. */
export async function postPart(
  client: webApi.WebClient,
  encode: ReturnType<typeof valueEncoder>,
  channel: string,
  part: OutgoingMessage,
): Promise<string | null> {
  const rendered = await renderMessage(part, encode);
  const posted = await client.chat.postMessage({ channel, ...rendered, unfurl_links: false, unfurl_media: false });
  if (part.file) {
    await client.filesUploadV2({
      channel_id: channel,
      file: Buffer.from(part.file.content),
      filename: part.file.name,
      title: part.file.name,
    });
  }
  return posted.ts ?? null;
}

/**
 * A whole message, split at Slack's limit: the digest channel's posts, which no outbox splits
 * (a push comes as the part the outbox split, and goes through postPart).
 */
export async function postParts(
  client: webApi.WebClient,
  encode: ReturnType<typeof valueEncoder>,
  channel: string,
  message: OutgoingMessage,
): Promise<string | null> {
  let messageId: string | null = null;
  for (const part of splitMessage(message, SLACK_MAX_MESSAGE_LENGTH)) {
    messageId = (await postPart(client, encode, channel, part)) ?? messageId;
  }
  return messageId;
}

/** SLACK_DIGEST_CHANNEL as the coordinators' digest goes there. */
export function digestChannelOf(
  client: webApi.WebClient,
  encode: ReturnType<typeof valueEncoder>,
  channel: string,
): DigestChannel {
  return {
    name: SLACK_PLATFORM,
    // The channel is shared by people of every language; the plan's own language it is.
    locale: "vi",
    async post(message) {
      await postParts(client, encode, channel, message);
    },
  };
}
