// Views that fit a phone's screen: a coordinator's list is cut into pages of whole lines, each page
// at most VIEW_MAX_CHARS with its header, and the person pages with buttons.

/** The most characters one message of a coordinator's view may hold, header included. */
export const VIEW_MAX_CHARS = 1_500;

/**
 * Lines into pages, in order, each page's lines at most `budget` characters joined by newlines. A
 * line longer than the budget on its own (a name nobody shortens) gets a page of its own rather
 * than being cut. No lines give one empty page, so a view always has a first page.
 */
export function pageLines(lines: readonly string[], budget: number): string[][] {
  const pages: string[][] = [[]];
  let used = 0;
  for (const line of lines) {
    const page = pages.at(-1)!;
    const cost = (page.length > 0 ? 1 : 0) + line.length;
    if (page.length > 0 && used + cost > budget) {
      pages.push([line]);
      used = line.length;
    } else {
      page.push(line);
      used += cost;
    }
  }
  return pages;
}

/** The page asked for, kept within the pages there are (a button pressed after the list shrank). */
export function clampPage(page: number, pages: number): number {
  return Math.min(Math.max(1, Math.floor(page)), Math.max(1, pages));
}
