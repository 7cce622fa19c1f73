/**
 * The first record of a raw-landing CSV names the columns. Anything wrong with it
 * makes the whole file unloadable, so it is a ProjectError at file:1, not a reject.
 */
import { isUtf8 } from 'node:buffer';
import { ProjectError } from '../errors.js';
import { decodeFields, scanRecord, type ScanLimits } from './scan-record.js';

export const LINEAGE_COLUMNS = ['_source_file', '_source_line', '_loaded_at'] as const;
/** PostgreSQL's column limit per table, minus the lineage columns. */
export const MAX_DATA_COLUMNS = 1600 - LINEAGE_COLUMNS.length;
const MAX_IDENTIFIER_BYTES = 63;

export interface ParsedHeader {
  columns: string[];
  /** Where the first data record starts. */
  next: number;
  /** Physical lines the header spans. */
  lines: number;
}

/** The header at `start`, or undefined when more bytes are needed. */
export function readHeader(
  buf: Uint8Array,
  start: number,
  end: number,
  final: boolean,
  limits: ScanLimits & { maxRecordBytes: number },
  file: string,
): ParsedHeader | undefined {
  if (final && start >= end) {
    throw new ProjectError('seed file is empty: a raw landing seed needs at least a header line', {
      file,
      hint: 'write the column names on the first line, separated by commas',
    });
  }
  const max = limits.maxRecordBytes;
  const scanEnd = Math.min(end, start + max + 2);
  const scan = scanRecord(buf, start, scanEnd, final && scanEnd === end, limits);
  if (scan.kind === 'more' ? end - start >= max + 2 : scan.kind === 'record' && scan.contentEnd - start > max) {
    headerError(file, `the header is longer than max_record_bytes (${max} bytes)`);
  }
  if (scan.kind === 'more') return undefined;
  if (scan.kind === 'malformed') headerError(file, `cannot read the header: ${scan.message}`);
  const bytes = buf.subarray(start, scan.contentEnd);
  if (bytes.indexOf(0) >= 0) headerError(file, 'the header contains a NUL byte');
  if (!isUtf8(bytes)) headerError(file, 'the header is not valid UTF-8');
  const columns = decodeFields(buf, start, scan.contentEnd, limits.delimiter).map((name) => name.toString('utf8').trim());
  checkColumnNames(columns, file);
  return { columns, next: scan.next, lines: scan.lines };
}

export function checkColumnNames(columns: string[], file: string): void {
  if (columns.length > MAX_DATA_COLUMNS) {
    headerError(file, `the header has ${columns.length} columns; a PostgreSQL table holds at most ${MAX_DATA_COLUMNS} besides the lineage columns`);
  }
  const seen = new Map<string, number>();
  columns.forEach((column, index) => {
    const position = `column ${index + 1} of the header`;
    if (!column) headerError(file, `${position} has no name`, 'name every column in the first line');
    if (Buffer.byteLength(column) > MAX_IDENTIFIER_BYTES) {
      headerError(file, `${position} is longer than ${MAX_IDENTIFIER_BYTES} bytes, PostgreSQL's limit for a column name`, 'shorten the column name');
    }
    if ((LINEAGE_COLUMNS as readonly string[]).includes(column)) {
      headerError(file, `${position} is named "${column}", a lineage column tspipe adds`, 'rename the column in the file');
    }
    const first = seen.get(column);
    if (first !== undefined) {
      headerError(
        file,
        `column "${column}" appears twice in the header (columns ${first + 1} and ${index + 1})`,
        'give each column a unique name in the first line',
      );
    }
    seen.set(column, index);
  });
}

function headerError(file: string, message: string, hint = 'fix the first line of the file: it must be the column names'): never {
  throw new ProjectError(message, { file, line: 1, hint });
}
