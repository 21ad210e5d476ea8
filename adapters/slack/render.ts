import type { types } from "@slack/bolt";
import { findCommand } from "../../src/core/commands.ts";
import { choiceRows } from "../../src/delivery/choice-rows.ts";
import { clip } from "../../src/domain/clean-text.ts";
import { splitText } from "../../src/delivery/split-message.ts";
import type { Choice, OutgoingMessage } from "../../src/model/messages.ts";

// From the core's messages to Block Kit and back. Slack parses message text as mrkdwn, where "<!channel>"
// pings everyone and "<https://x|y>" hides a link, so everything the bot posts is escaped; and it hands
// typed text over escaped, with links and mentions wrapped in <…>, so everything it receives is decoded.

export type Block = types.KnownBlock;

export const SLASH_COMMAND = "/nhacviec";
/** Characters of a section's text (Slack refuses more). */
export const SECTION_MAX = 3000;
export const MESSAGE_MAX_BLOCKS = 50;
export const VIEW_MAX_BLOCKS = 100;
export const ACTIONS_MAX_ELEMENTS = 25;
export const BUTTON_LABEL_MAX = 75;
export const BUTTON_VALUE_MAX_BYTES = 2000;

/** action_id prefixes of the buttons made from a message's choices. */
export const CHOICE_ACTION = "choice";
export const CHOICE_KEY_ACTION = "choicekey";

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Text as the person typed it: Slack's entities and <link|label>, <@U1|name>, <!here> undone. */
export function decodeSlackText(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_whole, inner: string) => {
      const bar = inner.indexOf("|");
      const target = bar === -1 ? inner : inner.slice(0, bar);
      const label = bar === -1 ? null : inner.slice(bar + 1);
      if (target.startsWith("@") || target.startsWith("#")) return `${target[0]}${label ?? target.slice(1)}`;
      if (target.startsWith("!")) return `@${label ?? target.slice(1).split("^")[0]}`;
      return label ?? target.replace(/^mailto:/, "");
    })
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

// "/baocao" in the core's texts: a command as typed elsewhere. Dates (10/12/2026), document numbers
// (123/BC) and links never match, since the slash must start a word.
const COMMAND_MENTION = /(^|[\s("'“‘])\/([A-Za-z]+)(?=$|[\s.,;:!?)"'”’])/g;

/** In Slack every command goes through the one slash command: "/baocao" becomes "/nhacviec baocao". */
export function slackCommands(text: string): string {
  return text.replace(COMMAND_MENTION, (whole, before: string, name: string) =>
    findCommand(name) ? `${before}${SLASH_COMMAND} ${name}` : whole,
  );
}

/** Escaped mrkdwn chunks of at most SECTION_MAX characters; escaping can lengthen a chunk, so it is cut finer. */
export function sectionTexts(raw: string): string[] {
  const escaped = escapeMrkdwn(raw);
  if (escaped.length <= SECTION_MAX) return escaped.trim() ? [escaped] : [];
  const max = Math.max(1, Math.min(raw.length - 1, Math.floor((raw.length * SECTION_MAX) / escaped.length)));
  return splitText(raw, max).parts.flatMap((part) => sectionTexts(part));
}

export function section(text: string): Block {
  // verbatim: Slack must not turn words into links or mentions on its own either.
  return { type: "section", text: { type: "mrkdwn", text, verbatim: true } };
}

/** The core's text as sections: commands spelt for Slack, escaped, cut to Slack's limit. */
export function textBlocks(text: string): Block[] {
  return sectionTexts(slackCommands(text)).map(section);
}

export function plain(text: string, max = 3000): types.PlainTextElement {
  return { type: "plain_text", text: clip(text, max), emoji: true };
}

/** Slack refuses an empty value (invalid_blocks), so a button that carries nothing has none at all. */
export function button(label: string, actionId: string, value?: string): types.Button {
  return { type: "button", text: plain(label, BUTTON_LABEL_MAX), action_id: actionId, ...(value && { value }) };
}

/** Puts a value on a button: as it is when it fits Slack's 2,000 bytes, else a short key kept in the store. */
export type ValueEncoder = (value: string) => Promise<{ kind: "value" | "key"; value: string }>;

export function valueEncoder(keyForValue: (value: string) => Promise<string>): ValueEncoder {
  return async (value) =>
    Buffer.byteLength(value, "utf8") <= BUTTON_VALUE_MAX_BYTES
      ? { kind: "value", value }
      : { kind: "key", value: await keyForValue(value) };
}

/** Rows of choices as actions blocks: one per row while there is room, packed 25 to a block when not. */
async function actionBlocks(rows: readonly Choice[][], room: number, encode: ValueEncoder): Promise<Block[]> {
  let n = 0;
  const blocks: Block[] = [];
  for (const group of choiceRows(rows, { perRow: ACTIONS_MAX_ELEMENTS, maxRows: room })) {
    const elements: types.Button[] = [];
    for (const choice of group) {
      const encoded = await encode(choice.value);
      // A press on a button without a value comes back as "" all the same.
      elements.push(
        button(choice.label, `${encoded.kind === "key" ? CHOICE_KEY_ACTION : CHOICE_ACTION}:${n++}`, encoded.value),
      );
    }
    blocks.push({ type: "actions", elements });
  }
  return blocks;
}

export interface SlackMessage {
  /** The fallback for notifications and screen readers. */
  text: string;
  blocks: Block[];
}

/** One part of a message (already within maxMessageLength) as Block Kit, within 50 blocks. */
export async function renderMessage(message: OutgoingMessage, encode: ValueEncoder): Promise<SlackMessage> {
  const raw = slackCommands(message.text);
  const sections = sectionTexts(raw)
    .slice(0, MESSAGE_MAX_BLOCKS - 1)
    .map(section);
  const actions = await actionBlocks(message.choices ?? [], MESSAGE_MAX_BLOCKS - sections.length, encode);
  return { text: escapeMrkdwn(raw), blocks: [...sections, ...actions] };
}
