import { z } from "zod";
import type { Db } from "../db/db.ts";
import { CsvReadError, readCsv, type CsvRow } from "../domain/csv.ts";
import { AppError } from "../model/errors.ts";

export interface MemberRow {
  ma: string;
  ten: string;
}

const Row = z.object({
  ma: z
    .string()
    .trim()
    .regex(/^\d{1,10}$/),
  ten: z.string().trim().min(1).max(200),
});

/** Reads `ma,ten[,...]` with a header; codes stay strings so leading zeros survive. */
export function parseMembersCsv(text: string): MemberRow[] {
  let rows: CsvRow[];
  try {
    rows = readCsv(text, ["ma", "ten"]);
  } catch (error) {
    if (error instanceof CsvReadError) throw new AppError("members.bad_csv", { line: error.line ?? 1 });
    throw error;
  }
  if (rows.length === 0) throw new AppError("members.bad_csv", { line: 2 });
  const seen = new Set<string>();
  return rows.map(({ line, values }) => {
    const row = Row.safeParse({ ma: values.ma, ten: values.ten });
    if (!row.success || seen.has(row.data.ma)) throw new AppError("members.bad_csv", { line });
    seen.add(row.data.ma);
    return row.data;
  });
}

export interface AddMembersSummary {
  group: string;
  added: number;
  updated: number;
  unchanged: number;
}

/**
 * Members are agencies coded `<group>-<ma>` in the plan that report on the group's duties; in the
 * directory each is the unit of its official code `ma`, shared by every plan it is in.
 */
export async function addMembers(
  db: Db,
  planId: number,
  groupCode: string,
  rows: MemberRow[],
): Promise<AddMembersSummary> {
  return db.$transaction(
    async (tx) => {
      const group =
        (await tx.agency.findUnique({ where: { planId_code: { planId, code: groupCode } } })) ??
        (await tx.agency.findFirst({ where: { planId, directory: { code: groupCode.toUpperCase() } } }));
      if (!group || group.parentId !== null) throw new AppError("agency.unknown", { query: groupCode });
      const units = new Map(
        (await tx.directoryAgency.findMany({ where: { code: { in: rows.map((r) => r.ma) } } })).map((d) => [
          d.code,
          d.id,
        ]),
      );
      const existing = new Map(
        (await tx.agency.findMany({ where: { parentId: group.id } })).map((a) => [a.code, a] as const),
      );
      const summary: AddMembersSummary = { group: group.code, added: 0, updated: 0, unchanged: 0 };
      for (const [index, row] of rows.entries()) {
        const code = `${group.code}-${row.ma}`;
        const found = existing.get(code);
        if (!found) {
          const directoryId =
            units.get(row.ma) ?? (await tx.directoryAgency.create({ data: { code: row.ma, name: row.ten } })).id;
          await tx.agency.create({
            data: {
              planId,
              directoryId,
              code,
              name: row.ten,
              requested: group.requested,
              parentId: group.id,
              sortOrder: index,
            },
          });
          summary.added++;
        } else if (found.name !== row.ten || found.withdrawn) {
          await tx.agency.update({ where: { id: found.id }, data: { name: row.ten, withdrawn: false } });
          summary.updated++;
        } else {
          summary.unchanged++;
        }
      }
      return summary;
    },
    // The national list (3,321 communes, two writes each) takes longer than the default 5 s on PostgreSQL.
    { timeout: 120_000, maxWait: 30_000 },
  );
}
