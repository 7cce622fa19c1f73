/**
 * --state DIR, --defer and --favor-state (dbt's slim CI): a previous run's
 * manifest.json and run_results.json answer the `state:` and `result:` selectors,
 * and unselected parents can be read from the relations that run built.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DbSession } from '../contract/index.js';
import { UsageError } from '../errors.js';
import type { StateLookup, StateValue } from '../graph/index.js';
import { manifestToJson } from '../parse/manifest-json.js';
import { StateComparison, type ManifestJson, type StateAspect } from '../parse/state-comparison.js';
import { TSPIPE_VERSION } from '../version.js';
import type { LoadedProject } from './load-project.js';

export interface StateOptions {
  /** Folder of a previous run's artifacts (its target/): manifest.json, run_results.json. */
  state?: string;
  /** Read unselected parents that the target lacks from the state's relations. */
  defer?: boolean;
  /** With --defer: read unselected parents from the state even when the target has them. */
  favorState?: boolean;
}

export interface PreviousState {
  dir: string;
  manifest: ManifestJson;
  /** unique_id → status in run_results.json (empty when there is none). */
  results: Map<string, string>;
  /** unique_id → max_loaded_at in the state's sources.json (empty when there is none). */
  loadedAt: Map<string, string>;
}

/** Reads the state directory; undefined without --state. --defer needs it. */
export function readState(options: StateOptions, projectDir: string): PreviousState | undefined {
  if (!options.state) {
    if (options.defer || options.favorState) {
      throw new UsageError(`--${options.defer ? 'defer' : 'favor-state'} needs --state DIR, the artifacts of the run to defer to`, {
        hint: "e.g. --defer --state prod-artifacts/ (a copy of production's target/ folder)",
      });
    }
    return undefined;
  }
  const dir = resolve(projectDir, options.state);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new UsageError(`--state ${options.state}: no manifest.json in ${dir}`, {
      hint: "point --state at the target/ folder of a previous run (production's artifacts), which holds manifest.json",
    });
  }
  const manifest = readJson<ManifestJson>(manifestPath, options.state);
  if (!manifest || typeof manifest.nodes !== 'object') throw new UsageError(`--state ${options.state}: ${manifestPath} is not a tspipe manifest.json`);
  const resultsPath = join(dir, 'run_results.json');
  const runResults = existsSync(resultsPath) ? readJson<{ results?: { unique_id: string; status: string }[] }>(resultsPath, options.state) : undefined;
  const results = new Map((runResults?.results ?? []).map((r) => [r.unique_id, r.status] as const));
  return { dir, manifest, results, loadedAt: readLoadedAt(join(dir, 'sources.json'), options.state) };
}

/** max_loaded_at of each source in a sources.json (`tspipe source freshness`), if the file exists. */
function readLoadedAt(path: string, given: string): Map<string, string> {
  if (!existsSync(path)) return new Map();
  const json = readJson<{ results?: { unique_id: string; max_loaded_at: string | null }[] }>(path, given);
  return new Map((json.results ?? []).flatMap((r) => (r.max_loaded_at ? [[r.unique_id, r.max_loaded_at] as const] : [])));
}

function readJson<T>(path: string, given: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new UsageError(`--state ${given}: cannot read ${path}: ${(error as Error).message}`, { hint: 'copy the artifacts of a finished run again' });
  }
}

/** The selectors' view of the state; this project's manifest.json is made once, on first use. */
export function stateLookup(project: LoadedProject, state: PreviousState): StateLookup {
  let comparison: StateComparison | undefined;
  let current: Map<string, string> | undefined;
  const currentLoadedAt = () => {
    if (!current) {
      current = readLoadedAt(join(project.config.projectDir, project.config.targetPath, 'sources.json'), 'target');
      if (!current.size) {
        throw new UsageError('source_status:fresher compares target/sources.json with the one in --state, and target/ has none', {
          hint: 'run tspipe source freshness first (in the same job), then select with source_status:fresher+',
        });
      }
    }
    return current;
  };
  const compare = () =>
    (comparison ??= new StateComparison(
      manifestToJson(project.manifest, { version: TSPIPE_VERSION, target: project.target.name }) as ManifestJson,
      state.manifest,
    ));
  return {
    matchesState(id: string, value: StateValue): boolean {
      const c = compare();
      if (value === 'new') return c.isNew(id);
      if (value === 'old') return c.isOld(id);
      if (value === 'unmodified') return c.isOld(id) && !c.isModified(id);
      return c.isModified(id, value === 'modified' ? undefined : (value.slice('modified.'.length) as StateAspect));
    },
    resultOf: (id) => state.results.get(id),
    isFresher(id: string): boolean {
      const now = currentLoadedAt().get(id);
      const before = state.loadedAt.get(id);
      return now !== undefined && (before === undefined || Date.parse(now) > Date.parse(before));
    },
  };
}

/**
 * dbt's defer: each unselected model, seed or snapshot that the state built is read from the
 * state's relation when the target has no relation of its own under that name (or
 * always, with favorState). Returns the ids deferred. Changes `project.manifest` for
 * this run only; manifest.json was already written with the target's relations.
 */
export async function deferToState(
  session: DbSession,
  project: LoadedProject,
  state: PreviousState,
  selected: ReadonlySet<string>,
  favorState: boolean,
): Promise<string[]> {
  const candidates = Object.values(project.manifest.nodes).filter(
    (node) =>
      node.resourceType !== 'test' &&
      node.config.materialized !== 'ephemeral' &&
      !selected.has(node.uniqueId) &&
      state.manifest.nodes[node.uniqueId]?.schema !== undefined,
  );
  if (candidates.length === 0) return [];
  const existing = favorState ? new Set<string>() : await existingRelations(session, [...new Set(candidates.map((n) => n.relation.schema))]);
  const deferred: string[] = [];
  for (const node of candidates) {
    if (existing.has(`${node.relation.schema}.${node.relation.identifier}`)) continue;
    const before = state.manifest.nodes[node.uniqueId]!;
    project.manifest.nodes[node.uniqueId] = { ...node, relation: { schema: before.schema!, identifier: before.alias ?? node.relation.identifier } };
    deferred.push(node.uniqueId);
  }
  return deferred;
}

async function existingRelations(session: DbSession, schemas: string[]): Promise<Set<string>> {
  const { rows } = await session.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = any($1::text[]) and c.relkind in ('r', 'p', 'v', 'm', 'f')`,
    [schemas],
  );
  return new Set(rows.map((r) => `${r.schema}.${r.name}`));
}
