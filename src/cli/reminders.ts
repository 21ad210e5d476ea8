import { vi as m } from "../i18n/vi.ts";
import type { ReminderEntry, TickResult } from "../reminders/engine.ts";
import { parseReminderPolicy, policyOf, ReminderPolicyError } from "../schedule/policy.ts";
import { choosePlan } from "../services/plan-service.ts";
import { parseIsoInstant, toIsoLocal } from "../lib/time.ts";
import { CliError, planOption, print, type CliCommand, type CliContext } from "./command.ts";
import { readInputFile } from "./files.ts";

/** The instant a reminders command acts at: exactly --now when given (already validated). */
function instantOf(ctx: CliContext, value: string | boolean | undefined): Date {
  return typeof value === "string" ? parseIsoInstant(value)! : ctx.clock.now();
}

function summarizeTick(result: TickResult): string {
  const line = (e: ReminderEntry) =>
    `  ${e.plan ?? "-"}\t${e.point}\t${e.agency ?? "-"}\t${e.contactName ?? "-"}${e.reason ? `\t${e.reason}` : ""}`;
  return [
    m.cli.tickCounts(result.due.length, result.sent.length, result.skipped.length),
    ...result.sent.map(line),
    ...result.skipped.map(line),
  ].join("\n");
}

/** The overrides in FILE.json, checked whole before anything is stored. */
function readPolicyOverrides(file: string): string {
  let overrides: unknown;
  try {
    overrides = JSON.parse(readInputFile(file, m.cli.jsonFileArgument));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(m.cli.policyInvalid((error as Error).message));
  }
  try {
    parseReminderPolicy(overrides);
  } catch (error) {
    if (error instanceof ReminderPolicyError) throw new CliError(m.cli.policyInvalid(error.message));
    throw error;
  }
  return JSON.stringify(overrides);
}

export const reminderCommands: readonly CliCommand[] = [
  {
    name: "reminders plan",
    forms: ["--now ISO [--json]"],
    async run(ctx, _args, options) {
      const now = instantOf(ctx, options.now);
      const { reminders } = await ctx.app();
      const result = await reminders.plan(now, { dryRun: true });
      print(ctx, { now: toIsoLocal(now), ...result, sent: [] }, summarizeTick({ ...result, sent: [] }));
    },
  },
  {
    name: "reminders run",
    forms: ["--now ISO [--json]"],
    async run(ctx, _args, options) {
      const now = instantOf(ctx, options.now);
      const { reminders } = await ctx.app();
      const result = await reminders.tick(now);
      print(ctx, { now: toIsoLocal(now), ...result }, summarizeTick(result));
    },
  },
  {
    name: "reminders policy",
    forms: ["[--plan CODE] [--set FILE.json | --reset] [--json]"],
    async run(ctx, _args, options) {
      const { db } = await ctx.app();
      const plan = await choosePlan(db, planOption(options));
      let stored = plan.reminderPolicy;
      if (typeof options.set === "string") stored = readPolicyOverrides(options.set);
      else if (options.reset === true) stored = null;
      if (stored !== plan.reminderPolicy)
        await db.plan.update({ where: { id: plan.id }, data: { reminderPolicy: stored } });
      const effective = policyOf({ ...plan, reminderPolicy: stored });
      print(
        ctx,
        { code: plan.code, plan: plan.title, overrides: stored ? (JSON.parse(stored) as unknown) : null, effective },
        JSON.stringify(effective, null, 2),
      );
    },
  },
];
