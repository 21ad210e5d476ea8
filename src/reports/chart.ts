import type { Messages } from "../i18n/index.ts";
import type { ExportData } from "./export-data.ts";

export async function buildProgressChart(_t: Messages, _data: ExportData): Promise<Uint8Array> {
  throw new Error("not yet");
}
