/**
 * A unit test's rows as SQL: each row a select of literals cast to the column types
 * of the relation it stands for (columns left out are nulls of their type), rows joined
 * with union all, as dbt builds its fixtures. CSV text is read with csv-parse (empty
 * fields are nulls); SQL fixtures are used as written.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { quoteIdentifier, quoteLiteral } from '../contract/index.js';
import { ProjectError } from '../errors.js';
import type { UnitTestRows } from '../parse/manifest.js';

export interface FixtureColumn {
  name: string;
  type: string;
}

/** The rows as column → value maps (CSV values are text; empty is null). */
export function fixtureRecords(rows: UnitTestRows): Record<string, unknown>[] {
  if (rows.format === 'dict') return rows.rows as Record<string, unknown>[];
  if (rows.format === 'csv') {
    const records = parseCsv(String(rows.rows).trim(), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
    return records.map((record) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v === '' ? null : v])));
  }
  throw new Error('SQL fixtures have no records');
}

/** Column names a fixture gives values for, in first-seen order. */
export function fixtureColumnNames(rows: UnitTestRows): string[] {
  if (rows.format === 'csv') return (parseCsv(String(rows.rows).trim(), { to_line: 1 }) as string[][])[0]?.map((c) => c.trim()) ?? [];
  const names: string[] = [];
  for (const record of fixtureRecords(rows)) for (const name of Object.keys(record)) if (!names.includes(name)) names.push(name);
  return names;
}

/**
 * SELECT for the fixture, typed by `columns` (the input relation's). Without known
 * columns (a source tspipe cannot see), the types come from the values themselves.
 */
export function fixtureSql(rows: UnitTestRows, columns: FixtureColumn[] | undefined, label: string): string {
  if (rows.format === 'sql') return String(rows.rows).trim().replace(/;\s*$/, '');
  const records = fixtureRecords(rows);
  const known = columns ?? inferColumns(records);
  const byName = new Map(known.map((c) => [c.name.toLowerCase(), c]));
  for (const name of fixtureColumnNames(rows)) {
    if (!byName.has(name.toLowerCase())) {
      throw new ProjectError(`${label}: column "${name}" is not a column of the input (it has ${known.map((c) => c.name).join(', ') || 'no columns'})`, {
        hint: 'check the column name in the fixture rows',
      });
    }
  }
  const selectOf = (record: Record<string, unknown> | undefined) =>
    `select ${known
      .map((column) => {
        const value = record ? cellOf(record, column.name) : null;
        return `cast(${literal(value)} as ${column.type}) as ${quoteIdentifier(column.name)}`;
      })
      .join(', ')}`;
  if (records.length === 0) return `${selectOf(undefined)} where false`;
  return records.map(selectOf).join('\nunion all\n');
}

function cellOf(record: Record<string, unknown>, column: string): unknown {
  if (Object.hasOwn(record, column)) return record[column];
  const key = Object.keys(record).find((k) => k.toLowerCase() === column.toLowerCase());
  return key === undefined ? null : record[key];
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return quoteLiteral(value.toISOString());
  if (typeof value === 'object') return quoteLiteral(JSON.stringify(value));
  return quoteLiteral(String(value));
}

function inferColumns(records: Record<string, unknown>[]): FixtureColumn[] {
  const types = new Map<string, string>();
  for (const record of records) {
    for (const [name, value] of Object.entries(record)) {
      const type = typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'numeric') : 'text';
      const seen = types.get(name);
      if (value === null || value === undefined) {
        if (!seen) types.set(name, 'text');
      } else if (!seen || seen === 'text') types.set(name, type);
      else if (seen !== type) types.set(name, seen === 'integer' && type === 'numeric' ? 'numeric' : 'text');
    }
  }
  return [...types].map(([name, type]) => ({ name, type }));
}
