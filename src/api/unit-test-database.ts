/**
 * Where unit tests run: by default an embedded PostgreSQL in memory, opened on the
 * first unit test (same SQL dialect, no warehouse, inputs created empty there); with
 * --unit-test-target, the run's own database, whose relations must then exist.
 */
import { openAdapter } from '../adapter/open-adapter.js';
import type { DbAdapter } from '../contract/index.js';
import type { UnitTestDatabase } from '../datatests/index.js';
import { seedColumns } from '../ingest/seed-columns.js';

export interface UnitTestDatabases {
  get(): Promise<UnitTestDatabase & { session: DbAdapter }>;
  close(): Promise<void>;
}

export function unitTestDatabases(projectDir: string, target: DbAdapter, onTarget: boolean): UnitTestDatabases {
  let opening: Promise<UnitTestDatabase & { session: DbAdapter }> | undefined;
  let scratch: DbAdapter | undefined;
  const columnsOf: UnitTestDatabase['seedColumns'] = (seed) => seedColumns(seed, projectDir);
  return {
    get: () =>
      (opening ??= (async () => {
        if (onTarget) return { session: target, scratch: false, created: new Set<string>(), seedColumns: columnsOf };
        scratch = await openAdapter({ kind: 'pglite', dataDir: 'memory://' });
        return { session: scratch, scratch: true, created: new Set<string>(), seedColumns: columnsOf, target };
      })()),
    close: async () => {
      if (opening) await opening.catch(() => undefined);
      await scratch?.close();
    },
  };
}
