/**
 * Holds the rejected records of one load as COPY-ready CSV rows for `load_rejects`
 * until the data COPY is done (one connection runs one COPY at a time). Beyond a
 * small memory budget the rows spill to a temporary file, so a file that is all
 * rejects still loads in flat memory.
 */
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RejectedRecord } from './reject-reasons.js';

export const REJECT_COLUMNS = ['source_file', 'source_line', 'reason', 'detail', 'raw_text', 'loaded_at'] as const;
const MEMORY_BUDGET_BYTES = 4 * 1024 * 1024;

export class RejectSink {
  count = 0;
  private rows: string[] = [];
  private rowBytes = 0;
  private spill?: { dir: string; file: string; fd: number };

  constructor(
    private readonly file: string,
    private readonly loadedAt: string,
  ) {}

  readonly add = (reject: RejectedRecord): void => {
    // raw_text is text: invalid UTF-8 becomes U+FFFD, and so does NUL (the reason says where).
    const raw = Buffer.from(reject.raw).toString('utf8').replace(/\0/g, '\uFFFD');
    const row = [this.file, String(reject.line), reject.code, reject.message, raw, this.loadedAt].map(quoted).join(',') + '\n';
    this.rows.push(row);
    this.rowBytes += row.length;
    this.count++;
    if (this.rowBytes > MEMORY_BUDGET_BYTES) this.flushToDisk();
  };

  /** The rows, once: first what spilled to disk, then what is still in memory. */
  async *drain(): AsyncGenerator<Buffer | string> {
    if (this.spill) {
      closeSync(this.spill.fd);
      this.spill.fd = -1;
      yield* createReadStream(this.spill.file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>;
    }
    if (this.rows.length) yield this.rows.join('');
    this.rows = [];
  }

  dispose(): void {
    if (!this.spill) return;
    if (this.spill.fd >= 0) closeSync(this.spill.fd);
    rmSync(this.spill.dir, { recursive: true, force: true });
    this.spill = undefined;
  }

  private flushToDisk(): void {
    if (!this.spill) {
      const dir = mkdtempSync(path.join(tmpdir(), 'tspipe-rejects-'));
      const file = path.join(dir, 'rejects.csv');
      this.spill = { dir, file, fd: openSync(file, 'w') };
    }
    writeSync(this.spill.fd, this.rows.join(''));
    this.rows = [];
    this.rowBytes = 0;
  }
}

function quoted(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}
