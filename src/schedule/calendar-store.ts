import type { Db } from "../db/db.ts";
import { createWorkCalendar, type CalendarEntry, type WorkCalendar } from "./calendar.ts";

export async function loadWorkCalendar(db: Db): Promise<WorkCalendar> {
  const rows = await db.calendarDay.findMany({ orderBy: { date: "asc" } });
  return createWorkCalendar(rows.map((r) => ({ date: r.date, kind: r.kind as CalendarEntry["kind"], name: r.name })));
}

/** Adds or corrects days; a coordinator extends the calendar each year when the Government announces it. */
export async function importCalendar(
  db: Db,
  entries: readonly CalendarEntry[],
): Promise<{ added: number; updated: number; unchanged: number }> {
  const existing = new Map((await db.calendarDay.findMany()).map((r) => [r.date, r]));
  const summary = { added: 0, updated: 0, unchanged: 0 };
  await db.$transaction(async (tx) => {
    for (const e of entries) {
      const row = existing.get(e.date);
      if (!row) {
        await tx.calendarDay.create({ data: e });
        summary.added++;
      } else if (row.kind !== e.kind || row.name !== e.name) {
        await tx.calendarDay.update({ where: { date: e.date }, data: { kind: e.kind, name: e.name } });
        summary.updated++;
      } else {
        summary.unchanged++;
      }
    }
  });
  return summary;
}
