/**
 * `adapter` in a template: dispatch to the right macro, quoting, and the database
 * introspection dbt-postgres offers (get_columns_in_relation, get_relation, execute,
 * drop_relation...), each a statement run through the render's WarehouseSession.
 */
import { ProjectError } from '../errors.js';
import { classApi } from './builtins.js';
import { bindArgs } from './call-args.js';
import { DbtColumn } from './column.js';
import type { MacroRegistry } from './macro-registry.js';
import { QueryTable } from './query-table.js';
import { DbtRelation, type RelationType } from './relation.js';
import type { TemplateContext } from './template-context.js';
import type { WarehouseSession } from './warehouse.js';

/** dbt's adapter response: printed as the command tag, with the rows affected. */
export class AdapterResponse {
  constructor(
    readonly code: string,
    readonly rows_affected: number,
  ) {}
  get _message(): string {
    return `${this.code} ${this.rows_affected}`;
  }
  toString(): string {
    return this._message;
  }
}

export interface AdapterOptions {
  registry: MacroRegistry;
  /** The render's context, to bind the macro dispatch finds. */
  context: () => TemplateContext;
  session: WarehouseSession;
  /** target.database: what relations without a database belong to. */
  database: string;
}

const ADAPTER_PREFIXES = ['postgres', 'default'];

export function adapterObject(options: AdapterOptions): object {
  const { registry, session } = options;
  const literal = (value: unknown) => `'${String(value).replace(/'/g, "''")}'`;
  const run = (sql: string) => session.run(sql);
  const relationOf = (value: unknown): DbtRelation => {
    if (value instanceof DbtRelation) return value;
    throw new ProjectError(`expected a relation (ref(), source() or api.Relation.create()), got ${String(value)}`);
  };
  const relationsIn = (schema: string, identifier?: string): DbtRelation[] => {
    const sql = `select c.relname as name, n.nspname as schema, case c.relkind when 'v' then 'view' when 'm' then 'materialized_view' else 'table' end as type
from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p', 'v', 'm', 'f') and n.nspname = ${literal(schema)}${identifier === undefined ? '' : ` and c.relname = ${literal(identifier)}`}
order by c.relname`;
    return run(sql)
      .table.records()
      .map((row) => new DbtRelation({ database: options.database, schema: String(row.schema), identifier: String(row.name), type: row.type as RelationType }));
  };
  const columnsOf = (relation: DbtRelation): DbtColumn[] => {
    if (!relation.identifier) return [];
    const sql = `select column_name, data_type, character_maximum_length, numeric_precision, numeric_scale
from information_schema.columns
where table_name = ${literal(relation.identifier)}${relation.schema ? ` and table_schema = ${literal(relation.schema)}` : ''}
order by ordinal_position`;
    return run(sql)
      .table.records()
      .map(
        (row) =>
          new DbtColumn(
            String(row.column_name),
            String(row.data_type),
            (row.character_maximum_length as number | null) ?? null,
            (row.numeric_precision as number | null) ?? null,
            (row.numeric_scale as number | null) ?? null,
          ),
      );
  };
  const getRelation = (_database: unknown, schema: unknown, identifier: unknown): DbtRelation | null => {
    if (!session.connected || typeof schema !== 'string' || typeof identifier !== 'string') return null;
    return relationsIn(schema, identifier)[0] ?? null;
  };

  return {
    type: () => 'postgres',
    Relation: classApi(DbtRelation, ['create', 'add_ephemeral_prefix']),
    Column: classApi(DbtColumn, ['create', 'translate_type', 'string_type', 'numeric_type', 'from_description']),
    behavior: new Proxy({}, { get: () => ({ no_warn: false, warn: false, setting: false, toString: () => 'False' }) }),

    /** adapter.dispatch('name', macro_namespace='pkg'): the first of postgres__name, default__name along the search order. */
    dispatch(...args: unknown[]) {
      const { macro_name: name, macro_namespace: namespace, packages } = bindArgs('adapter.dispatch', ['macro_name', 'macro_namespace', 'packages'], args);
      if (typeof name !== 'string') throw new ProjectError('adapter.dispatch: the macro name must be a string');
      if (name.includes('.')) {
        const [suggested, rest] = name.split('.', 2);
        throw new ProjectError(`adapter.dispatch got the macro name "${name}", but "." is not part of a macro name`, {
          hint: `write adapter.dispatch("${rest}", macro_namespace="${suggested}")`,
        });
      }
      if (packages !== undefined && packages !== null)
        throw new ProjectError('adapter.dispatch: the packages argument is gone since dbt 0.20', {
          hint: 'use macro_namespace and the dispatch: config in dbt_project.yml',
        });
      const context = options.context();
      const searched: string[] = [];
      for (const packageName of registry.searchPackages(typeof namespace === 'string' ? namespace : undefined)) {
        for (const prefix of ADAPTER_PREFIXES) {
          const candidate = `${prefix}__${name}`;
          searched.push(packageName ? `${packageName}.${candidate}` : candidate);
          const found = packageName === undefined ? lookup(context, candidate) : lookupInPackage(context, registry, packageName, candidate);
          if (found !== undefined) return found;
        }
      }
      throw new ProjectError(
        `adapter.dispatch: no macro named "${name}" in namespace ${namespace ?? 'None'}; searched ${searched.map((s) => `'${s}'`).join(', ')}`,
        {
          hint: 'define one of those macros, or check the dispatch: search_order in dbt_project.yml',
        },
      );
    },

    quote: (identifier: unknown) => `"${String(identifier).replace(/"/g, '""')}"`,
    quote_as_configured: (identifier: unknown) => `"${String(identifier).replace(/"/g, '""')}"`,
    quote_seed_column: (column: unknown, quoteConfig: unknown) => (quoteConfig === false ? String(column) : `"${String(column).replace(/"/g, '""')}"`),

    /** adapter.execute(sql, auto_begin=False, fetch=False) -> (response, table) */
    execute(...args: unknown[]) {
      const { sql, fetch } = bindArgs('adapter.execute', ['sql', 'auto_begin', 'fetch', 'limit'], args);
      const outcome = run(String(sql));
      return Object.freeze([new AdapterResponse(outcome.code, outcome.rowsAffected), fetch ? outcome.table : new QueryTable([], [], [])]);
    },
    get_columns_in_relation: (relation: unknown) => (session.connected ? columnsOf(relationOf(relation)) : []),
    get_relation(...args: unknown[]) {
      const { database, schema, identifier } = bindArgs('adapter.get_relation', ['database', 'schema', 'identifier'], args);
      return getRelation(database, schema, identifier);
    },
    load_relation: (relation: unknown) => {
      const r = relationOf(relation);
      return getRelation(r.database, r.schema, r.identifier);
    },
    list_relations_without_caching: (schemaRelation: unknown) => (session.connected ? relationsIn(String(relationOf(schemaRelation).schema)) : []),
    list_relations: (_database: unknown, schema: unknown) => (session.connected ? relationsIn(String(schema)) : []),
    check_schema_exists: (_database: unknown, schema: unknown) =>
      session.connected && run(`select 1 from pg_catalog.pg_namespace where nspname = ${literal(schema)}`).table.rows.length > 0,
    list_schemas: () => (session.connected ? run('select nspname from pg_catalog.pg_namespace order by nspname').table.rows.map((r) => r[0]) : []),
    create_schema: (relation: unknown) => void run(`create schema if not exists ${relationOf(relation).without_identifier().render()}`),
    drop_schema: (relation: unknown) => void run(`drop schema if exists ${relationOf(relation).without_identifier().render()} cascade`),
    drop_relation(relation: unknown) {
      const r = relationOf(relation);
      const kind = r.type === 'view' ? 'view' : r.type === 'materialized_view' ? 'materialized view' : 'table';
      run(`drop ${kind} if exists ${r.render()} cascade`);
    },
    truncate_relation: (relation: unknown) => void run(`truncate table ${relationOf(relation).render()}`),
    rename_relation(from: unknown, to: unknown) {
      const source = relationOf(from);
      const kind = source.type === 'view' ? 'view' : 'table';
      run(`alter ${kind} ${source.render()} rename to "${String(relationOf(to).identifier).replace(/"/g, '""')}"`);
    },
    get_missing_columns(from: unknown, to: unknown) {
      const target = new Set(columnsOf(relationOf(to)).map((c) => c.name));
      return columnsOf(relationOf(from)).filter((c) => !target.has(c.name));
    },
    already_exists: (schema: unknown, name: unknown) => getRelation(null, schema, name) !== null,
    expand_target_column_types: () => '',
    commit: () => '',
    cache_added: () => '',
    cache_dropped: () => '',
    cache_renamed: () => '',
  };
}

function lookup(context: TemplateContext, name: string): unknown {
  return name in context ? context[name] : undefined;
}

function lookupInPackage(context: TemplateContext, registry: MacroRegistry, packageName: string, name: string): unknown {
  if (!registry.fromPackage(packageName, name)) return undefined;
  return (context[packageName] as Record<string, unknown>)[name];
}
