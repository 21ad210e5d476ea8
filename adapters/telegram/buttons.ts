import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { AdapterStore } from "../../src/delivery/adapter-store.ts";
import type { PlatformLimits } from "../../src/delivery/types.ts";
import { choiceRows } from "../../src/delivery/choice-rows.ts";
import type { Choice } from "../../src/model/messages.ts";

// A button's callback_data is at most 64 bytes. A choice value that fits travels as it is; a longer
// one (Vietnamese text is two or three bytes a letter) travels as a short key kept in the database,
// so it is never cut and still means the same after a restart. The marker tells the two apart.

/** Starts every keyed payload; a value that itself starts with it is keyed too, so nothing is ambiguous. */
export const KEY_MARKER = "~";

export const MAX_CALLBACK_DATA_BYTES = 64;

function fitsAsIs(value: string): boolean {
  const bytes = Buffer.byteLength(value, "utf8");
  return bytes >= 1 && bytes <= MAX_CALLBACK_DATA_BYTES && !value.startsWith(KEY_MARKER);
}

export async function encodeChoice(store: AdapterStore, value: string): Promise<string> {
  return fitsAsIs(value) ? value : KEY_MARKER + (await store.keyForValue(value));
}

/** The choice's value, or null when the key is unknown (pruned, or from another database). */
export async function decodeChoice(store: AdapterStore, data: string): Promise<string | null> {
  return data.startsWith(KEY_MARKER) ? store.valueForKey(data.slice(KEY_MARKER.length)) : data;
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
