import { loadConfig } from "./config.ts";
import { createDb, migrateDatabase } from "./db.ts";
import { vi } from "./i18n/vi.ts";
import { createLogger } from "./logger.ts";
import { ensureBundledPlan } from "./plan/bundle.ts";
import { getActivePlan } from "./services/plan-service.ts";

// Composition root: the only place (with cli.ts) that wires adapters to the core.
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  await migrateDatabase(config.databaseUrl);
  const db = createDb(config.databaseUrl);
  await ensureBundledPlan(db, logger);
  const plan = await getActivePlan(db);
  const agencies = await db.agency.count({ where: { planId: plan.id, parentId: null, withdrawn: false } });
  const duties = await db.duty.count({ where: { agency: { planId: plan.id }, withdrawn: false } });
  const indicators = await db.indicator.count({ where: { planId: plan.id, withdrawn: false } });
  process.stdout.write(`${vi.cli.planParsed(plan.title, agencies, duties, indicators, plan.reportDeadline)}\n`);
  await db.$disconnect();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
