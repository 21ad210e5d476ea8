import type { webApi } from "@slack/bolt";
import { splitMessages } from "../../src/delivery/split-message.ts";
import type { DigestChannel, PlatformLimits } from "../../src/delivery/types.ts";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import { ACTIONS_MAX_ELEMENTS, BUTTON_VALUE_MAX_BYTES, renderMessage } from "./render.ts";
import type { ChoiceKeys } from "../kit/choice-keys.ts";

// The core's messages as Slack messages: pushes (one part of the outbox's split), the digest
// channel's posts and the replies to events (whole messages, split here).

export const SLACK_PLATFORM = "slack";
/** Characters per message: Slack's limit for a section's text. */
export const SLACK_MAX_MESSAGE_LENGTH = 3000;

export const SLACK_LIMITS: PlatformLimits = {
  maxMessageLength: SLACK_MAX_MESSAGE_LENGTH,
  buttons: true,
  // A button's value; longer choice values travel as a short key from the adapters' store.
  maxButtonPayloadBytes: BUTTON_VALUE_MAX_BYTES,
  maxButtonsPerRow: ACTIONS_MAX_ELEMENTS,
  maxButtons: 250,
  files: true,
  groupChats: true,
};

interface Poster {
  /** A reply's client waits out a rate limit; a push's hands it to the outbox. */
  client: webApi.WebClient;
  keys: ChoiceKeys;
}

/** One part within Slack's limit as one message, its file uploaded after its text; returns the message's ts. */
export async function postPart(p: Poster, channel: string, part: OutgoingMessage): Promise<string | null> {
  const rendered = await renderMessage(part, p.keys);
  const posted = await p.client.chat.postMessage({ channel, ...rendered, unfurl_links: false, unfurl_media: false });
  const file = part.file;
  if (file) {
    const upload = { channel_id: channel, file: Buffer.from(file.content), filename: file.name, title: file.name };
    await p.client.filesUploadV2(upload);
  }
  return posted.ts ?? null;
}

/** Whole messages, each split at Slack's limit: the replies to events, and the digest channel's posts. */
export async function post(p: Poster, channel: string, messages: readonly OutgoingMessage[]): Promise<void> {
  for (const part of splitMessages(messages, SLACK_MAX_MESSAGE_LENGTH)) await postPart(p, channel, part);
}

/** SLACK_DIGEST_CHANNEL as the coordinators' digest goes there. */
export function digestChannelOf(p: Poster, channel: string): DigestChannel {
  return {
    name: SLACK_PLATFORM,
    // The channel is shared by people of every language; the plan's own language it is.
    locale: "vi",
    post: (message) => post(p, channel, [message]),
  };
}
