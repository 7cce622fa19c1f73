/**
 * Runs the RecordScanner over a whole input in chunks of a given size and decodes
 * its COPY output back into rows (with csv-parse, as an independent reader).
 */
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { RecordScanner, type ScanCounts, type ScannerOptions } from '../../../src/ingest/record-scanner.js';
import type { RejectedRecord } from '../../../src/ingest/reject-reasons.js';

export interface ScanResult {
  header?: string[];
  rows: { line: number; fields: string[] }[];
  rejects: { line: number; code: string; message: string; raw: string; rawBytes: Buffer }[];
  counts: ScanCounts;
  copy: Buffer;
}

export const DEFAULTS: ScannerOptions = { file: 'seeds/t.csv', delimiter: 0x2c, maxRecordLines: 100, maxRecordBytes: 64 * 1024 * 1024 };

export function scanAll(input: string | Buffer, options: Partial<ScannerOptions> = {}, chunkSize = Infinity): ScanResult {
  const rejects: ScanResult['rejects'] = [];
  const scanner = new RecordScanner({ ...DEFAULTS, ...options }, (r: RejectedRecord) => {
    const rawBytes = Buffer.from(r.raw);
    rejects.push({ line: r.line, code: r.code, message: r.message, raw: rawBytes.toString('utf8'), rawBytes });
  });
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const out: Buffer[] = [];
  const step = Number.isFinite(chunkSize) ? chunkSize : Math.max(1, bytes.length);
  for (let i = 0; i < bytes.length; i += step) out.push(Buffer.from(scanner.push(bytes.subarray(i, i + step))));
  out.push(Buffer.from(scanner.end()));
  const copy = Buffer.concat(out);
  const delimiter = String.fromCharCode(options.delimiter ?? DEFAULTS.delimiter);
  const records = copy.length ? (parse(copy, { delimiter, relax_column_count: true }) as string[][]) : [];
  return {
    header: scanner.header,
    rows: records.map((r) => ({ line: Number(r[r.length - 1]), fields: r.slice(0, -1) })),
    rejects,
    counts: { ...scanner.counts },
    copy,
  };
}

/** Physical lines of a file: LF, CRLF and lone CR end a line; a final line break adds none. */
export function physicalLines(input: string | Buffer): number {
  const text = typeof input === 'string' ? input : input.toString('latin1');
  if (!text.length) return 0;
  return text.split(/\r\n|\n|\r/).length - (/(\r\n|\n|\r)$/.test(text) ? 1 : 0);
}

/** Lines a record spans: line breaks inside its (quoted) fields, counted field by field. */
export function span(fields: string[]): number {
  return 1 + fields.reduce((sum, f) => sum + (f.match(/\r\n|\n|\r/g)?.length ?? 0), 0);
}

/**
 * The conservation rule: records = loaded + rejected, and every physical line after
 * the header belongs to exactly one loaded record or one reject.
 */
export function expectConserved(result: ScanResult, input: string | Buffer, headerLines = 1): void {
  const { counts } = result;
  expect(counts.records).toBe(counts.loaded + counts.rejected);
  expect(result.rows).toHaveLength(counts.loaded);
  expect(result.rejects).toHaveLength(counts.rejected);
  const lines = physicalLines(input);
  expect(counts.lines).toBe(lines);
  const owner = new Array<number>(lines + 1).fill(0);
  for (let l = 1; l <= Math.min(headerLines, lines); l++) owner[l]++;
  for (const row of result.rows) for (let l = row.line; l < row.line + span(row.fields); l++) owner[l]++;
  for (const reject of result.rejects) owner[reject.line]++;
  expect(owner.slice(1)).toEqual(new Array(lines).fill(1));
}

/** Same result whatever the chunk sizes. */
export function scanEverywhere(input: string | Buffer, options: Partial<ScannerOptions> = {}): ScanResult {
  const whole = scanAll(input, options);
  const bytes = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  for (const size of bytes > 50_000 ? [7, 64, 4096] : [1, 2, 3, 7, 64, 4096]) {
    const chunked = scanAll(input, options, size);
    expect(comparable(chunked), `chunks of ${size} bytes`).toEqual(comparable(whole));
  }
  return whole;
}

function comparable(result: ScanResult): unknown {
  return { ...result, copy: result.copy.toString('latin1'), rejects: result.rejects.map(({ rawBytes: _, ...r }) => r) };
}
