import { encodeChoice } from "../model/choices.ts";
import type { Choice } from "../model/messages.ts";
import type { Messages } from "./index.ts";

// The buttons under a group's line (the 95 communes of IV.9 as one), wherever that line is shown:
// /quahan and the coordinators' digest. Each carries its plan's code, so it acts in that plan
// whenever it is pressed.

/** What the buttons read of an agency's state (services/status-service.ts's AgencyState). */
interface ShownUnit {
  agency: { id: number; code: string; parentId: number | null };
  submitted: boolean;
  contacts: number;
}

/** What the buttons read of a plan's state. */
interface ShownStatus<U extends ShownUnit> {
  agencies: readonly U[];
}

/** A group's members that have not submitted. */
export function pendingMembers<U extends ShownUnit>(status: ShownStatus<U>, groupId: number): U[] {
  return status.agencies.filter((m) => m.agency.parentId === groupId && !m.submitted);
}

/** Under a group's line: list its members, and nudge those that have a contact. */
export function groupButtons(t: Messages, plan: string, status: ShownStatus<ShownUnit>, group: ShownUnit): Choice[][] {
  const missing = pendingMembers(status, group.agency.id);
  const reachable = missing.filter((m) => m.contacts > 0).length;
  const list = {
    label: t.bot.coord.membersButton(group.agency.code, missing.length),
    value: encodeChoice({ kind: "members", plan, group: group.agency.code, page: 1 }),
  };
  return [[list, ...(reachable > 0 ? [nudgeButton(t, plan, group.agency.code, reachable)] : [])]];
}

export function nudgeButton(t: Messages, plan: string, agency: string, reachable: number): Choice {
  return { label: t.bot.coord.nudgeMembersButton(reachable), value: encodeChoice({ kind: "nudge", plan, agency }) };
}
