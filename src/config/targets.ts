/**
 * Which database a command talks to: the project's targets, the built-in `dev`
 * (embedded PGlite under .tspipe/) and `pg` (PostgreSQL from $DATABASE_URL), and
 * the --database-url / TSPIPE_DATABASE_URL override.
 */
import { isAbsolute, join } from 'node:path';
import type { ConnectionSpec } from '../contract/index.js';
import { UsageError } from '../errors.js';
import type { ProjectConfig, TargetConfig } from './project-config.js';

export const BUILTIN_TARGETS: Record<string, TargetConfig> = {
  dev: { type: 'pglite', path: '.tspipe/pglite', schema: 'public' },
  pg: { type: 'postgres', url_env: 'DATABASE_URL', schema: 'public' },
};

export interface TargetSelection {
  target?: string;
  databaseUrl?: string;
  threads?: number;
}

export interface ResolvedTarget {
  name: string;
  type: TargetConfig['type'];
  schema: string;
  threads: number;
  connection: ConnectionSpec;
}

export function resolveTarget(
  config: ProjectConfig,
  selection: TargetSelection,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedTarget {
  // An empty value counts as unset: Airflow tasks always export TSPIPE_DATABASE_URL.
  const databaseUrl = selection.databaseUrl || env.TSPIPE_DATABASE_URL || undefined;
  const name = selection.target ?? (databaseUrl ? 'pg' : config.defaultTarget);
  const target = config.targets[name];
  if (!target) {
    throw new UsageError(`unknown target "${name}"`, {
      file: config.configFile,
      hint: `known targets: ${Object.keys(config.targets).join(', ')}`,
    });
  }
  if (databaseUrl || target.type === 'postgres') {
    const url = databaseUrl || target.url || env[target.url_env ?? 'DATABASE_URL'] || undefined;
    if (!url) {
      throw new UsageError(`target "${name}" needs a PostgreSQL URL`, {
        hint: `set ${target.url_env ?? 'DATABASE_URL'} or pass --database-url postgres://user@host:5432/db`,
      });
    }
    const threads = selection.threads ?? target.threads ?? config.threads ?? 4;
    return {
      name,
      type: 'postgres',
      schema: target.schema,
      threads,
      connection: { kind: 'postgres', url, maxConnections: threads + 1 },
    };
  }
  // TSPIPE_PGLITE_DIR keeps the embedded database somewhere else (tests, CI caches).
  const path = env.TSPIPE_PGLITE_DIR || target.path || '.tspipe/pglite';
  const dataDir = path.startsWith('memory://') || isAbsolute(path) ? path : join(config.projectDir, path);
  // PGlite is a single connection: parallel threads would only queue.
  return { name, type: 'pglite', schema: target.schema, threads: 1, connection: { kind: 'pglite', dataDir } };
}
