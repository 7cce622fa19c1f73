/**
 * A connection opened only if a step turns out to need one (a template that queries
 * the database during `tspipe compile` or `docs generate`), and closed after.
 */
import { openAdapter } from '../adapter/open-adapter.js';
import type { DbAdapter } from '../contract/index.js';
import type { LoadedProject } from './load-project.js';

export function lazyDatabase(project: LoadedProject): { open(): Promise<DbAdapter>; close(): Promise<void> } {
  let opening: Promise<DbAdapter> | undefined;
  return {
    open: () => (opening ??= openAdapter(project.target.connection, { lockWait: true })),
    close: async () => {
      if (opening) await (await opening).close();
    },
  };
}
