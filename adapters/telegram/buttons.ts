import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { AdapterStore } from "../../src/delivery/adapter-store.ts";
import type { PlatformLimits } from "../../src/delivery/types.ts";
import { choiceRows } from "../../src/delivery/choice-rows.ts";
import type { Choice } from "../../src/model/messages.ts";
import { createChoiceKeys } from "../kit/choice-keys.ts";

// A button's callback_data is at most 64 bytes: a longer value travels as a key (kit/choice-keys.ts),
// which the marker tells apart.

/** Starts every keyed payload; a value that itself starts with it is keyed too, so nothing is ambiguous. */
export const KEY_MARKER = "~";

export const MAX_CALLBACK_DATA_BYTES = 64;

function keysOf(store: AdapterStore) {
  return createChoiceKeys(store, (value) => {
    const bytes = Buffer.byteLength(value, "utf8");
    return bytes >= 1 && bytes <= MAX_CALLBACK_DATA_BYTES && !value.startsWith(KEY_MARKER);
  });
}

export async function encodeChoice(store: AdapterStore, value: string): Promise<string> {
  const { keyed, payload } = await keysOf(store).encode(value);
  return keyed ? KEY_MARKER + payload : payload;
}

/** The choice's value, or null when the key is unknown (pruned, or from another database). */
export function decodeChoice(store: AdapterStore, data: string): Promise<string | null> {
  const keyed = data.startsWith(KEY_MARKER);
  return keysOf(store).decode({ keyed, payload: keyed ? data.slice(KEY_MARKER.length) : data });
}

/**
 * The core's rows of choices as an inline keyboard: each label as the button's text, rows wider
 * than Telegram allows wrapped, and never more buttons than it accepts in one message.
 */
export async function inlineKeyboard(
  store: AdapterStore,
  choices: readonly (readonly Choice[])[] | undefined,
  limits: Pick<PlatformLimits, "maxButtonsPerRow" | "maxButtons">,
): Promise<InlineKeyboardMarkup | undefined> {
  const rows: InlineKeyboardButton.CallbackButton[][] = [];
  for (const row of choiceRows(choices ?? [], { perRow: limits.maxButtonsPerRow, maxButtons: limits.maxButtons })) {
    const buttons: InlineKeyboardButton.CallbackButton[] = [];
    for (const choice of row) {
      buttons.push({ text: choice.label, callback_data: await encodeChoice(store, choice.value) });
    }
    rows.push(buttons);
  }
  return rows.length ? { inline_keyboard: rows } : undefined;
}
