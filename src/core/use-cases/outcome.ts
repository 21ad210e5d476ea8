import type { ReplyOutcome } from "../../model/bot-core.ts";

// What a use case gives back inside the core: done with its value, or refused on one field with
// the words for it. The chat replies with the words; a form shows them beside the field.

export interface Done<V> {
  ok: true;
  value: V;
}

export interface Refusal<F extends string> {
  ok: false;
  field: F;
  text: string;
  /** What the chat's reply says happened (see ReplyOutcome). */
  outcome?: ReplyOutcome;
}

export type Outcome<V, F extends string> = Done<V> | Refusal<F>;

export const done = <V>(value: V): Done<V> => ({ ok: true, value });
