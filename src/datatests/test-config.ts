/**
 * A test's config (dbt's names): severity, warn_if/error_if thresholds, where,
 * limit, store_failures, fail_calc, tags. Validated once when the node is built;
 * `readTestConfig` gives the typed view the runner uses.
 */
import { toList } from '../config/folder-config.js';
import type { NodeConfig } from '../parse/manifest.js';

export const SEVERITIES = ['error', 'warn'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Keys that configure a test rather than feed its SQL, inline or under `config:`. */
export const TEST_CONFIG_KEYS = new Set([
  'severity',
  'warn_if',
  'error_if',
  'where',
  'limit',
  'store_failures',
  'store_failures_as',
  'fail_calc',
  'tags',
  'enabled',
  'meta',
  'alias',
  'schema',
  'database',
]);

const OPERATORS = ['==', '=', '!=', '<>', '>=', '<=', '>', '<'] as const;
type Operator = (typeof OPERATORS)[number];
const THRESHOLD = /^\s*(==|=|!=|<>|>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/;

export interface Threshold {
  operator: Operator;
  value: number;
  /** As written, for messages: `!= 0`. */
  text: string;
}

export interface TestConfig {
  severity: Severity;
  warnIf: Threshold;
  errorIf: Threshold;
  where?: string;
  limit?: number;
  /** How the failing rows are kept: as configured, or (undefined) as --store-failures says. */
  storeFailuresAs?: FailureStorage;
  failCalc: string;
  tags: string[];
}

export const DEFAULT_THRESHOLD = '!= 0';

export const FAILURE_STORAGE = ['table', 'view', 'ephemeral'] as const;
export type FailureStorage = (typeof FAILURE_STORAGE)[number];

/**
 * dbt's precedence: store_failures_as, else store_failures (true: a table, false: not
 * kept), else the --store-failures flag; `ephemeral` keeps nothing.
 */
export function failureStorage(config: TestConfig, storeFailuresFlag: boolean | undefined): 'table' | 'view' | undefined {
  const storage = config.storeFailuresAs ?? (storeFailuresFlag ? 'table' : 'ephemeral');
  return storage === 'ephemeral' ? undefined : storage;
}

/** dbt's `warn_if: ">10"` style condition on the number of failures. */
export function parseThreshold(text: unknown): Threshold | undefined {
  const match = typeof text === 'number' ? THRESHOLD.exec(`= ${text}`) : typeof text === 'string' ? THRESHOLD.exec(text) : null;
  if (!match) return undefined;
  return { operator: match[1] as Operator, value: Number(match[2]), text: `${match[1]} ${match[2]}` };
}

export function thresholdMet(failures: number, threshold: Threshold): boolean {
  const { value } = threshold;
  switch (threshold.operator) {
    case '=':
    case '==':
      return failures === value;
    case '!=':
    case '<>':
      return failures !== value;
    case '>':
      return failures > value;
    case '>=':
      return failures >= value;
    case '<':
      return failures < value;
    case '<=':
      return failures <= value;
  }
}

/** Merged raw config → the node's config (defaults filled in) and the problems found. */
export function validateTestConfig(raw: Record<string, unknown>): { config: NodeConfig; problems: string[] } {
  const problems: string[] = [];
  const severity = String(raw.severity ?? 'error').toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(severity)) problems.push(`severity: "${String(raw.severity)}" is not error or warn`);
  for (const key of ['warn_if', 'error_if'] as const) {
    if (raw[key] !== undefined && !parseThreshold(raw[key])) {
      problems.push(`${key}: "${String(raw[key])}" is not a condition such as "!= 0" or "> 10"`);
    }
  }
  if (raw.limit !== undefined && raw.limit !== null && !(Number.isInteger(raw.limit) && (raw.limit as number) >= 0)) {
    problems.push('limit: must be a whole number, 0 or more');
  }
  for (const key of ['where', 'fail_calc', 'schema', 'alias'] as const) {
    if (raw[key] !== undefined && raw[key] !== null && typeof raw[key] !== 'string') problems.push(`${key}: must be a string`);
  }
  if (raw.store_failures !== undefined && raw.store_failures !== null && typeof raw.store_failures !== 'boolean') {
    problems.push('store_failures: must be true or false');
  }
  if (raw.store_failures_as !== undefined && raw.store_failures_as !== null && !FAILURE_STORAGE.includes(raw.store_failures_as as FailureStorage)) {
    problems.push(`store_failures_as: must be one of ${FAILURE_STORAGE.join(', ')}`);
  }
  if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean') problems.push('enabled: must be true or false');
  const config: NodeConfig = {
    ...raw,
    enabled: raw.enabled !== false,
    materialized: 'test',
    tags: toList(raw.tags),
    severity,
    warn_if: parseThreshold(raw.warn_if)?.text ?? DEFAULT_THRESHOLD,
    error_if: parseThreshold(raw.error_if)?.text ?? DEFAULT_THRESHOLD,
    fail_calc: typeof raw.fail_calc === 'string' ? raw.fail_calc : 'count(*)',
    // As dbt's parser: store_failures_as decides store_failures; unset, the --store-failures flag does
    // (the should_store_failures() macro reads it so).
    store_failures:
      raw.store_failures_as === 'table' || raw.store_failures_as === 'view'
        ? true
        : raw.store_failures_as === 'ephemeral'
          ? false
          : typeof raw.store_failures === 'boolean'
            ? raw.store_failures
            : undefined,
  };
  return { config, problems };
}

export function readTestConfig(config: NodeConfig): TestConfig {
  return {
    severity: config.severity === 'warn' ? 'warn' : 'error',
    warnIf: parseThreshold(config.warn_if) ?? parseThreshold(DEFAULT_THRESHOLD)!,
    errorIf: parseThreshold(config.error_if) ?? parseThreshold(DEFAULT_THRESHOLD)!,
    where: typeof config.where === 'string' && config.where.trim() ? config.where : undefined,
    limit: typeof config.limit === 'number' ? config.limit : undefined,
    storeFailuresAs: FAILURE_STORAGE.includes(config.store_failures_as as FailureStorage)
      ? (config.store_failures_as as FailureStorage)
      : typeof config.store_failures === 'boolean'
        ? config.store_failures
          ? 'table'
          : 'ephemeral'
        : undefined,
    failCalc: typeof config.fail_calc === 'string' ? config.fail_calc : 'count(*)',
    tags: config.tags,
  };
}

/** dbt's rule: fail when severity is error and error_if holds, else warn when warn_if holds. */
export function testStatus(failures: number, config: TestConfig): 'pass' | 'warn' | 'fail' {
  if (config.severity === 'error' && thresholdMet(failures, config.errorIf)) return 'fail';
  if (thresholdMet(failures, config.warnIf)) return 'warn';
  return 'pass';
}
