/**
 * Ctrl-C or a SIGTERM from a scheduler: close the database cleanly before exiting,
 * so open transactions roll back, locks are released and PGlite's files are left
 * consistent (a PGlite killed mid-write can corrupt its directory).
 */
import type { DbAdapter } from '../contract/index.js';

const EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export function closeOnSignal(adapter: DbAdapter, onSignal?: (signal: string) => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    onSignal?.(signal);
    adapter.close().finally(() => process.exit(EXIT_CODES[signal] ?? 1));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
