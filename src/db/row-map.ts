// Rows read by hand (driver-access.ts) as the models Prisma would give. A table lists a reader for
// every field of its model, so a column added to the schema fails to compile here until it is read.

/** One column's value as either driver gives it, read as the model's field. */
export type Column<T> = (value: unknown) => T;

export const int: Column<number> = (value) => Number(value);
/** Text columns come as text from either driver. */
export const text: Column<string> = (value) => value as string;
/** SQLite's 0 or 1 (as a number or text), PostgreSQL's own boolean. */
export const bool: Column<boolean> = (value) => value === true || value === 1 || value === "1" || value === 1n;

/** A zone-less timestamp (SQLite's CURRENT_TIMESTAMP) is UTC, as Prisma reads it, not local time. */
const NO_ZONE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Text with its offset from either adapter, milliseconds from older SQLite writers, or a Date from Prisma. */
export const date: Column<Date> = (value) => {
  if (value instanceof Date) return value;
  if (typeof value === "string") return new Date(NO_ZONE.test(value) ? `${value.replace(" ", "T")}Z` : value);
  return new Date(Number(value));
};

/**
 * An instant as Prisma's adapters bind it, so rows written by hand read back the same: SQLite keeps
 * the text with its offset; PostgreSQL's timestamp column (without time zone) keeps the UTC wall
 * time and ignores the offset, which is how Prisma stores DateTime there.
 */
export function instantArg(value: Date): string {
  return value.toISOString().replace("Z", "+00:00");
}

export function nullable<T>(column: Column<T>): Column<T | null> {
  return (value) => (value === null || value === undefined ? null : column(value));
}

export type Columns<T> = { [K in keyof T]-?: Column<T[K]> };

export interface Table<T> {
  name: string;
  /** The fields and their readers, in the order of `selectList`. */
  readers: readonly (readonly [keyof T & string, Column<unknown>])[];
}

export function table<T>(name: string, columns: Columns<T>): Table<T> {
  return { name, readers: Object.entries(columns) as [keyof T & string, Column<unknown>][] };
}

/**
 * The table's columns, in the order `readModel` expects them; qualified by `alias` and named for
 * it too, for a join: Prisma's raw query gives a row as an object, where a second "id" would
 * replace the first.
 */
export function selectList<T>(of: Table<T>, alias?: string): string {
  return of.readers
    .map(([column]) => (alias ? `${alias}."${column}" AS "${alias}_${column}"` : `"${column}"`))
    .join(", ");
}

/** The model from `row`'s values at `offset`, in `selectList`'s order. */
export function readModel<T>(of: Table<T>, row: readonly unknown[], offset = 0): T {
  const model: Record<string, unknown> = {};
  for (let i = 0; i < of.readers.length; i++) {
    const [field, read] = of.readers[i]!;
    model[field] = read(row[offset + i]);
  }
  return model as T;
}
