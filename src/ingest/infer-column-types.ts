/**
 * dbt's seed type inference (agate): each column becomes the narrowest of
 * integer, bigint, double precision, boolean, date, timestamp, text that fits every
 * non-empty value — a number with decimals is a double precision column, as
 * dbt-postgres makes it (float8), and a column of empty values is integer. Streams the
 * file, so memory stays flat.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { ProjectError } from '../errors.js';

const CANDIDATES = ['integer', 'bigint', 'double precision', 'boolean', 'date', 'timestamp', 'text'] as const;
export type InferredType = (typeof CANDIDATES)[number];

const INTEGER = /^[-+]?\d+$/;
const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
const INT32_MAX = 2147483647n;

const FITS: Record<InferredType, (value: string) => boolean> = {
  integer: (v) => INTEGER.test(v) && absBig(v) <= INT32_MAX,
  bigint: (v) => INTEGER.test(v) && absBig(v) <= 9223372036854775807n,
  'double precision': (v) => NUMERIC.test(v),
  boolean: (v) => BOOLEAN.test(v),
  date: (v) => DATE.test(v) && !Number.isNaN(Date.parse(v)),
  timestamp: (v) => TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T'))),
  text: () => true,
};

/** Which types can follow which when a value does not fit (numbers widen; others fall to text). */
const WIDER: Record<InferredType, InferredType[]> = {
  integer: ['bigint', 'double precision', 'text'],
  bigint: ['double precision', 'text'],
  'double precision': ['text'],
  boolean: ['text'],
  date: ['timestamp', 'text'],
  timestamp: ['text'],
  text: [],
};

export interface InferredSeed {
  columns: string[];
  types: InferredType[];
  rows: number;
}

export async function inferColumnTypes(absolutePath: string, displayPath: string, delimiter = ','): Promise<InferredSeed> {
  const parser = createReadStream(absolutePath).pipe(parse({ delimiter, bom: true, relax_column_count: false }));
  let columns: string[] | undefined;
  let types: (InferredType | undefined)[] = [];
  let rows = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!columns) {
        columns = record.map((c) => c.trim());
        checkHeader(columns, displayPath);
        types = columns.map(() => undefined);
        continue;
      }
      rows++;
      record.forEach((value, i) => {
        if (value === '' || value.toLowerCase() === 'null') return;
        types[i] = narrowestFit(types[i], value);
      });
    }
  } catch (error) {
    const err = error as { message: string; lines?: number };
    throw new ProjectError(`cannot read seed: ${err.message}`, {
      file: displayPath,
      line: err.lines,
      hint: 'fix the CSV (quotes and column counts), or configure the seed as a raw landing table',
    });
  }
  if (!columns) throw new ProjectError('seed file is empty: it needs at least a header line', { file: displayPath, line: 1 });
  // A column with no value at all: agate's first type takes it, so dbt-postgres makes it integer.
  return { columns, types: types.map((t) => t ?? 'integer'), rows };
}

function narrowestFit(current: InferredType | undefined, value: string): InferredType {
  if (current === undefined) return CANDIDATES.find((type) => FITS[type](value))!;
  if (FITS[current](value)) return current;
  return WIDER[current].find((type) => FITS[type](value)) ?? 'text';
}

function checkHeader(columns: string[], file: string): void {
  const seen = new Set<string>();
  columns.forEach((column, index) => {
    if (!column) throw new ProjectError(`column ${index + 1} of the header has no name`, { file, line: 1, hint: 'name every column in the first line' });
    if (seen.has(column)) throw new ProjectError(`column "${column}" appears twice in the header`, { file, line: 1, hint: 'give each column a unique name' });
    seen.add(column);
  });
}

function absBig(value: string): bigint {
  const n = BigInt(value.replace(/^\+/, ''));
  return n < 0n ? -n : n;
}
