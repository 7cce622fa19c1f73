import type { ConnectionSpec, DbAdapter } from '../contract/index.js';
export { describeConnection } from './connection-url.js';

export interface OpenAdapterOptions {
  /** PGlite: wait for another process to release the data directory instead of failing. */
  lockWait?: boolean;
  /** Called once when we start waiting for that directory, with who holds it. */
  onLockWait?: (holder: string) => void;
  /** PGlite: bytes per COPY chunk (default 16 MiB); small values exercise chunking in tests. */
  copyChunkBytes?: number;
  /** PostgreSQL: the caller takes the run's locks next; their session connects alongside the pool. */
  runLockSession?: boolean;
}

/**
 * The one way to reach a database: connects (and checks it answers) or throws a ConnectionError/LockError.
 * Each driver is imported only when asked for: a PostgreSQL run does not load PGlite (~20 ms of
 * start-up every Airflow task and `tspipe seed` pays), nor a PGlite run pg.
 */
export async function openAdapter(spec: ConnectionSpec, options: OpenAdapterOptions = {}): Promise<DbAdapter> {
  switch (spec.kind) {
    case 'postgres':
      return (await import('./pg-driver.js')).openPostgres(spec, options);
    case 'pglite':
      return (await import('./pglite-driver.js')).openPglite(spec, options);
  }
}
