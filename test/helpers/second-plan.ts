import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Db } from "../../src/db/db.ts";
import { importPlan } from "../../src/plan/import-plan.ts";
import { parsePlan } from "../../src/plan/parse-plan.ts";

// The tests' second Đồng Nai plan (BHYT26, reports before 20/12): there BHXH is IV.2, STC IV.3,
// the communes IV.4 under the alias "UBND cấp xã", and Sở Y tế (SYT) is an agency the directory lacks.

export const SECOND_PLAN_PATH = fileURLToPath(new URL("../fixtures/ke-hoach-bhyt-dong-nai-2026.txt", import.meta.url));

export const secondPlanText = () => readFileSync(SECOND_PLAN_PATH, "utf8");

/** BHYT26 beside the bundled plan, its new agency (SYT) added to the directory. */
export const importSecondPlan = (db: Db) => importPlan(db, parsePlan(secondPlanText()), { createAgencies: true });
