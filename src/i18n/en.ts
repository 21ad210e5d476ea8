import { vi, type Messages } from "./vi.ts";

// Placeholder until the English catalogue is written: same structure as vi.
export const en: Messages = { ...vi, locale: "en" };
