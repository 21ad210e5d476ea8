import type { AppError } from "../errors.ts";
import type { Messages } from "./vi.ts";

/**
 * The one place that turns a coded error into words, shared by the chat and the CLI. Returns null
 * for a code that has no text of its own here, so each caller can fall back in its own way.
 */
export function describeError(t: Messages, error: AppError): string | null {
  const p = error.params;
  switch (error.code) {
    case "plan.none_active":
      return t.bot.errors["plan.none_active"];
    case "agency.unknown":
      return t.bot.errors["agency.unknown"](String(p.query ?? ""));
    case "agency.ambiguous":
      return t.bot.errors["agency.ambiguous"](String(p.query ?? ""), String(p.candidates ?? ""));
    case "contact.unknown":
      return t.bot.errors["contact.unknown"](String(p.id ?? ""));
    case "difficulty.unknown":
      return t.bot.difficulty.unknown(String(p.id ?? ""));
    case "difficulty.resolved":
      return t.bot.difficulty.alreadyResolved(String(p.id ?? ""));
    case "file.too_large":
      return t.bot.errors["file.too_large"];
    case "export.not_allowed":
      return t.reports.notAllowed(String(p.agency ?? ""));
    case "members.bad_csv":
      return t.cli.membersBadCsv(Number(p.line ?? 1));
    case "db.copy_source_not_sqlite":
      return t.cli.copy.sourceNotSqlite;
    case "db.copy_target_not_postgres":
      return t.cli.copy.targetNotPostgres;
    case "db.copy_target_not_empty":
      return t.cli.copy.targetNotEmpty(String(p.tables ?? ""));
    case "db.copy_count_mismatch":
      return t.cli.copy.countMismatch(String(p.table ?? ""), Number(p.expected ?? 0), Number(p.copied ?? 0));
    default:
      return null;
  }
}
