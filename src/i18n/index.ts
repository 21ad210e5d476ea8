import { vi, type Messages } from "./vi.ts";
import { en } from "./en.ts";

export type { Messages };
export type Locale = "vi" | "en";

export function messagesFor(locale: string | null | undefined): Messages {
  return locale === "en" ? en : vi;
}
