/**
 * One entry of a `data_tests:`/`tests:` list in schema YAML, as dbt reads it:
 * `unique`, `{accepted_values: {values: [...], quote: false}}`,
 * `{relationships: {to: "ref('x')", field: id, config: {severity: warn}}}`, config
 * keys inline or under `config:`, arguments inline or under `arguments:` (dbt 1.10),
 * an optional `name:`, and `namespace.test` names (`dbt_utils.expression_is_true`).
 */
import { isObject } from '../config/folder-config.js';
import { TEST_CONFIG_KEYS } from './test-config.js';

export interface TestInvocation {
  /** The test's name without namespace: `unique`, `expression_is_true`, a custom test. */
  testName: string;
  namespace?: string;
  /** `name:` given in YAML, used instead of the generated one. */
  customName?: string;
  /** Arguments for the test's SQL (column_name is added by the caller). */
  args: Record<string, unknown>;
  config: Record<string, unknown>;
}

const NAME = /^([A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$/;

export function readTestInvocation(entry: unknown): TestInvocation | { problem: string } {
  if (typeof entry === 'string') return named(entry, {});
  if (!isObject(entry)) return { problem: `a test must be a name or a mapping, not ${JSON.stringify(entry)}` };
  if (typeof entry.test_name === 'string') return named(entry.test_name, withoutKey(entry, 'test_name'));
  const keys = Object.keys(entry);
  if (keys.length !== 1) {
    return { problem: `a test mapping needs exactly one key, the test's name (found ${keys.join(', ') || 'none'})` };
  }
  const body = entry[keys[0]!];
  if (body !== null && body !== undefined && !isObject(body)) {
    return { problem: `the arguments of test "${keys[0]}" must be a mapping` };
  }
  return named(keys[0]!, body ?? {});
}

function named(fullName: string, body: Record<string, unknown>): TestInvocation | { problem: string } {
  if (!NAME.test(fullName)) return { problem: `"${fullName}" is not a test name` };
  const dot = fullName.lastIndexOf('.');
  const args: Record<string, unknown> = {};
  const config: Record<string, unknown> = isObject(body.config) ? { ...body.config } : {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'config' || key === 'name' || key === 'description') continue;
    if (key === 'arguments' && isObject(value)) Object.assign(args, value);
    else if (TEST_CONFIG_KEYS.has(key)) config[key] = value;
    else args[key] = value;
  }
  return {
    testName: fullName.slice(dot + 1),
    namespace: dot > 0 ? fullName.slice(0, dot) : undefined,
    customName: typeof body.name === 'string' ? body.name : undefined,
    args,
    config,
  };
}

function withoutKey(entry: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _removed, ...rest } = entry;
  return rest;
}
