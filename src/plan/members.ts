import { parse } from "csv-parse/sync";
import { z } from "zod";
import type { Db } from "../db.ts";
import { AppError } from "../errors.ts";

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
  let records: Record<string, string>[];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), { columns: true, skip_empty_lines: true, trim: true }) as Record<
      string,
      string
    >[];
  } catch {
    throw new AppError("members.bad_csv", { line: 1 });
  }
  if (records.length === 0) throw new AppError("members.bad_csv", { line: 1 });
  const first = records[0]!;
  if (!("ma" in first) || !("ten" in first)) throw new AppError("members.bad_csv", { line: 1 });
  const seen = new Set<string>();
  return records.map((record, index) => {
    const row = Row.safeParse(record);
    if (!row.success || seen.has(row.data.ma)) throw new AppError("members.bad_csv", { line: index + 2 });
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

/** Members are agencies coded `<group>-<ma>` that report on the group's duties. */
export async function addMembers(
  db: Db,
  planId: number,
  groupCode: string,
  rows: MemberRow[],
): Promise<AddMembersSummary> {
  return db.$transaction(async (tx) => {
    const group = await tx.agency.findUnique({ where: { planId_code: { planId, code: groupCode } } });
    if (!group || group.parentId !== null) throw new AppError("agency.unknown", { query: groupCode });
    const existing = new Map(
      (await tx.agency.findMany({ where: { parentId: group.id } })).map((a) => [a.code, a] as const),
    );
    const summary: AddMembersSummary = { group: group.code, added: 0, updated: 0, unchanged: 0 };
    for (const [index, row] of rows.entries()) {
      const code = `${group.code}-${row.ma}`;
      const found = existing.get(code);
      if (!found) {
        await tx.agency.create({
          data: { planId, code, name: row.ten, requested: group.requested, parentId: group.id, sortOrder: index },
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
  });
}
