/**
 * Which database a command talks to: the project's targets, the built-in `dev` and
 * `embedded` (embedded PGlite under .tspipe/) and `pg` (PostgreSQL from $DATABASE_URL),
 * a dbt project's profiles.yml outputs, and the --database-url / TSPIPE_DATABASE_URL
 * override.
 */
import { isAbsolute, join } from 'node:path';
import type { ConnectionSpec } from '../contract/index.js';
import { UsageError } from '../errors.js';
import { findDbtProfile, profileConnection, type ProfileSelection } from './dbt-profile.js';
import type { ProjectConfig, TargetConfig } from './project-config.js';

export const BUILTIN_TARGETS: Record<string, TargetConfig> = {
  dev: { type: 'pglite', path: '.tspipe/pglite', schema: 'public' },
  embedded: { type: 'pglite', path: '.tspipe/pglite', schema: 'public' },
  pg: { type: 'postgres', url_env: 'DATABASE_URL', schema: 'public' },
};

export interface TargetSelection extends ProfileSelection {
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
  /** What templates see as target.database, target.user, ... */
  database: string;
  user: string;
  host: string;
  port: number;
}

export function resolveTarget(config: ProjectConfig, selection: TargetSelection, env: NodeJS.ProcessEnv = process.env): ResolvedTarget {
  // An empty value counts as unset: Airflow tasks always export TSPIPE_DATABASE_URL.
  const databaseUrl = selection.databaseUrl || env.TSPIPE_DATABASE_URL || undefined;
  // A dbt project's profiles.yml, unless project.yml declares tspipe targets of its own.
  const profile = config.declaresTargets ? undefined : findDbtProfile(config.projectDir, config.profileName, selection, env);
  const name = selection.target ?? (databaseUrl ? 'pg' : (profile?.defaultOutput ?? config.defaultTarget));
  if (profile && Object.hasOwn(profile.outputs, name) && !databaseUrl) {
    const output = profileConnection(profile, name, env);
    const threads = selection.threads ?? output.threads ?? config.threads ?? 4;
    return {
      name,
      type: 'postgres',
      schema: output.schema,
      threads,
      connection: { kind: 'postgres', url: output.url, maxConnections: threads + 1 },
      ...pick(output),
    };
  }
  const target = config.targets[name];
  if (!target) {
    const known = [...Object.keys(config.targets), ...Object.keys(profile?.outputs ?? {})];
    throw new UsageError(`unknown target "${name}"`, {
      file: profile && !selection.target ? profile.file : config.configFile,
      hint: `known targets: ${[...new Set(known)].join(', ')}`,
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
      ...urlParts(url),
    };
  }
  // TSPIPE_PGLITE_DIR keeps the embedded database somewhere else (tests, CI caches).
  const path = env.TSPIPE_PGLITE_DIR || target.path || '.tspipe/pglite';
  const dataDir = path.startsWith('memory://') || isAbsolute(path) ? path : join(config.projectDir, path);
  // PGlite is a single connection: parallel threads would only queue.
  return {
    name,
    type: 'pglite',
    schema: target.schema,
    threads: 1,
    connection: { kind: 'pglite', dataDir },
    database: 'postgres',
    user: 'postgres',
    host: 'localhost',
    port: 5432,
  };
}

function pick({ database, user, host, port }: { database: string; user: string; host: string; port: number }) {
  return { database, user, host, port };
}

/** target.database and friends of a connection URL (libpq's defaults where it says nothing). */
function urlParts(url: string) {
  try {
    const u = new URL(url);
    return {
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
      user: decodeURIComponent(u.username) || 'postgres',
      host: u.hostname || 'localhost',
      port: Number(u.port || 5432),
    };
  } catch {
    return { database: 'postgres', user: 'postgres', host: 'localhost', port: 5432 };
  }
}
