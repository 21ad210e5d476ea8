export function normalizeSpaces(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/**
 * Key for forgiving comparison of words typed on phone keyboards, where diacritics and case are often lost:
 * "Vướng  MẮC" → "vuong mac". Never use it on duty codes: there `đ` and `d` are different letters.
 */
export function foldVietnamese(s: string): string {
  // đ has no canonical decomposition, so NFD alone would keep it.
  const lower = s.normalize("NFC").toLowerCase().replace(/đ/g, "d");
  return normalizeSpaces(lower.normalize("NFD").replace(/\p{M}/gu, ""));
}

/** An agency's name compared forgiving of case, diacritics, spacing and punctuation. */
export function foldName(name: string): string {
  return foldVietnamese(name)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** First word and the rest, as commands take them ("/giaiquyet 3 Đã xử lý"). */
export function splitFirst(args: string): [string, string] {
  const trimmed = args.trim();
  const space = trimmed.search(/\s/);
  return space === -1 ? [trimmed, ""] : [trimmed.slice(0, space), trimmed.slice(space + 1).trim()];
}
