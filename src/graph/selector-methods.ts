/**
 * One matcher factory per selector method, following dbt's selector_methods.py:
 * which nodes a method looks at (fqn skips sources, source only sees sources) and
 * how it compares (fnmatch wildcards for names, tags and packages; exact for
 * config). Patterns are compiled once per criterion, not once per node.
 */
import type { GraphNode } from './graph-node.js';
import { globTester, hasWildcard } from './glob.js';
import type { SelectionCriteria, SelectorMethod } from './selector-spec.js';
import type { StateLookup, StateValue } from './state-lookup.js';
import { UsageError } from '../errors.js';

type NodeTest = (node: GraphNode) => boolean;

const METHODS: Record<SelectorMethod, (value: string, args: string[], state?: StateLookup) => NodeTest> = {
  fqn: fqnMatcher,
  tag: (value) => {
    const test = globTester(value);
    return (node) => node.tags.some(test);
  },
  path: pathMatcher,
  file: (value) => {
    const test = globTester(value);
    return (node) => {
      const base = node.originalFilePath.slice(node.originalFilePath.lastIndexOf('/') + 1);
      return test(base) || test(base.replace(/\.[^.]*$/, ''));
    };
  },
  package: (value) => {
    const test = globTester(value);
    return (node) => test(node.packageName);
  },
  config: (value, args) => (node) => configMatches(node.config, args, value),
  resource_type: (value) => (node) => node.resourceType === value,
  source: sourceMatcher,
  test_type: (value) => (node) => node.resourceType === 'test' && testTypeMatches(node, value),
  state: (value, _args, state) => {
    const lookup = needState(state, `state:${value}`);
    return (node) => lookup.matchesState(node.uniqueId, value as StateValue);
  },
  source_status: (value, _args, state) => {
    const lookup = needState(state, `source_status:${value}`);
    return (node) => node.resourceType === 'source' && lookup.isFresher(node.uniqueId);
  },
  version: versionMatcher,
  result: (value, _args, state) => {
    const lookup = needState(state, `result:${value}`);
    return (node) => lookup.resultOf(node.uniqueId) === value;
  },
};

/** dbt's version: method: latest, prerelease (newer than latest), old (older), none (unversioned). */
function versionMatcher(value: string): NodeTest {
  const compare = (node: GraphNode) => {
    const [a, b] = [node.version!, node.latestVersion!];
    const numeric = !Number.isNaN(Number(a)) && !Number.isNaN(Number(b));
    return numeric ? Math.sign(Number(a) - Number(b)) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  };
  const wanted: Record<string, NodeTest> = {
    latest: (node) => node.version !== undefined && compare(node) === 0,
    prerelease: (node) => node.version !== undefined && compare(node) > 0,
    old: (node) => node.version !== undefined && compare(node) < 0,
    none: (node) => node.resourceType === 'model' && node.version === undefined,
  };
  const test = wanted[value];
  if (!test) throw new UsageError(`version:${value}: the version method takes latest, prerelease, old or none`);
  return test;
}

function needState(state: StateLookup | undefined, selector: string): StateLookup {
  if (state) return state;
  throw new UsageError(`the selector "${selector}" compares with a previous run, and no --state was given`, {
    hint: "pass --state DIR, a folder holding a previous run's manifest.json and run_results.json (e.g. production's target/)",
  });
}

/** A predicate for the method part of the criteria (graph operators aside). */
export function compileCriteria(criteria: SelectionCriteria, state?: StateLookup): NodeTest {
  return METHODS[criteria.method](criteria.value, criteria.args, state);
}

/**
 * dbt's is_selected_node, tried on the fqn and on the fqn without its package:
 * `clean_users` (the name), `clean` (a folder), `clean.clean_users`, `gaming.clean.*`.
 * Segments are compared on the dotted string (dots inside names are separators
 * in dbt too), which avoids allocating per node. One addition: a dotless
 * wildcard such as `stg_*` also matches the node name (dbt would need `*.stg_*`).
 */
function fqnMatcher(selector: string): NodeTest {
  const parts = selector.split('.');
  const firstWild = parts.findIndex(hasWildcard);
  const prefix = firstWild > 0 ? `${parts.slice(0, firstWild).join('.')}.` : '';
  const rest = firstWild >= 0 ? globTester(parts.slice(firstWild).join('.')) : undefined;
  const name = hasWildcard(selector) && !selector.includes('.') ? globTester(selector) : undefined;
  const matches = (dotted: string): boolean => {
    if (dotted === '') return false;
    if (!rest) return dotted === selector || dotted.startsWith(`${selector}.`);
    return dotted.startsWith(prefix) && rest(dotted.slice(prefix.length));
  };
  return (node) => {
    const { fqn } = node;
    if (node.resourceType === 'source' || fqn.length === 0) return false;
    if (fqn[fqn.length - 1] === selector) return true;
    const dotted = fqn.join('.');
    return matches(dotted) || matches(dotted.slice(fqn[0].length + 1)) || (name?.(node.name) ?? false);
  };
}

/** The file itself or any folder above it; `path:.` is the whole project. */
function pathMatcher(selector: string): NodeTest {
  const wanted = selector
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  if (wanted === '' || wanted === '.') return () => true;
  if (!hasWildcard(wanted)) return (node) => node.originalFilePath === wanted || node.originalFilePath.startsWith(`${wanted}/`);
  const test = globTester(wanted, true);
  return (node) => {
    const file = node.originalFilePath;
    for (let end = file.length; end > 0; end = file.lastIndexOf('/', end - 1)) {
      if (test(file.slice(0, end))) return true;
    }
    return false;
  };
}

function sourceMatcher(selector: string): NodeTest {
  const parts = selector.split('.');
  const [pkg, source, table] = (parts.length === 1 ? ['*', parts[0], '*'] : parts.length === 2 ? ['*', parts[0], parts[1]] : parts).map((p) => globTester(p));
  return (node) => node.resourceType === 'source' && pkg(node.packageName) && source(node.sourceName ?? '') && table(node.name);
}

function testTypeMatches(node: GraphNode, selector: string): boolean {
  const type = node.testType ?? 'generic';
  if (selector === 'generic' || selector === 'schema') return type === 'generic';
  if (selector === 'singular') return type === 'singular';
  if (selector === 'unit') return type === 'unit';
  return selector === 'data' && type !== 'unit'; // dbt >= 1.8: data tests are all non-unit tests
}

/** Exact compare, list values by membership; true/false and numbers compare as text. */
function configMatches(config: Record<string, unknown>, keys: string[], selector: string): boolean {
  let value: unknown = config;
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || !(key in value)) return false;
    value = (value as Record<string, unknown>)[key];
  }
  const caseless = keys.length === 1 && keys[0] === 'severity';
  const equals = (v: unknown): boolean => {
    if (typeof v === 'string') return caseless ? v.toLowerCase() === selector.toLowerCase() : v === selector;
    if (typeof v === 'boolean') return String(v) === selector.toLowerCase();
    if (typeof v === 'number') return String(v) === selector;
    return false;
  };
  return Array.isArray(value) ? value.some(equals) : equals(value);
}
