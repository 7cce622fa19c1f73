/**
 * Strict project file: a misspelt key (`modles:`, `+materialised:`) is an error with
 * its line and a did-you-mean, instead of being ignored. Like dbt, keys under
 * `vars:`, `meta`, `docs` and other object-valued configs are free, and an unknown
 * `+key` far from every known config is a custom config (packages read them with
 * `config.get`), so it is kept.
 */
import { closestHint, closestMatches } from '../text.js';
import { ProjectError, type ErrorCollector } from '../errors.js';
import { configLevels, isObject } from './folder-config.js';
import { TARGET_TYPES, projectFileSchema, targetSchema } from './project-config.js';
import type { YamlFile } from './yaml-file.js';

/** Top-level keys dbt accepts in dbt_project.yml that tspipe reads nowhere (kept, not errors). */
const DBT_ONLY_KEYS = [
  'snapshots',
  'analyses',
  'unit_tests',
  'metrics',
  'semantic-models',
  'saved-queries',
  'exposures',
  'quoting',
  'query-comment',
  'restrict-access',
  'log-path',
  'modules-path',
  'asset-paths',
  'dbt-cloud',
  'anchors',
  'functions',
];

/** Every config dbt (core and dbt-postgres) knows for models, seeds, snapshots and tests. */
export const KNOWN_CONFIGS = [
  'materialized',
  'enabled',
  'tags',
  'pre-hook',
  'post-hook',
  'pre_hook',
  'post_hook',
  'database',
  'schema',
  'alias',
  'persist_docs',
  'meta',
  'docs',
  'full_refresh',
  'unique_key',
  'on_schema_change',
  'on_configuration_change',
  'incremental_strategy',
  'incremental_predicates',
  'predicates',
  'merge_update_columns',
  'merge_exclude_columns',
  'grants',
  'packages',
  'contract',
  'access',
  'group',
  'sql_header',
  'quoting',
  'column_types',
  'delimiter',
  'quote_columns',
  'indexes',
  'unlogged',
  'batch_size',
  'begin',
  'lookback',
  'event_time',
  'concurrent_batches',
  'severity',
  'store_failures',
  'store_failures_as',
  'where',
  'limit',
  'fail_calc',
  'warn_if',
  'error_if',
  'strategy',
  'updated_at',
  'check_cols',
  'target_schema',
  'target_database',
  'invalidate_hard_deletes',
  'hard_deletes',
  'dbt_valid_to_current',
  'snapshot_meta_column_names',
  'transient',
  'cluster_by',
  'partition_by',
  'labels',
  'file_format',
  'location_root',
  'freshness',
  'static_analysis',
  'catalog',
  'bind',
  // tspipe's own (src/ingest/seed-options.ts)
  'raw_landing',
  'max_record_lines',
  'max_record_bytes',
];

/** Edits within which an unknown config counts as a typo of a known one rather than a custom config (`sla`, `ttl` are custom). */
const typoDistance = (name: string) => (name.length <= 3 ? 1 : 2);

export function checkProjectKeys(yaml: YamlFile, errors: ErrorCollector): void {
  if (!isObject(yaml.value)) return;
  const known = [...Object.keys(projectFileSchema.shape), ...DBT_ONLY_KEYS];
  for (const key of Object.keys(yaml.value)) {
    if (known.includes(key)) continue;
    errors.add(
      new ProjectError(`unknown key "${key}"`, {
        file: yaml.displayPath,
        line: yaml.lineOf([key]),
        hint: closestHint(key, known) ?? 'remove it; see the project.yml section of the README for the accepted keys',
      }),
    );
  }
  for (const section of ['models', 'seeds', 'tests', 'data_tests', 'snapshots'] as const) {
    const tree = yaml.value[section];
    if (isObject(tree)) checkConfigTree(yaml, section, tree, errors);
  }
}

function checkConfigTree(yaml: YamlFile, section: string, tree: Record<string, unknown>, errors: ErrorCollector): void {
  for (const level of configLevels(tree)) {
    for (const { name, key } of level.entries) {
      if (KNOWN_CONFIGS.includes(name)) continue;
      const typoOf = closestMatches(name, KNOWN_CONFIGS, typoDistance(name));
      if (!typoOf.length) continue; // a custom config, read with config.get
      errors.add(
        new ProjectError(`unknown config "${key}" under ${[section, ...level.folders].join('.')}`, {
          file: yaml.displayPath,
          line: yaml.lineOf([section, ...level.folders, key]),
          hint: `did you mean ${typoOf.map((m) => `"${key.startsWith('+') ? '+' : ''}${m}"`).join(' or ')}?`,
        }),
      );
    }
  }
}

/** A target's problems in a user's words: a misspelt key or type gets a did-you-mean. */
export function targetProblems(raw: unknown): { path: (string | number)[]; message: string; hint?: string }[] {
  if (!isObject(raw)) return [{ path: [], message: 'must be a mapping with type: pglite or postgres' }];
  const keys = Object.keys(targetSchema.shape);
  const problems: { path: (string | number)[]; message: string; hint?: string }[] = [];
  let typeMisspelt = false;
  for (const key of Object.keys(raw)) {
    if (keys.includes(key)) continue;
    const hint = closestHint(key, keys);
    typeMisspelt ||= closestMatches(key, keys)[0] === 'type';
    problems.push({ path: [key], message: `unknown key "${key}"`, hint: hint ?? `accepted keys: ${keys.join(', ')}` });
  }
  if (raw.type === undefined) {
    if (!typeMisspelt) problems.push({ path: [], message: 'type is missing', hint: `add type: ${TARGET_TYPES.join(' or ')}` });
  } else if (!(TARGET_TYPES as readonly unknown[]).includes(raw.type)) {
    problems.push({
      path: ['type'],
      message: `type "${String(raw.type)}" is not one of ${TARGET_TYPES.join(', ')}`,
      hint: closestHint(String(raw.type), TARGET_TYPES),
    });
  }
  return problems;
}
