// The coordinators' workbook at the size of a large province's history: 5,000 reports from 200
// commune-level agencies, timed from reading the database to the finished xlsx bytes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createDb, migrateDatabase } from "../src/db/db.ts";
import { vi } from "../src/i18n/vi.ts";
import type { Logger } from "../src/lib/logger.ts";
import { seedBundle } from "../src/plan/bundle.ts";
import { addMembers, parseMembersCsv } from "../src/plan/members.ts";
import { buildExportFile } from "../src/reports/export-file.ts";
import { loadExportData } from "../src/reports/export-data.ts";

export interface ExportFigures {
  agencies: number;
  reports: number;
  ms: number;
  bytes: number;
}

const STATUSES = ["in_progress", "in_progress", "blocked", "done"] as const;

export async function measureXlsxExport(options: {
  dir: string;
  logger: Logger;
  agencies: number;
  reports: number;
}): Promise<ExportFigures> {
  const url = `file:${join(options.dir, "export.db")}`;
  await migrateDatabase(url, (db) => seedBundle(db, options.logger));
  const db = createDb(url);
  try {
    const plan = await db.plan.findFirstOrThrow({ where: { active: true } });
    const group = await db.agency.findFirstOrThrow({ where: { planId: plan.id, code: "IV.9" } });
    // The bundle's Đồng Nai communes, topped up from the national list to the size wanted.
    const have = await db.agency.count({ where: { parentId: group.id } });
    if (have < options.agencies) {
      const csv = readFileSync(new URL("data/viet-nam-cap-xa.csv", import.meta.url), "utf8");
      await addMembers(db, plan.id, "IV.9", parseMembersCsv(csv).slice(0, options.agencies - have));
    }
    const members = await db.agency.findMany({
      where: { parentId: group.id },
      orderBy: { id: "asc" },
      take: options.agencies,
    });
    const duties = await db.duty.findMany({ where: { agencyId: group.id }, orderBy: { id: "asc" } });
    const start = new Date("2026-11-02T01:00:00Z").getTime();
    await db.dutyReport.createMany({
      data: Array.from({ length: options.reports }, (_, i) => {
        const status = STATUSES[i % STATUSES.length]!;
        return {
          agencyId: members[i % members.length]!.id,
          dutyId: duties[i % duties.length]!.id,
          status,
          percent: status === "done" ? 100 : (i * 7) % 100,
          note: i % 3 === 0 ? `Đã triển khai tới ${(i % 40) + 1} thôn, ấp; =SUM(A1) vẫn là chữ` : null,
          createdAt: new Date(start + i * 60_000),
        };
      }),
    });
    const now = new Date("2026-12-10T02:00:00Z");
    const began = performance.now();
    const data = await loadExportData(db, plan, {}, now);
    const file = await buildExportFile(vi, "xlsx", data);
    const ms = performance.now() - began;
    return { agencies: members.length, reports: options.reports, ms: Math.round(ms), bytes: file.content.byteLength };
  } finally {
    await db.$disconnect();
  }
}
