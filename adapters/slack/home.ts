import type { types } from "@slack/bolt";
import type { OutgoingMessage } from "../../src/model/messages.ts";
import type { Messages } from "../../src/i18n/index.ts";
import { agencyLabel, dutyLine } from "../../src/i18n/views.ts";
import type { AgencyOverview, PersonOverview } from "../../src/delivery/adapter-host.ts";
import { agencyHeader } from "../../src/delivery/forms.ts";
import { button, escapeMrkdwn, plain, section, textBlocks, VIEW_MAX_BLOCKS, type Block } from "./render.ts";

// The App Home tab: a contact's duties with a "Báo cáo" button each, or, for everyone else, the
// core's own answer (a coordinator's /tongquan, the way in for someone not yet joined).

export const HOME_REPORT_ACTION = "home_report";
export const HOME_SUBMIT_ACTION = "home_submit";

export function contactHome(t: Messages, person: PersonOverview, agency: AgencyOverview): types.HomeView {
  const label = agencyLabel(t, agency.agency);
  const head: Block[] = [
    { type: "header", text: plain(label, 150) },
    ...textBlocks(agencyHeader(t, person, agency) ?? ""),
    {
      type: "actions",
      elements: [button(t.slack.home.report, HOME_REPORT_ACTION), button(t.slack.home.submit, HOME_SUBMIT_ACTION)],
    },
    { type: "divider" },
  ];
  const room = VIEW_MAX_BLOCKS - head.length;
  const shown = agency.duties.length <= room ? agency.duties : agency.duties.slice(0, room - 1);
  const duties: Block[] = shown.map((d) => ({
    ...section(escapeMrkdwn(dutyLine(t, d))),
    accessory: button(t.slack.home.report, HOME_REPORT_ACTION, d.code),
  }));
  if (shown.length < agency.duties.length)
    duties.push(...textBlocks(t.slack.home.more(agency.duties.length - shown.length)));
  return { type: "home", blocks: [...head, ...duties] };
}

/** The core's replies as the whole tab. */
export function textHome(t: Messages, replies: readonly OutgoingMessage[]): types.HomeView {
  const blocks: Block[] = [{ type: "header", text: plain(t.slack.title, 150) }];
  for (const reply of replies) {
    if (blocks.length > 1) blocks.push({ type: "divider" });
    blocks.push(...textBlocks(reply.text));
  }
  return { type: "home", blocks: blocks.slice(0, VIEW_MAX_BLOCKS) };
}
