/** A duty's title for lists and reminders: its first clause, cut at a word, at most `max` characters. */
export function shortTitle(text: string, max = 60): string {
  // Only the first boundary matters: splitting the whole text cost a reminder point 40 ms.
  const end = text.search(/[.;:]\s/);
  const firstSentence = end < 0 ? text : text.slice(0, end + 1);
  const clean = firstSentence.replace(/[.;:,]+$/, "").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const atWord = cut.slice(0, Math.max(cut.lastIndexOf(" "), Math.floor(max / 2)));
  return `${atWord.replace(/[\s,;:.-]+$/, "")}…`;
}
