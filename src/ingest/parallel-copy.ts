/**
 * Several COPY streams into one table at once, the design of timescaledb-parallel-copy:
 * the input is cut into record-aligned chunks and N connections each COPY whichever
 * chunk comes next, so PostgreSQL parses the CSV on N backends instead of one.
 *
 * The chunks come from one sequential source (the record scanner: line numbers and
 * rejects need the file read in order, and scanning is cheaper than the server's
 * parsing); each chunk holds whole records, so any stream may take any chunk.
 */
import type { CopyTarget, DbAdapter } from '../contract/index.js';

/** More streams than this gain nothing on the servers we measured (see BENCHMARKS.md). */
export const MAX_COPY_STREAMS = 4;
/** A stream per this many bytes of input at most: small files load on one connection. */
const BYTES_PER_STREAM = 8 * 1024 * 1024;

/**
 * How many COPY streams a file of `bytes` gets: 1 on PGlite (one connection), else the
 * seed's `copy_streams` or one per 8 MiB up to MAX_COPY_STREAMS, never more than the
 * connections of the pool (`--threads`).
 */
export function copyStreamCount(adapter: DbAdapter, bytes: number, configured?: number): number {
  if (!adapter.capabilities.concurrent) return 1;
  const wanted = configured ?? Math.min(MAX_COPY_STREAMS, Math.ceil(bytes / BYTES_PER_STREAM));
  return Math.max(1, Math.min(wanted, adapter.capabilities.maxConnections));
}

/**
 * COPYs `source` into `target` on `streams` connections at once, each outside a
 * transaction, so the table must already be committed (others cannot see it before).
 * Returns the rows each stream copied (a stream may get no chunk of a short input). Waits for every stream before it returns or throws: the
 * caller may drop the table right after. After a failure the table holds part of the
 * input, so the caller must drop it.
 */
export async function copyInParallel(adapter: DbAdapter, target: CopyTarget, source: AsyncIterable<Buffer>, streams: number): Promise<number[]> {
  const chunks = source[Symbol.asyncIterator]();
  let failed = false;
  // Async generators queue concurrent next() calls, so the streams share one iterator
  // safely, each taking the next chunk when its connection is ready for more.
  async function* share(): AsyncGenerator<Buffer> {
    while (!failed) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const copies = Array.from({ length: streams }, () =>
    adapter.copyFrom(target, share()).catch((error: unknown) => {
      failed = true; // the other streams stop at their next chunk
      throw error;
    }),
  );
  const results = await Promise.allSettled(copies);
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
  return results.map((r) => (r as PromiseFulfilledResult<number>).value);
}
