import type { Plan } from "../generated/prisma/client.ts";
import { getActivePlan } from "../services/plan-service.ts";
import { indicatorFigures, loadPlanStatus, type PlanStatus } from "../services/status-service.ts";
import { toIsoLocal } from "../lib/time.ts";
import { print, type CliCommand } from "./command.ts";

/** Every agency (members included) with its duties, and the indicators: what `status --json` returns. */
function statusJson(plan: Plan, status: PlanStatus) {
  return {
    plan: plan.title,
    reportDeadline: plan.reportDeadline,
    agencies: status.agencies.map((a) => ({
      code: a.agency.code,
      name: a.agency.name,
      parent: a.parentCode,
      requested: a.agency.requested,
      contacts: a.contacts,
      submitted: a.submitted,
      submittedAt: a.submission ? toIsoLocal(a.submission.submittedAt) : null,
      onTime: a.submission?.onTime ?? null,
      ...(a.memberCount > 0 && { members: a.memberCount, membersSubmitted: a.membersSubmitted }),
      duties: a.duties.map((d) => ({
        code: d.code,
        status: d.status,
        percent: d.percent,
        note: d.note,
        updatedAt: d.updatedAt ? toIsoLocal(d.updatedAt) : null,
      })),
    })),
    indicators: status.indicators.map((i) => ({
      ...indicatorFigures(i),
      latestAt: i.latest ? toIsoLocal(i.latest.createdAt) : null,
    })),
  };
}

export const statusCommands: readonly CliCommand[] = [
  {
    name: "status",
    forms: ["[--json]"],
    async run(ctx) {
      const { db } = await ctx.app();
      const plan = await getActivePlan(db);
      const status = await loadPlanStatus(db, plan);
      const top = status.agencies.filter((a) => a.agency.parentId === null);
      print(
        ctx,
        statusJson(plan, status),
        top
          .map(
            (a) =>
              `${a.submitted ? "✅" : "⏳"} ${a.agency.code} ${a.agency.name}${a.memberCount ? ` (${a.membersSubmitted}/${a.memberCount})` : ""}`,
          )
          .join("\n"),
      );
    },
  },
];
