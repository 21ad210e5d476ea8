import type { types } from "@slack/bolt";
import type { Page, PageButton } from "../../src/delivery/forms.ts";
import { button, escapeMrkdwn, plain, section, textBlocks, VIEW_MAX_BLOCKS, type Block } from "./render.ts";

// The App Home tab: the core's page (delivery/forms.ts homePage) as Block Kit.

export const HOME_REPORT_ACTION = "home_report";
export const HOME_SUBMIT_ACTION = "home_submit";

const homeButton = (b: PageButton) =>
  button(b.label, b.opens === "submit" ? HOME_SUBMIT_ACTION : HOME_REPORT_ACTION, b.duty);

/** The page within Slack's 100 blocks: items past the room are counted instead of shown. */
export function homeView(page: Page): types.HomeView {
  const head: Block[] = [{ type: "header", text: plain(page.header, 150) }];
  for (const [i, text] of page.texts.entries())
    head.push(...(i > 0 ? [{ type: "divider" } as const] : []), ...textBlocks(text));
  if (page.buttons.length) head.push({ type: "actions", elements: page.buttons.map(homeButton) }, { type: "divider" });
  const room = VIEW_MAX_BLOCKS - head.length;
  const shown = page.items.length <= room ? page.items : page.items.slice(0, Math.max(0, room - 1));
  const items = shown.map((item) => ({ ...section(escapeMrkdwn(item.text)), accessory: homeButton(item.button) }));
  const left = page.items.length - shown.length;
  const more = left > 0 ? textBlocks(page.more(left)) : [];
  return { type: "home", blocks: [...head, ...items, ...more].slice(0, VIEW_MAX_BLOCKS) };
}
