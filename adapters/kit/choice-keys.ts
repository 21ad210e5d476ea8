import type { AdapterStore } from "../../src/delivery/adapter-store.ts";

// A button carries its choice's value when the value fits the platform's payload. A longer one
// (Vietnamese text is two or three bytes a letter) travels as a short key kept in the database, so
// it is never cut and still means the same after a restart. Each platform marks which it is.

export interface ChoicePayload {
  keyed: boolean;
  payload: string;
}

export interface ChoiceKeys {
  encode(value: string): Promise<ChoicePayload>;
  /** The choice's value, or null when the key is unknown (pruned, or from another database). */
  decode(payload: ChoicePayload): Promise<string | null>;
}

export function createChoiceKeys(
  store: Pick<AdapterStore, "keyForValue" | "valueForKey">,
  fits: (value: string) => boolean,
): ChoiceKeys {
  return {
    encode: async (value) =>
      fits(value) ? { keyed: false, payload: value } : { keyed: true, payload: await store.keyForValue(value) },
    decode: async ({ keyed, payload }) => (keyed ? store.valueForKey(payload) : payload),
  };
}
