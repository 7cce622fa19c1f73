/**
 * Parses dbt selector strings into a spec tree, the way dbt's selector_spec.py
 * and graph/cli.py do: spaces (and repeated --select values) are a union, commas
 * an intersection, --exclude a difference. All syntax errors are UsageErrors here,
 * so the CLI can reject a bad selector before loading the project.
 */
import { UsageError } from '../errors.js';
import { RESOURCE_TYPES } from './graph-node.js';
import { RESULT_VALUES, SOURCE_STATUS_VALUES, STATE_VALUES } from './state-lookup.js';

export const SELECTOR_METHODS = [
  'fqn',
  'tag',
  'path',
  'file',
  'package',
  'config',
  'resource_type',
  'source',
  'test_type',
  'state',
  'result',
  'source_status',
  'version',
] as const;
export type SelectorMethod = (typeof SELECTOR_METHODS)[number];

export const TEST_TYPES = ['generic', 'singular', 'data', 'schema', 'unit'] as const;

export interface SelectionCriteria {
  raw: string;
  method: SelectorMethod;
  /** `config.materialized:table` → ['materialized'] */
  args: string[];
  value: string;
  /** `@name` */
  childrensParents: boolean;
  /** `+name` / `2+name`; depth undefined = all generations */
  parents: boolean;
  parentsDepth?: number;
  /** `name+` / `name+1` */
  children: boolean;
  childrenDepth?: number;
}

export type SelectionSpec = { kind: 'criteria'; criteria: SelectionCriteria } | { kind: 'union' | 'intersection'; raw: string; components: SelectionSpec[] };

// dbt's RAW_SELECTOR_PATTERN: [@][n+][method[.args]:]value[+n]
const RAW_SELECTOR = /^(@)?((\d*)\+)?(?:([\w.]+):)?(.*?)(\+(\d*))?$/s;

const HINT =
  `valid methods: ${SELECTOR_METHODS.join(', ')} (e.g. tag:daily, config.materialized:table); ` +
  'graph operators: +name, name+, 2+name, name+1, @name; a bare word is a name, folder or path';

function invalid(raw: string, why: string): UsageError {
  return new UsageError(`invalid selector "${raw}": ${why}`, { hint: HINT });
}

/** One selector without spaces or commas: `+tag:daily+2`, `@clean_users`, `path:models/kpi`. */
export function parseCriteria(raw: string): SelectionCriteria {
  const m = RAW_SELECTOR.exec(raw);
  if (!m) throw invalid(raw, 'cannot parse it');
  const [, at, parents, parentsDepth, rawMethod, value, children, childrenDepth] = m;
  if (!value) throw invalid(raw, 'no value to select on');
  if (at && children) throw invalid(raw, 'the "@" prefix and the "+" suffix cannot be combined');
  const [method, args] = rawMethod ? methodOf(raw, rawMethod) : [defaultMethod(value), []];
  checkValue(raw, method, value);
  return {
    raw,
    method,
    args,
    value,
    childrensParents: !!at,
    parents: !!parents,
    parentsDepth: parentsDepth ? Number(parentsDepth) : undefined,
    children: !!children,
    childrenDepth: childrenDepth ? Number(childrenDepth) : undefined,
  };
}

/** dbt: a path if it has a slash, a file if it ends like one, else an fqn (name, folder, package). */
function defaultMethod(value: string): SelectorMethod {
  if (value.includes('/') || value.includes('\\')) return 'path';
  if (/\.(sql|csv|py)$/i.test(value)) return 'file';
  return 'fqn';
}

function methodOf(raw: string, rawMethod: string): [SelectorMethod, string[]] {
  const [name, ...args] = rawMethod.split('.');
  if (!(SELECTOR_METHODS as readonly string[]).includes(name)) throw invalid(raw, `unknown method "${name}"`);
  const method = name as SelectorMethod;
  if (method === 'config' && (args.length === 0 || args.some((a) => !a))) {
    throw invalid(raw, 'config needs a key, e.g. config.materialized:table');
  }
  if (method !== 'config' && args.length > 0) throw invalid(raw, `method "${method}" takes no ".${args.join('.')}"`);
  return [method, args];
}

function checkValue(raw: string, method: SelectorMethod, value: string): void {
  if (method === 'resource_type' && !(RESOURCE_TYPES as readonly string[]).includes(value)) {
    throw invalid(raw, `unknown resource type "${value}" (expected ${RESOURCE_TYPES.join(', ')})`);
  }
  if (method === 'test_type' && !(TEST_TYPES as readonly string[]).includes(value)) {
    throw invalid(raw, `unknown test type "${value}" (expected generic or singular)`);
  }
  if (method === 'state' && !(STATE_VALUES as readonly string[]).includes(value)) {
    throw invalid(raw, `unknown state "${value}" (expected ${STATE_VALUES.join(', ')})`);
  }
  if (method === 'result' && !(RESULT_VALUES as readonly string[]).includes(value)) {
    throw invalid(raw, `unknown result "${value}" (expected ${RESULT_VALUES.join(', ')})`);
  }
  if (method === 'source_status' && !(SOURCE_STATUS_VALUES as readonly string[]).includes(value)) {
    throw invalid(raw, `unknown source status "${value}" (expected ${SOURCE_STATUS_VALUES.join(', ')})`);
  }
  if (method === 'source' && value.split('.').length > 3) {
    throw invalid(raw, 'expected source:name, source:name.table or source:package.name.table');
  }
}

/** `['a b', 'c,d']` → union(a, b, intersection(c, d)); empty input → undefined. */
export function parseSelectors(values: readonly string[] | undefined): SelectionSpec | undefined {
  const words = (values ?? []).flatMap((v) => v.split(/\s+/)).filter((w) => w.length > 0);
  if (words.length === 0) return undefined;
  const components: SelectionSpec[] = words.map((word) => {
    const parts = word.split(',');
    if (parts.some((p) => p.length === 0)) throw invalid(word, 'empty part around ","');
    return {
      kind: 'intersection',
      raw: word,
      components: parts.map((p) => ({ kind: 'criteria', criteria: parseCriteria(p) }) as SelectionSpec),
    };
  });
  return { kind: 'union', raw: words.join(' '), components };
}
