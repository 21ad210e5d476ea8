/** A duty's title for lists and reminders: its first clause, cut at a word, at most `max` characters. */
export function shortTitle(text: string, max = 60): string {
  const firstSentence = text.split(/(?<=[.;:])\s/)[0] ?? text;
  const clean = firstSentence.replace(/[.;:,]+$/, "").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const atWord = cut.slice(0, Math.max(cut.lastIndexOf(" "), Math.floor(max / 2)));
  return `${atWord.replace(/[\s,;:.-]+$/, "")}…`;
}
