/**
 * `tspipe source freshness` (dbt's): for each selected source table with a freshness
 * rule, the latest `loaded_at_field` and the database's now(); how old the data is
 * decides pass, warn (past warn_after) or error (past error_after). Writes
 * target/sources.json in dbt's shape; exit code 1 when a source is past error_after
 * or could not be checked.
 */
import { randomUUID } from 'node:crypto';
import { openAdapter } from '../adapter/open-adapter.js';
import { qualifiedName, type DbSession } from '../contract/index.js';
import { TspipeError } from '../errors.js';
import type { SourceNode } from '../parse/manifest.js';
import { thresholdSeconds } from '../parse/source-freshness.js';
import { TSPIPE_VERSION } from '../version.js';
import { artifactWriterFor } from './artifacts.js';
import { closeOnSignal } from './close-on-signal.js';
import { loadProject, selectForCommand, type ProjectOptions } from './load-project.js';

export const FRESHNESS_STATUSES = ['pass', 'warn', 'error', 'runtime error'] as const;
export type FreshnessStatus = (typeof FRESHNESS_STATUSES)[number];

export interface FreshnessOptions extends ProjectOptions {
  select?: string[];
  exclude?: string[];
}

export interface FreshnessResult {
  uniqueId: string;
  /** source_name.table_name */
  name: string;
  relation: string;
  status: FreshnessStatus;
  maxLoadedAt: Date | null;
  snapshottedAt: Date | null;
  ageSeconds: number | null;
  criteria: NonNullable<SourceNode['freshness']>;
  message?: string;
  executionTime: number;
  startedAt: string;
  completedAt: string;
}

export interface FreshnessOutcome {
  results: FreshnessResult[];
  /** Selected sources without a freshness rule (dbt skips them too). */
  unchecked: string[];
  path: string;
  exitCode: 0 | 1;
}

export async function checkSourceFreshness(options: FreshnessOptions, env?: NodeJS.ProcessEnv): Promise<FreshnessOutcome> {
  const started = performance.now();
  const project = loadProject({ ...options, command: 'source freshness' }, env);
  const selection = selectForCommand(project, { select: options.select, exclude: options.exclude, resourceTypes: ['source'] });
  const sources = selection.ordered.map((id) => project.manifest.sources[id]!);
  const checked = sources.filter((s) => s.freshness);
  const results: FreshnessResult[] = [];
  if (checked.length) {
    const adapter = await openAdapter(project.target.connection, { lockWait: true });
    const stopListening = closeOnSignal(adapter, () => undefined);
    try {
      for (const source of checked) results.push(await checkOne(adapter, source));
    } finally {
      stopListening();
      await adapter.close();
    }
  }
  const path = artifactWriterFor(project).writeJson('sources.json', sourcesJson(results, (performance.now() - started) / 1000));
  const failed = results.some((r) => r.status === 'error' || r.status === 'runtime error');
  return { results, unchecked: sources.filter((s) => !checked.includes(s)).map((s) => s.uniqueId), path, exitCode: failed ? 1 : 0 };
}

async function checkOne(session: DbSession, source: SourceNode): Promise<FreshnessResult> {
  const startedAt = new Date();
  const criteria = source.freshness!;
  const relation = qualifiedName(source.relation.schema, source.relation.identifier);
  const base = {
    uniqueId: source.uniqueId,
    name: `${source.sourceName}.${source.name}`,
    relation: `${source.relation.schema}.${source.relation.identifier}`,
    criteria,
  };
  const timing = () => {
    const completedAt = new Date();
    return { startedAt: startedAt.toISOString(), completedAt: completedAt.toISOString(), executionTime: (completedAt.getTime() - startedAt.getTime()) / 1000 };
  };
  if (!source.loadedAtField) {
    // dbt takes a rule without loaded_at_field while parsing; PostgreSQL keeps no last-modified time to fall back on.
    const message = `${base.name} has a freshness rule but no loaded_at_field: add loaded_at_field (the timestamp column saying when a row was loaded) to the source or the table`;
    return { ...base, status: 'runtime error', maxLoadedAt: null, snapshottedAt: null, ageSeconds: null, message, ...timing() };
  }
  try {
    // loaded_at_field and filter are SQL, as in dbt: an expression may stand for a column.
    const { rows } = await session.query<{ max_loaded_at: Date | null; snapshotted_at: Date }>(
      `select max(${source.loadedAtField})::timestamptz as max_loaded_at, now() as snapshotted_at from ${relation}` +
        (criteria.filter ? ` where ${criteria.filter}` : ''),
    );
    const { max_loaded_at: maxLoadedAt, snapshotted_at: snapshottedAt } = rows[0]!;
    if (!maxLoadedAt) {
      return {
        ...base,
        status: 'runtime error',
        maxLoadedAt: null,
        snapshottedAt,
        ageSeconds: null,
        message: `no row in ${base.relation}${criteria.filter ? ' matches the filter' : ''}: nothing says when it was loaded`,
        ...timing(),
      };
    }
    const ageSeconds = (snapshottedAt.getTime() - maxLoadedAt.getTime()) / 1000;
    const status: FreshnessStatus =
      criteria.error_after && ageSeconds > thresholdSeconds(criteria.error_after)
        ? 'error'
        : criteria.warn_after && ageSeconds > thresholdSeconds(criteria.warn_after)
          ? 'warn'
          : 'pass';
    return { ...base, status, maxLoadedAt, snapshottedAt, ageSeconds, ...timing() };
  } catch (error) {
    const message = error instanceof TspipeError ? error.message : String((error as Error)?.message ?? error);
    return { ...base, status: 'runtime error', maxLoadedAt: null, snapshottedAt: null, ageSeconds: null, message, ...timing() };
  }
}

/** dbt's sources.json (schema v3): one result per checked source table. */
function sourcesJson(results: FreshnessResult[], elapsedSeconds: number): object {
  return {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/sources/v3.json',
      tspipe_version: TSPIPE_VERSION,
      generated_at: new Date().toISOString(),
      invocation_id: randomUUID(),
    },
    results: results.map((r) => ({
      unique_id: r.uniqueId,
      status: r.status,
      max_loaded_at: r.maxLoadedAt?.toISOString() ?? null,
      snapshotted_at: r.snapshottedAt?.toISOString() ?? null,
      max_loaded_at_time_ago_in_s: r.ageSeconds,
      criteria: { warn_after: r.criteria.warn_after ?? null, error_after: r.criteria.error_after ?? null, filter: r.criteria.filter ?? null },
      ...(r.message ? { error: r.message } : {}),
      adapter_response: {},
      timing: [{ name: 'execute', started_at: r.startedAt, completed_at: r.completedAt }],
      thread_id: 'Thread-1',
      execution_time: r.executionTime,
    })),
    elapsed_time: elapsedSeconds,
  };
}
