/**
 * The strict CSV grammar (RFC 4180, as csv-parse reads it by default) for one record
 * starting at `start`: a field is either plain bytes without quotes, or a quoted
 * field where `""` is a quote and line breaks are data; a record ends at LF, CRLF or
 * a lone CR outside quotes. The record scanner runs it on every record.
 */
import * as csv from './csv-bytes.js';

// Local copies, so the byte loops read constants rather than import bindings
// (which some runtimes, e.g. test transforms, turn into property reads).
const { BACKSLASH, CR, LF, QUOTE } = csv;

export type RecordScan =
  /** The record may go on in bytes not read yet. */
  | { kind: 'more' }
  | {
      kind: 'record';
      /** End of the record's bytes, before its line break. */
      contentEnd: number;
      /** Where the next record starts. */
      next: number;
      /** Physical lines the record spans (more than 1 when a quoted field holds line breaks). */
      lines: number;
      fields: number;
      /** A backslash anywhere: COPY must get every field quoted (NULL marker, `\.`). */
      backslash: boolean;
    }
  | { kind: 'malformed'; code: 'bad_quote' | 'unterminated_quote'; message: string };

export interface ScanLimits {
  delimiter: number;
  /** A quoted field still open after this many lines is unterminated. */
  maxRecordLines: number;
}

/** `final`: no bytes follow `end` (end of file). */
export function scanRecord(buf: Uint8Array, start: number, end: number, final: boolean, limits: ScanLimits): RecordScan {
  const { delimiter, maxRecordLines } = limits;
  let i = start;
  let fields = 1;
  let lines = 1;
  let backslash = false;
  for (;;) {
    if (buf[i] === QUOTE && i < end) {
      const opened = i;
      i++;
      for (;;) {
        if (i >= end) {
          if (!final) return { kind: 'more' };
          return unterminated(`the quoted field ${fields} (byte ${opened - start + 1}) is still open at the end of the file`);
        }
        const b = buf[i];
        if (b === QUOTE) {
          if (i + 1 >= end && !final) return { kind: 'more' };
          if (buf[i + 1] === QUOTE && i + 1 < end) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (b === LF || b === CR) {
          if (b === CR && i + 1 < end && buf[i + 1] === LF) i++;
          else if (b === CR && i + 1 >= end && !final) return { kind: 'more' };
          if (++lines > maxRecordLines) {
            return unterminated(`the quoted field ${fields} (byte ${opened - start + 1}) is not closed within ${maxRecordLines} lines`);
          }
        } else if (b === BACKSLASH) backslash = true;
        i++;
      }
      if (i < end) {
        const after = buf[i]!;
        if (after !== delimiter && after !== LF && after !== CR) {
          return {
            kind: 'malformed',
            code: 'bad_quote',
            message: `field ${fields} goes on after its closing quote (byte ${i - start + 1})`,
          };
        }
      }
    } else {
      const stops = stopBytes(delimiter);
      for (; i < end; i++) {
        const b = buf[i]!;
        if (stops[b] === 0) continue; // one table read per plain byte: the common case
        if (b === delimiter || b === LF || b === CR) break;
        if (b === QUOTE) {
          return { kind: 'malformed', code: 'bad_quote', message: `a quote inside the unquoted field ${fields} (byte ${i - start + 1})` };
        }
        if (b === BACKSLASH) backslash = true;
      }
    }
    // At a delimiter, a line break, or the end of the bytes read so far.
    if (i >= end) {
      if (!final) return { kind: 'more' };
      return { kind: 'record', contentEnd: end, next: end, lines, fields, backslash };
    }
    const b = buf[i];
    if (b === delimiter) {
      fields++;
      i++;
      continue;
    }
    if (b === LF) return { kind: 'record', contentEnd: i, next: i + 1, lines, fields, backslash };
    // CR: alone or as CRLF; at the end of the bytes read, an LF may follow.
    if (i + 1 >= end && !final) return { kind: 'more' };
    return { kind: 'record', contentEnd: i, next: buf[i + 1] === LF && i + 1 < end ? i + 2 : i + 1, lines, fields, backslash };
  }
}

/** Bytes that end or change an unquoted field, per delimiter (a 256-byte table, made once). */
const STOP_TABLES = new Map<number, Uint8Array>();
function stopBytes(delimiter: number): Uint8Array {
  let table = STOP_TABLES.get(delimiter);
  if (!table) {
    table = new Uint8Array(256);
    for (const b of [delimiter, LF, CR, QUOTE, BACKSLASH]) table[b] = 1;
    STOP_TABLES.set(delimiter, table);
  }
  return table;
}

function unterminated(message: string): RecordScan {
  return { kind: 'malformed', code: 'unterminated_quote', message };
}

/** The fields of a record scanScan found well-formed, decoded (for the header and tests). */
export function decodeFields(buf: Uint8Array, start: number, contentEnd: number, delimiter: number): Buffer[] {
  const fields: Buffer[] = [];
  let i = start;
  for (;;) {
    if (i < contentEnd && buf[i] === QUOTE) {
      const parts: number[] = [];
      for (i++; i < contentEnd; i++) {
        if (buf[i] === QUOTE) {
          if (buf[i + 1] === QUOTE && i + 1 < contentEnd) i++;
          else {
            i++;
            break;
          }
        }
        parts.push(buf[i]!);
      }
      fields.push(Buffer.from(parts));
    } else {
      const from = i;
      while (i < contentEnd && buf[i] !== delimiter) i++;
      fields.push(Buffer.from(buf.subarray(from, i)));
    }
    if (i >= contentEnd) return fields;
    i++; // the delimiter
    if (i === contentEnd) {
      fields.push(Buffer.alloc(0));
      return fields;
    }
  }
}

/**
 * Writes a well-formed record with every field quoted (quotes inside already doubled
 * in the source stay doubled), so COPY reads backslashes as plain data.
 */
export function writeQuotedRecord(buf: Uint8Array, start: number, contentEnd: number, delimiter: number, out: Buffer, at: number): number {
  let i = start;
  for (;;) {
    out[at++] = QUOTE;
    if (i < contentEnd && buf[i] === QUOTE) {
      for (i++; i < contentEnd; i++) {
        if (buf[i] === QUOTE) {
          if (buf[i + 1] === QUOTE && i + 1 < contentEnd) {
            out[at++] = QUOTE;
            out[at++] = QUOTE;
            i++;
            continue;
          }
          i++;
          break;
        }
        out[at++] = buf[i]!;
      }
    } else {
      for (; i < contentEnd && buf[i] !== delimiter; i++) out[at++] = buf[i]!;
    }
    out[at++] = QUOTE;
    if (i >= contentEnd) return at;
    out[at++] = delimiter;
    i++;
    if (i === contentEnd) {
      out[at++] = QUOTE;
      out[at++] = QUOTE;
      return at;
    }
  }
}
