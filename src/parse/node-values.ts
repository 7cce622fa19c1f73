/**
 * The per-render names of a dbt template, from the stage's RenderHooks: ref, source,
 * config (callable, with get/require/set), this, model, execute, is_incremental,
 * should_full_refresh, var (scoped to the node's package), adapter, and the statement
 * results store behind `statement`/`load_result`.
 */
import { adapterObject, AdapterResponse } from '../context/adapter-object.js';
import { bindArgs, splitKwargs } from '../context/call-args.js';
import type { MacroRegistry, RenderMode } from '../context/macro-registry.js';
import type { QueryTable } from '../context/query-table.js';
import type { TemplateContext } from '../context/template-context.js';
import { WarehouseSession } from '../context/warehouse.js';
import { ProjectError } from '../errors.js';
import { PARSE_GRAPH } from './node-dict.js';
import { noteFlagRead, type RenderHooks } from './render-hooks.js';

export interface ValuesOptions {
  hooks: RenderHooks;
  mode: RenderMode;
  registry: MacroRegistry;
  context: () => TemplateContext;
  /** var(): the value for a name in this package, or undefined. */
  lookupVar(name: string, packageName: string): { found: boolean; value?: unknown };
  /** Renders a var's string value (dbt renders them when read). */
  renderVar(text: string): unknown;
  database: string;
  targetSchema: string;
  fullRefresh: boolean;
}

const NO_SESSION = new WarehouseSession(undefined);

export function nodeValues(options: ValuesOptions): object {
  const { hooks, mode } = options;
  const packageName = hooks.packageName ?? options.registry.rootPackage;
  const results = new Map<string, { response: unknown; data: unknown[]; table: QueryTable | null }>();
  const session = mode === 'run' ? (hooks.session ?? NO_SESSION) : NO_SESSION;
  const config = configObject(hooks, mode);
  const ref = (...args: unknown[]) => {
    const { positional, kwargs } = splitKwargs(args);
    if (positional.length < 1 || positional.length > 2) throw new ProjectError(`ref() takes one or two names (package, model), got ${positional.length}`);
    const [first, second] = positional.map(String);
    return hooks.ref(first!, second, kwargs.version ?? kwargs.v);
  };
  const source = (...args: unknown[]) => {
    const { source_name: sourceName, table_name: tableName } = bindArgs('source', ['source_name', 'table_name'], args);
    return hooks.source(String(sourceName), String(tableName));
  };
  let adapter: object | undefined;
  const values: Record<string, unknown> = {
    ref,
    source,
    config,
    builtins: { ref, source, config },
    execute: mode === 'run',
    database: options.database,
    schema: options.targetSchema,
    is_incremental: () => mode === 'run' && hooks.isIncremental(),
    should_full_refresh: () => {
      const configured = mode === 'run' ? hooks.configGet('full_refresh', null) : null;
      if (configured !== null && configured !== undefined) return Boolean(configured);
      noteFlagRead('FULL_REFRESH', options.fullRefresh);
      return options.fullRefresh;
    },
    var: (...args: unknown[]) => {
      const { positional } = splitKwargs(args);
      const name = String(positional[0]);
      const overridden = hooks.overrides?.vars;
      if (overridden && Object.hasOwn(overridden, name)) return overridden[name];
      const { found, value } = options.lookupVar(name, packageName);
      if (found) return typeof value === 'string' && (value.includes('{{') || value.includes('{%')) ? options.renderVar(value) : value;
      if (positional.length > 1) return positional[1];
      if (mode === 'parse') return null;
      throw new ProjectError(`var("${name}") is not defined`, {
        hint: `set it under vars: in dbt_project.yml / project.yml, pass --vars '{"${name}": ...}', or give a default: var("${name}", default)`,
      });
    },
    store_result(...args: unknown[]) {
      const { name, response, agate_table: table } = bindArgs('store_result', ['name', 'response', 'agate_table'], args);
      const agate = (table ?? null) as QueryTable | null;
      results.set(String(name), { response, table: agate, data: agate ? agate.matrix() : [] });
      return '';
    },
    store_raw_result(...args: unknown[]) {
      const {
        name,
        message,
        code,
        rows_affected: rows,
        agate_table: table,
      } = bindArgs('store_raw_result', ['name', 'message', 'code', 'rows_affected', 'agate_table'], args);
      const agate = (table ?? null) as QueryTable | null;
      results.set(String(name), {
        response: new AdapterResponse(String(code ?? message ?? 'OK'), Number(rows ?? 0)),
        table: agate,
        data: agate ? agate.matrix() : [],
      });
      return '';
    },
    load_result: (name: unknown) => {
      const found = results.get(String(name));
      return found ? { ...found } : null;
    },
    ...hooks.extra,
  };
  Object.defineProperty(values, 'this', { get: () => hooks.thisRelation, enumerable: true });
  Object.defineProperty(values, 'model', { get: () => hooks.model?.() ?? {}, enumerable: true });
  Object.defineProperty(values, 'graph', { get: () => hooks.graph?.() ?? PARSE_GRAPH, enumerable: true });
  Object.defineProperty(values, 'adapter', {
    get: () => (adapter ??= adapterObject({ registry: options.registry, context: options.context, session, database: options.database })),
    enumerable: true,
  });
  return values;
}

function configObject(hooks: RenderHooks, mode: RenderMode) {
  const call = (...args: unknown[]) => {
    if (mode === 'run') return '';
    const { positional, kwargs } = splitKwargs(args);
    const values = positional.length === 1 && typeof positional[0] === 'object' && positional[0] !== null ? (positional[0] as Record<string, unknown>) : kwargs;
    if (positional.length > 1 || (positional.length === 1 && Object.keys(kwargs).length)) {
      throw new ProjectError('config() takes either keyword arguments or one dict, not both');
    }
    hooks.config(hookKeys(values));
    return '';
  };
  const lookup = (name: string, fallback: unknown) => {
    const value = hooks.configGet(name, undefined);
    return value === undefined ? fallback : value;
  };
  return Object.assign(call, {
    get(...args: unknown[]) {
      const { name, default: fallback } = bindArgs('config.get', ['name', 'default', 'validator'], args);
      return mode === 'parse' ? '' : lookup(String(name), fallback ?? null);
    },
    require(name: unknown) {
      if (mode === 'parse') return '';
      const value = lookup(String(name), undefined);
      if (value === undefined)
        throw new ProjectError(`config "${String(name)}" is required by this model`, {
          hint: `set ${String(name)} in {{ config() }}, in schema YAML or in the project file`,
        });
      return value;
    },
    set: (name: unknown, value: unknown) => call({ [String(name)]: value }),
    meta_get(...args: unknown[]) {
      const { name, default: fallback } = bindArgs('config.meta_get', ['name', 'default'], args);
      if (mode === 'parse') return '';
      const meta = (lookup('meta', {}) ?? {}) as Record<string, unknown>;
      return meta[String(name)] ?? fallback ?? null;
    },
    meta_require(name: unknown) {
      if (mode === 'parse') return '';
      const meta = (lookup('meta', {}) ?? {}) as Record<string, unknown>;
      if (!(String(name) in meta)) throw new ProjectError(`meta "${String(name)}" is required by this model`);
      return meta[String(name)];
    },
    persist_relation_docs: () => false,
    persist_column_docs: () => false,
  });
}

/** dbt accepts pre_hook/post_hook in config() and stores them as pre-hook/post-hook. */
function hookKeys(values: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) result[key === 'pre_hook' ? 'pre-hook' : key === 'post_hook' ? 'post-hook' : key] = value;
  return result;
}
