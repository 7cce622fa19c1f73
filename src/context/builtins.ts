/**
 * The names every dbt template has, whatever node renders: var and env_var (var is
 * per package, see node values), target, modules, exceptions, log and print,
 * fromjson/tojson/fromyaml/toyaml, zip, set, local_md5, return, invocation_id,
 * run_started_at, selected_resources, flags, api. Documented at docs.getdbt.com/reference/dbt-jinja-functions.
 */
import { createHash } from 'node:crypto';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ProjectError } from '../errors.js';
import { MacroReturn } from '../jinja/index.js';
import { bindArgs } from './call-args.js';
import { DbtColumn } from './column.js';
import { PyDateTime } from './modules/datetime.js';
import { pythonModules } from './modules/index.js';
import { UTC } from './modules/timezones.js';
import { DbtRelation } from './relation.js';
import { noteEnvRead, noteFlagRead, noteVolatileRead } from './render-reads.js';

/** What templates see as `target`: the connection without its password. */
export interface TargetContext {
  name: string;
  schema: string;
  type: string;
  threads: number;
  database: string;
  user: string;
  host: string;
  port: number;
  profile_name: string;
  /** tspipe: pglite or postgres, the driver that runs the SQL. */
  driver: string;
}

export interface LogLine {
  message: string;
  /** log(msg, info=True) and print() reach the terminal; log(msg) only the log. */
  terminal: boolean;
  level: 'info' | 'warn';
}

export interface BuiltinsOptions {
  projectName: string;
  target: TargetContext;
  env: NodeJS.ProcessEnv;
  invocationId: string;
  runStartedAt: Date;
  /** dbt's `flags`: FULL_REFRESH, WHICH, STORE_FAILURES... */
  flags: Record<string, unknown>;
  /** The unique ids the command selected, filled once it has selected (empty while parsing, as in dbt). */
  selectedResources?: readonly string[];
}

export function builtins(options: BuiltinsOptions): Record<string, unknown> {
  const { env } = options;
  const runStartedAt = new PyDateTime(options.runStartedAt.getTime(), 0, UTC);
  return {
    target: { ...options.target },
    project_name: options.projectName,
    // New each invocation, like the clock: a render that reads it is never cached.
    get invocation_id() {
      noteVolatileRead();
      return options.invocationId;
    },
    dbt_version: '1.11.0',
    modules: pythonModules,
    flags: flagsObject(options.flags),
    api: {
      Relation: classApi(DbtRelation, ['create', 'add_ephemeral_prefix']),
      Column: classApi(DbtColumn, ['create', 'translate_type', 'string_type', 'numeric_type', 'from_description']),
    },
    get run_started_at() {
      noteVolatileRead();
      return runStartedAt;
    },
    // Depends on the command's selection, not on the files: never served from a cache.
    get selected_resources() {
      noteVolatileRead();
      return [...(options.selectedResources ?? [])];
    },
    env_var(...args: unknown[]) {
      const { var: name, default: fallback } = bindArgs('env_var', ['var', 'default'], args);
      const key = String(name);
      if (key.startsWith('DBT_ENV_SECRET'))
        throw new ProjectError(`env_var("${key}"): secret variables (DBT_ENV_SECRET_*) are only for profiles.yml and packages.yml`);
      const value = env[key];
      noteEnvRead(key, value);
      if (value !== undefined) return value;
      if (fallback !== undefined && fallback !== null) return fallback;
      throw new ProjectError(`env_var("${key}") is not set`, { hint: `export ${key}=... or give a default: env_var("${key}", "default")` });
    },
    return(value: unknown) {
      throw new MacroReturn(value);
    },
    fromjson(...args: unknown[]) {
      const { string, default: fallback } = bindArgs('fromjson', ['string', 'default'], args);
      try {
        return JSON.parse(String(string));
      } catch {
        return fallback ?? null;
      }
    },
    tojson(...args: unknown[]) {
      const { value, default: fallback, sort_keys: sortKeys } = bindArgs('tojson', ['value', 'default', 'sort_keys'], args);
      try {
        return pythonStyleJson(value, Boolean(sortKeys));
      } catch {
        return fallback ?? null;
      }
    },
    fromyaml(...args: unknown[]) {
      const { value, default: fallback } = bindArgs('fromyaml', ['value', 'default'], args);
      try {
        return parseYaml(String(value)) ?? null;
      } catch {
        return fallback ?? null;
      }
    },
    toyaml(...args: unknown[]) {
      const { value, default: fallback, sort_keys: sortKeys } = bindArgs('toyaml', ['value', 'default', 'sort_keys'], args);
      try {
        return stringifyYaml(value, { sortMapEntries: Boolean(sortKeys) });
      } catch {
        return fallback ?? null;
      }
    },
    zip: (...lists: unknown[]) => zipLists(lists),
    zip_strict: (...lists: unknown[]) => zipLists(lists),
    set: (value: unknown) => {
      try {
        return new Set(value as Iterable<unknown>);
      } catch {
        return null;
      }
    },
    set_strict: (value: unknown) => new Set(value as Iterable<unknown>),
    local_md5: (value: unknown) => createHash('md5').update(String(value)).digest('hex'),
    diff_of_two_dicts(a: Record<string, string[]>, b: Record<string, string[]>) {
      const result: Record<string, string[]> = {};
      const lowerB = new Map(Object.entries(b).map(([k, v]) => [k.toLowerCase(), new Set(v.map((x) => x.toLowerCase()))]));
      for (const [key, values] of Object.entries(a)) {
        const other = lowerB.get(key.toLowerCase());
        const kept = other ? values.filter((v) => !other.has(v.toLowerCase())) : values;
        if (kept.length) result[key] = kept;
      }
      return result;
    },
    try_or_compiler_error(message: unknown, fn: (...a: unknown[]) => unknown, ...args: unknown[]) {
      try {
        return fn(...args);
      } catch {
        throw new ProjectError(String(message));
      }
    },
    thread_id: 'Thread-1',
  };
}

/**
 * log(), print() and exceptions: per render, so a render that is replayed (it queried
 * the database) prints its lines once, when it completes.
 */
export function loggingBuiltins(log: (line: LogLine) => void): Record<string, unknown> {
  const text = (value: unknown) => (typeof value === 'string' ? value : value === null || value === undefined ? 'None' : String(value));
  return {
    log(...args: unknown[]) {
      const { msg, info } = bindArgs('log', ['msg', 'info'], args);
      log({ message: text(msg), terminal: Boolean(info), level: 'info' });
      return '';
    },
    print(msg: unknown) {
      log({ message: text(msg), terminal: true, level: 'info' });
      return '';
    },
    exceptions: exceptionsObject(log),
  };
}

/** A Python class as templates use it (`api.Column.translate_type(...)`): its static methods on an object. */
export function classApi(cls: object, methods: string[]): Record<string, unknown> {
  return Object.fromEntries(methods.map((name) => [name, (cls as Record<string, (...args: unknown[]) => unknown>)[name]!.bind(cls)]));
}

function zipLists(lists: unknown[]): unknown[] {
  const arrays = lists.map((l) => [...(l as Iterable<unknown>)]);
  const length = Math.min(...arrays.map((a) => a.length));
  return Array.from({ length: arrays.length ? length : 0 }, (_, i) => Object.freeze(arrays.map((a) => a[i])) as unknown[]);
}

/**
 * What a project raises itself (exceptions.raise_compiler_error): the fix is usually
 * where the macro is called, so the error points at the calling node, not the macro.
 */
export class RaisedByProject extends ProjectError {}

function exceptionsObject(log: (line: LogLine) => void) {
  const raise = (hint: string) => (message: unknown) => {
    throw new RaisedByProject(String(message), { hint });
  };
  return {
    raise_compiler_error: raise('the project raised this itself (exceptions.raise_compiler_error): do what the message asks, or fix the call'),
    raise_not_implemented: raise('this feature is not implemented for PostgreSQL in the macro that raised it'),
    raise_database_error: raise('the project raised this database error itself'),
    raise_fail_fast_error: raise('the project asked the run to stop (fail fast)'),
    raise_dependency_error: raise('a package dependency is missing or wrong'),
    column_type_missing: (columnNames: unknown) => {
      throw new ProjectError(`the contract is missing data_type for columns: ${String(columnNames)}`);
    },
    warn(message: unknown) {
      log({ message: String(message), terminal: true, level: 'warn' });
      return '';
    },
  };
}

/** dbt's flags object: known flags as given, unknown ones None (templates test them freely). */
function flagsObject(values: Record<string, unknown>): object {
  return new Proxy(values, {
    get: (target, name) => {
      if (typeof name !== 'string') return undefined;
      const value = target[name] ?? null;
      // The engine's own probes (__html__...) are no flags a template asked for.
      if (!name.startsWith('_')) noteFlagRead(name, value);
      return value;
    },
    has: (_target, name) => typeof name === 'string',
  });
}

/** Python's json.dumps: ", " and ": " separators, so hashes of it match dbt's. */
function pythonStyleJson(value: unknown, sortKeys: boolean): string {
  const seen = (v: unknown): unknown => {
    if (v instanceof Set) return [...v].map(seen);
    if (Array.isArray(v)) return v.map(seen);
    if (v && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function' && Object.getPrototypeOf(v) === Object.prototype) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return Object.fromEntries(entries.map(([k, x]) => [k, seen(x)]));
    }
    if (v && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function') return String(v);
    return v;
  };
  return JSON.stringify(seen(value), null, 0).replace(/"(?:[^"\\]|\\.)*"|[,:]/g, (token) => (token === ',' ? ', ' : token === ':' ? ': ' : token));
}
