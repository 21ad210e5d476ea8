import { encodeChoice } from "../model/choices.ts";
import type { Choice } from "../model/messages.ts";
import type { AgencyState, PlanStatus } from "../services/status-service.ts";
import type { Messages } from "./index.ts";

// The buttons under a group's line (the 95 communes of IV.9 as one), wherever that line is shown:
// /quahan and the coordinators' digest. Each carries its plan's code, so it acts in that plan
// whenever it is pressed.

/** A group's members that have not submitted. */
export function pendingMembers(status: PlanStatus, groupId: number): AgencyState[] {
  return status.agencies.filter((m) => m.agency.parentId === groupId && !m.submitted);
}

/** Under a group's line: list its members, and nudge those that have a contact. */
export function groupButtons(t: Messages, plan: string, status: PlanStatus, group: AgencyState): Choice[][] {
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
