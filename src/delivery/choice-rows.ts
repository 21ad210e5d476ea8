// The core's rows of choices within what a platform takes in one message: a row wider than it
// allows is wrapped; when even then there are more rows than it allows, the choices are packed into
// full rows instead; and what is past its limits is left out.

export interface ChoiceRowLimits {
  perRow: number;
  maxRows?: number;
  maxButtons?: number;
}

export function choiceRows<C>(rows: readonly (readonly C[])[], limits: ChoiceRowLimits): C[][] {
  const { perRow, maxRows = Number.POSITIVE_INFINITY } = limits;
  const chunk = (items: readonly C[]): C[][] =>
    Array.from({ length: Math.ceil(items.length / perRow) }, (_, i) => items.slice(i * perRow, (i + 1) * perRow));
  const wrapped = rows.flatMap((row) => chunk(row));
  const laid = wrapped.length <= maxRows ? wrapped : chunk(rows.flat());
  let left = limits.maxButtons ?? Number.POSITIVE_INFINITY;
  const kept = laid.slice(0, Math.max(0, maxRows)).map((row) => {
    const shown = row.slice(0, Math.max(0, left));
    left -= shown.length;
    return shown;
  });
  return kept.filter((row) => row.length > 0);
}
