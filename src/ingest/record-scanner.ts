/**
 * Turns a CSV byte stream into COPY input for a raw landing table, record by record:
 * each loadable record goes out as it was, plus its line number as a last field;
 * each other record is handed to `onReject`. Streams: it holds at most one pending
 * record (bounded by maxRecordBytes) besides the chunk being scanned.
 *
 * Rules (see README.md):
 * - A record is one physical line, or several when a quoted field holds line breaks
 *   (at most maxRecordLines). Lines end at LF, CRLF or a lone CR.
 * - A record that cannot be loaded is rejected as its *first physical line* only, and
 *   scanning resumes at the next line, read as the start of a new record. So an
 *   unbalanced quote costs one line, never the rest of the file.
 * - Every data line ends up in exactly one loaded record or one reject:
 *   records = loaded + rejected, lines = header lines + lines of loaded records + rejected.
 */
import { isUtf8 } from 'node:buffer';
import { CR, endOfLine, LF, NUL, writeLineNumber } from './csv-bytes.js';
import { readHeader } from './landing-header.js';
import type { RejectCode, RejectedRecord } from './reject-reasons.js';
import { scanRecord, writeQuotedRecord, type ScanLimits } from './scan-record.js';
import { firstInvalidUtf8 } from './utf8.js';

export interface ScannerOptions extends ScanLimits {
  /** Path shown in header errors. */
  file: string;
  /** A record (or a line) longer than this is rejected without being held whole. */
  maxRecordBytes: number;
}

export interface ScanCounts {
  /** Physical lines read, header included. */
  lines: number;
  /** Data records read (header excluded) = loaded + rejected. */
  records: number;
  loaded: number;
  rejected: number;
}

/** Where scanning stands in the chunk: input offset, output offset, line number at pos, records loaded. */
interface RunState {
  pos: number;
  o: number;
  line: number;
  loaded: number;
}

const EMPTY = Buffer.alloc(0);
const BOM = [0xef, 0xbb, 0xbf];
/** How much of an over-long line is kept in raw_text. */
const TOO_LARGE_PREFIX_BYTES = 4096;

export class RecordScanner {
  header?: string[];
  readonly counts: ScanCounts = { lines: 0, records: 0, loaded: 0, rejected: 0 };
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** An incomplete record is rescanned only once this many bytes wait (doubling: linear time). */
  private retryAt = 0;
  /** Line number where the pending bytes start. */
  private line = 1;
  private bomChecked = false;
  /** Skipping the rest of a line longer than maxRecordBytes. */
  private discarding = false;
  private expected = 0;

  constructor(
    private readonly options: ScannerOptions,
    private readonly onReject: (reject: RejectedRecord) => void,
  ) {}

  /** COPY input for the records completed by `chunk` (often empty while the header is read). */
  push(chunk: Buffer): Buffer {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.retryAt) return EMPTY;
    return this.process(false);
  }

  /** COPY input for whatever is left at the end of the file. */
  end(): Buffer {
    return this.process(true);
  }

  private process(final: boolean): Buffer {
    let buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.bomChecked) {
      if (buf.length < BOM.length && !final) return this.keep(buf, 0);
      if (BOM.every((b, i) => buf[i] === b)) buf = buf.subarray(BOM.length);
      this.bomChecked = true;
    }
    let pos = 0;
    if (!this.header) {
      const header = readHeader(buf, 0, buf.length, final, this.options, this.options.file);
      if (!header) return this.keep(buf, 0);
      this.header = header.columns;
      this.expected = header.columns.length;
      this.line += header.lines;
      pos = header.next;
    }
    return this.scanData(buf, pos, final);
  }

  private scanData(buf: Buffer, pos: number, final: boolean): Buffer {
    const n = buf.length;
    // Chunk-wide UTF-8 check with one native call, up to the last line break: when it
    // passes, no record before it needs its own check.
    const lastBreak = Math.max(buf.lastIndexOf(LF), buf.lastIndexOf(CR)) + 1;
    const validEnd = lastBreak > pos && isUtf8(buf.subarray(pos, lastBreak)) ? lastBreak : 0;
    const nul = new NextNul(buf);
    let out: Buffer = Buffer.allocUnsafe(Math.ceil((n - pos) * 1.2) + 64);
    const run: RunState = { pos, o: 0, line: this.line, loaded: 0 };

    while (run.pos < n) {
      if (this.discarding) {
        const eol = endOfLine(buf, run.pos, n, final);
        if (!eol) {
          run.pos = buf[n - 1] === CR ? n - 1 : n; // keep a CR that may start a CRLF
          break;
        }
        this.discarding = false;
        run.pos = eol.next;
        continue;
      }
      const next = this.nextRecord(buf, final, validEnd, nul, run, out);
      if (!next) break;
      out = next;
    }

    this.counts.loaded += run.loaded;
    this.counts.records += run.loaded;
    this.line = run.line;
    this.counts.lines = run.line - 1;
    this.keep(buf, run.pos);
    return out.subarray(0, run.o);
  }

  /**
   * The grammar and the checks for the one record at run.pos: loads it, or rejects
   * its first line. Returns `out` (or a bigger copy), or undefined when it needs
   * bytes not read yet.
   */
  private nextRecord(buf: Buffer, final: boolean, validEnd: number, nul: NextNul, run: RunState, out: Buffer): Buffer | undefined {
    const n = buf.length;
    const { pos } = run;
    // Scan at most maxRecordBytes (+ a line break), so the decision never depends on
    // how the file was cut into chunks.
    const max = this.options.maxRecordBytes;
    const scanEnd = Math.min(n, pos + max + 2);
    const scan = scanRecord(buf, pos, scanEnd, final && scanEnd === n, this.options);
    const tooLarge = scan.kind === 'more' ? n - pos >= max + 2 : scan.kind === 'record' && scan.contentEnd - pos > max;
    if (tooLarge) {
      this.rejectTooLarge(buf, pos, run);
      return out;
    }
    if (scan.kind === 'more') return undefined;
    let problem: { code: RejectCode; message: string } | undefined;
    if (scan.kind === 'malformed') problem = scan;
    else {
      problem = this.check(buf, pos, scan.contentEnd, scan.fields, scan.contentEnd <= validEnd, nul.from(pos));
      if (!problem) {
        const { delimiter } = this.options;
        const size = scan.contentEnd - pos;
        if (out.length - run.o < 3 * size + 32) out = grow(out, run.o, 3 * size + 32);
        if (scan.backslash) run.o = writeQuotedRecord(buf, pos, scan.contentEnd, delimiter, out, run.o);
        else run.o = copyBytes(buf, pos, scan.contentEnd, out, run.o);
        run.o = writeLineNumber(out, run.o, delimiter, run.line);
        run.line += scan.lines;
        run.loaded++;
        run.pos = scan.next;
        return out;
      }
    }
    // Rejected: only the record's first line, then read on from the next line.
    const eol = endOfLine(buf, pos, n, final);
    if (!eol) return undefined; // the first line is not complete yet: wait for it
    this.reject(buf, pos, eol.contentEnd, run, problem.code, problem.message);
    run.pos = eol.next;
    return out;
  }

  /**
   * A record over maxRecordBytes: if its first line fits, a quoted field ran on past
   * the limit (rejected like any unterminated quote); else the line itself is too
   * long, and only its start is kept while the rest of it is skipped.
   */
  private rejectTooLarge(buf: Buffer, pos: number, run: RunState): void {
    const max = this.options.maxRecordBytes;
    const eol = endOfLine(buf, pos, Math.min(buf.length, pos + max + 2), false);
    if (eol && eol.contentEnd - pos <= max) {
      this.reject(buf, pos, eol.contentEnd, run, 'unterminated_quote', `a quoted field runs on past max_record_bytes (${max} bytes)`);
      run.pos = eol.next;
      return;
    }
    const message = `the line is longer than max_record_bytes (${max} bytes); raw_text holds its first ${TOO_LARGE_PREFIX_BYTES} bytes`;
    this.reject(buf, pos, pos + Math.min(TOO_LARGE_PREFIX_BYTES, max), run, 'record_too_large', message);
    this.discarding = true;
    run.pos = pos + max; // no line break before this: skip from here to the end of the line
  }

  /** Why a well-formed record cannot be loaded, if it cannot. */
  private check(
    buf: Buffer,
    start: number,
    end: number,
    fields: number,
    utf8Checked: boolean,
    nulAt: number,
  ): { code: RejectCode; message: string } | undefined {
    if (nulAt < end) return { code: 'nul_byte', message: `a NUL byte (0x00) at byte ${nulAt - start + 1}` };
    if (!utf8Checked && !isUtf8(buf.subarray(start, end))) {
      const at = firstInvalidUtf8(buf, start, end);
      return { code: 'invalid_utf8', message: `invalid UTF-8 at byte ${at - start + 1} (0x${buf[at]!.toString(16).padStart(2, '0')})` };
    }
    if (fields === this.expected) return undefined;
    if (end === start) return { code: 'blank_line', message: `the line is empty; the header has ${this.expected} columns` };
    return fields < this.expected
      ? { code: 'too_few_fields', message: `${fields} fields where the header has ${this.expected}` }
      : { code: 'too_many_fields', message: `${fields} fields where the header has ${this.expected}` };
  }

  private reject(buf: Buffer, start: number, end: number, run: RunState, code: RejectCode, message: string): void {
    this.onReject({ line: run.line, code, message, raw: buf.subarray(start, Math.min(end, buf.length)) });
    this.counts.rejected++;
    this.counts.records++;
    run.line++;
  }

  /** Keeps the unscanned tail (copied, so the big chunk can be freed) and returns no output. */
  private keep(buf: Buffer, from: number): Buffer {
    const rest = buf.length - from;
    if (rest > 0) {
      this.pending = [from === 0 ? buf : Buffer.from(buf.subarray(from))];
      this.pendingBytes = rest;
    }
    this.retryAt = Math.min(2 * rest, this.options.maxRecordBytes + 2);
    return EMPTY;
  }
}

/** Where the next NUL byte is, found once per NUL by a native search (not per record). */
class NextNul {
  private at = -1;
  constructor(private readonly buf: Buffer) {}

  from(pos: number): number {
    if (this.at < pos) {
      const at = this.buf.indexOf(NUL, pos);
      this.at = at < 0 ? Infinity : at;
    }
    return this.at;
  }
}

/** Short records copy faster in a loop than through Buffer#copy's per-call checks. */
function copyBytes(buf: Buffer, start: number, end: number, out: Buffer, at: number): number {
  if (end - start > 256) return at + buf.copy(out, at, start, end);
  for (let i = start; i < end; i++) out[at++] = buf[i]!;
  return at;
}

function grow(out: Buffer, used: number, need: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(2 * out.length, used + need));
  out.copy(bigger, 0, 0, used);
  return bigger;
}
