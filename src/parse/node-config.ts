/**
 * Merges a node's config from its three sources (project.yml folders < schema YAML
 * < `{{ config() }}` in the file) and validates the values.
 */
import { INCREMENTAL_STRATEGIES, MATERIALIZATIONS } from '../config/project-config.js';
import { isObject, mergeValue, toList } from '../config/folder-config.js';
import { readMicrobatchConfig } from '../config/microbatch-config.js';
import type { NodeConfig } from './manifest.js';

export function mergeConfig(base: Record<string, unknown>, ...layers: Record<string, unknown>[]): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const layer of layers) {
    for (const [rawKey, value] of Object.entries(layer)) {
      const key = rawKey.startsWith('+') ? rawKey.slice(1) : rawKey;
      merged[key] = mergeValue(key, merged[key], value);
    }
  }
  return merged;
}

/** Returns the typed config, or the list of problems ("materialized: ..."). */
export function validateConfig(raw: Record<string, unknown>, kind: 'model' | 'seed' | 'snapshot'): { config: NodeConfig; problems: string[] } {
  const problems: string[] = [];
  const materialized = raw.materialized ?? (kind === 'model' ? 'view' : kind);
  if (kind === 'snapshot' && materialized !== 'snapshot') problems.push(`materialized: a snapshot is always a snapshot, not "${String(materialized)}"`);
  if (kind === 'model' && !(MATERIALIZATIONS as readonly unknown[]).includes(materialized)) {
    problems.push(`materialized: "${String(materialized)}" is not one of ${MATERIALIZATIONS.join(', ')}`);
  }
  if (raw.incremental_strategy !== undefined && !(INCREMENTAL_STRATEGIES as readonly unknown[]).includes(raw.incremental_strategy)) {
    problems.push(`incremental_strategy: "${String(raw.incremental_strategy)}" is not one of ${INCREMENTAL_STRATEGIES.join(', ')}`);
  }
  if (kind === 'model' && raw.incremental_strategy === 'microbatch') {
    if (materialized !== 'incremental') problems.push("incremental_strategy: 'microbatch' needs materialized='incremental'");
    problems.push(...readMicrobatchConfig(raw).problems);
  }
  if (raw.unique_key !== undefined && typeof raw.unique_key !== 'string' && !isStringList(raw.unique_key)) {
    problems.push('unique_key: must be a column name or a list of column names');
  }
  for (const key of ['schema', 'alias'] as const) {
    if (raw[key] !== undefined && raw[key] !== null && typeof raw[key] !== 'string') problems.push(`${key}: must be a string`);
  }
  if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean') problems.push('enabled: must be true or false');
  if (raw.column_types !== undefined && !isObject(raw.column_types)) problems.push('column_types: must map column names to types');
  const config: NodeConfig = {
    ...raw,
    enabled: raw.enabled !== false,
    materialized: materialized as NodeConfig['materialized'],
    tags: toList(raw.tags),
    schema: typeof raw.schema === 'string' ? raw.schema : undefined,
    alias: typeof raw.alias === 'string' ? raw.alias : undefined,
  };
  return { config, problems };
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
