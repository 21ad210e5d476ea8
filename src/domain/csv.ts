import { CsvError, parse } from "csv-parse/sync";

export interface CsvRow {
  /** Line in the file where the record ends (the same line unless a quoted field spans lines). */
  line: number;
  values: Record<string, string>;
}

export type CsvProblem = "empty" | "missing_column" | "repeated_column" | "unreadable";

export class CsvReadError extends Error {
  constructor(
    readonly problem: CsvProblem,
    readonly line: number | null,
    readonly column: string | null = null,
  ) {
    super(`${problem}${column ? ` (${column})` : ""}${line ? ` at line ${line}` : ""}`);
    this.name = "CsvReadError";
  }
}

/**
 * Reads a CSV with a header row (BOM, CRLF or LF, quoted fields), checking that the `required`
 * columns are each there exactly once; other columns are kept but may be ignored by the caller.
 * Header names are matched case-insensitively; values are trimmed.
 */
export function readCsv(text: string, required: readonly string[]): CsvRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // csv-parse's types do not follow the `info` option: with it, each record comes with its position.
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new CsvReadError(
      "unreadable",
      error instanceof CsvError ? ((error as CsvError & { lines?: number }).lines ?? null) : null,
    );
  }
  const [header, ...rows] = records.filter((r) => r.record.some((f) => f !== ""));
  if (!header) throw new CsvReadError("empty", null);
  const names = header.record.map((name) => name.toLowerCase());
  for (const column of required) {
    const first = names.indexOf(column);
    if (first < 0) throw new CsvReadError("missing_column", header.info.lines, column);
    if (names.lastIndexOf(column) !== first) throw new CsvReadError("repeated_column", header.info.lines, column);
  }
  return rows.map(({ record, info }) => ({
    line: info.lines,
    values: Object.fromEntries(names.map((name, i) => [name, record[i] ?? ""])),
  }));
}
