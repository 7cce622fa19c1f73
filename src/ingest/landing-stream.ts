/**
 * Opens a CSV file for the raw landing: reads just far enough to know the header
 * (the landing table needs its columns before COPY starts), then streams the COPY
 * input record by record, never holding the file.
 */
import { createReadStream } from 'node:fs';
import type { RejectedRecord } from './reject-reasons.js';
import { RecordScanner, type ScanCounts, type ScannerOptions } from './record-scanner.js';

const READ_CHUNK_BYTES = 1024 * 1024;

export interface LandingStream {
  columns: string[];
  /** COPY input: the loadable records, each followed by its line number. Iterate once. */
  copyInput: AsyncIterable<Buffer>;
  /** Final once copyInput is exhausted. */
  counts: ScanCounts;
  close(): void;
}

export async function openLandingStream(absolutePath: string, options: ScannerOptions, onReject: (reject: RejectedRecord) => void): Promise<LandingStream> {
  const file = createReadStream(absolutePath, { highWaterMark: READ_CHUNK_BYTES });
  const chunks = (file as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const scanner = new RecordScanner(options, onReject);
  const first: Buffer[] = [];
  let ended = false;
  try {
    while (!scanner.header) {
      const next = await chunks.next();
      if (next.done) {
        ended = true;
        first.push(scanner.end()); // throws for an empty file or a bad header
        break;
      }
      first.push(scanner.push(next.value));
    }
  } catch (error) {
    file.destroy();
    throw error;
  }

  async function* copyInput(): AsyncGenerator<Buffer> {
    try {
      for (const buf of first) if (buf.length) yield buf;
      if (ended) return;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        const out = scanner.push(next.value);
        if (out.length) yield out;
      }
      const last = scanner.end();
      if (last.length) yield last;
    } finally {
      file.destroy();
    }
  }

  return { columns: scanner.header!, copyInput: copyInput(), counts: scanner.counts, close: () => file.destroy() };
}
