/**
 * What dbt adds to Jinja's filters and tests: as_text, as_bool, as_number, as_native
 * (and relations count as mappings for `is mapping`). In SQL the filters
 * print their value; in a YAML value rendered natively ("{{ var('n') | as_number }}")
 * they say what type the text should become (context/native-value.ts reads them).
 */
import type { Environment } from '../jinja/index.js';
import { NativeMarker } from '../config/native-value.js';
import { DbtRelation } from '../context/relation.js';

export function addDbtFilters(env: Environment): void {
  // dbt's relations are mappings, as Python's Relation dataclass is.
  const tests = env.tests as Record<string, (...args: unknown[]) => unknown>;
  const isMapping = tests.mapping!;
  tests.mapping = (value: unknown) => value instanceof DbtRelation || Boolean(isMapping(value));
  const filters = env.filters as Record<string, (...args: unknown[]) => unknown>;
  filters.as_text = (value: unknown) => new NativeMarker(value, 'text');
  filters.as_bool = (value: unknown) => new NativeMarker(value, 'bool');
  filters.as_number = (value: unknown) => new NativeMarker(value, 'number');
  filters.as_native = (value: unknown) => new NativeMarker(value, 'native');
}
