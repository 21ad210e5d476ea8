import type { Plan } from "../generated/prisma/client.ts";
import type { Db } from "../db/db.ts";
import { plansFor } from "../services/plan-service.ts";
import { indicatorFigures, loadPlanStatus, type PlanStatus } from "../services/status-service.ts";
import { toIsoLocal } from "../lib/time.ts";
import { dutyState } from "../domain/status.ts";
import { planOption, print, type CliCommand } from "./command.ts";

/** Every agency (members included) with its duties, and the indicators: what `status --json` returns. */
function statusJson(plan: Plan, status: PlanStatus, directoryCodes: ReadonlyMap<number, string>) {
  return {
    code: plan.code,
    plan: plan.title,
    reportDeadline: plan.reportDeadline,
    agencies: status.agencies.map((a) => ({
      code: a.agency.code,
      directoryCode: directoryCodes.get(a.agency.directoryId) ?? null,
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
        state: dutyState(d),
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

async function directoryCodesOf(db: Db): Promise<Map<number, string>> {
  return new Map((await db.directoryAgency.findMany({ select: { id: true, code: true } })).map((d) => [d.id, d.code]));
}

function statusText(plan: Plan, status: PlanStatus, named: boolean): string {
  const top = status.agencies.filter((a) => a.agency.parentId === null);
  const lines = top.map(
    (a) =>
      `${a.submitted ? "✅" : "⏳"} ${a.agency.code} ${a.agency.name}${a.memberCount ? ` (${a.membersSubmitted}/${a.memberCount})` : ""}`,
  );
  return (named ? [`${plan.code} ${plan.title}`, ...lines] : lines).join("\n");
}

export const statusCommands: readonly CliCommand[] = [
  {
    name: "status",
    forms: ["[--plan CODE] [--json]"],
    async run(ctx, _args, options) {
      const { db } = await ctx.app();
      const plans = await plansFor(db, planOption(options));
      const directoryCodes = await directoryCodesOf(db);
      const parts: { json: ReturnType<typeof statusJson>; text: string }[] = [];
      for (const plan of plans) {
        const status = await loadPlanStatus(db, plan);
        parts.push({
          json: statusJson(plan, status, directoryCodes),
          text: statusText(plan, status, plans.length > 1),
        });
      }
      print(ctx, { plans: parts.map((p) => p.json) }, parts.map((p) => p.text).join("\n\n"));
    },
  },
];
