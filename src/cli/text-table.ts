/**
 * Rows as a Markdown-style text table, as `dbt show` prints them: numbers right-aligned,
 * NULL as an empty cell, long cells cut so a row stays readable.
 */
const MAX_CELL = 40;

export function textTable(columns: string[], rows: Record<string, unknown>[]): string {
  const cells = rows.map((row) => columns.map((column) => cellText(row[column])));
  const numeric = columns.map(
    (column) => rows.length > 0 && rows.every((row) => row[column] === null || typeof row[column] === 'number' || typeof row[column] === 'bigint'),
  );
  const widths = columns.map((column, i) => Math.max(3, column.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) => `| ${values.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(' | ')} |`;
  return [line(columns), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.map(line)].join('\n');
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}
