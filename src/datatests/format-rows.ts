/** Failing rows as a small aligned text table for the terminal. */

const MAX_CELL = 40;

export function formatRows(columns: string[], rows: Record<string, unknown>[]): string[] {
  if (!rows.length) return [];
  const names = columns.length ? columns : Object.keys(rows[0]!);
  const cells = rows.map((row) => names.map((name) => formatValue(row[name])));
  const widths = names.map((name, i) => Math.max(name.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  return [line(names), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line)];
}

export function formatValue(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = 'null';
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  text = text.replace(/\s+/g, ' ');
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}
