import type { types } from "@slack/bolt";
import { respellCommands } from "../../src/core/commands.ts";
import { choiceRows } from "../../src/delivery/choice-rows.ts";
import { clip } from "../../src/domain/clean-text.ts";
import { splitEscaped } from "../../src/delivery/split-message.ts";
import type { Choice, OutgoingMessage } from "../../src/model/messages.ts";
import type { AdapterStore } from "../../src/delivery/adapter-store.ts";
import { createChoiceKeys, type ChoiceKeys } from "../kit/choice-keys.ts";

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

/** In Slack every command goes through the one slash command: "/baocao" becomes "/nhacviec baocao". */
export const slackCommands = (text: string) => respellCommands(text, (name) => `${SLASH_COMMAND} ${name}`);

/** Escaped mrkdwn chunks of at most SECTION_MAX characters. */
const sectionTexts = (raw: string) => splitEscaped(raw, SECTION_MAX, escapeMrkdwn);

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

/** A value past Slack's 2,000 bytes goes on its button as a key; an action_id prefix tells the two apart. */
export const slackChoiceKeys = (store: Pick<AdapterStore, "keyForValue" | "valueForKey">) =>
  createChoiceKeys(store, (value) => Buffer.byteLength(value, "utf8") <= BUTTON_VALUE_MAX_BYTES);

/** Rows of choices as actions blocks: one per row while there is room, packed 25 to a block when not. */
async function actionBlocks(rows: readonly Choice[][], room: number, keys: ChoiceKeys): Promise<Block[]> {
  let n = 0;
  const blocks: Block[] = [];
  for (const group of choiceRows(rows, { perRow: ACTIONS_MAX_ELEMENTS, maxRows: room })) {
    const elements: types.Button[] = [];
    for (const choice of group) {
      const { keyed, payload } = await keys.encode(choice.value);
      // A press on a button without a value comes back as "" all the same.
      elements.push(button(choice.label, `${keyed ? CHOICE_KEY_ACTION : CHOICE_ACTION}:${n++}`, payload));
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
export async function renderMessage(message: OutgoingMessage, keys: ChoiceKeys): Promise<SlackMessage> {
  const raw = slackCommands(message.text);
  const sections = sectionTexts(raw)
    .slice(0, MESSAGE_MAX_BLOCKS - 1)
    .map(section);
  const actions = await actionBlocks(message.choices ?? [], MESSAGE_MAX_BLOCKS - sections.length, keys);
  return { text: escapeMrkdwn(raw), blocks: [...sections, ...actions] };
}
