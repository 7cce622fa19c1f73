/**
 * incremental: the first run (or --full-refresh, or a relation that is not a table)
 * builds like `table`; later runs stage the new rows in a temp table and append,
 * delete+insert, or merge them on `unique_key`, inside one transaction. As
 * dbt-postgres writes them: `incremental_predicates` narrow the delete or the merge
 * (a merge names the target DBT_INTERNAL_DEST and the new rows DBT_INTERNAL_SOURCE),
 * `merge_update_columns` / `merge_exclude_columns` say what a match updates, and
 * `on_schema_change` (ignore, fail, append_new_columns, sync_all_columns) handles a
 * SELECT whose columns no longer match the table's.
 */
import { quoteIdentifier as q, truncateIdentifier } from '../contract/index.js';
import { ProjectError, UsageError } from '../errors.js';
import type { ExistingRelation, MaterializationStrategy, MaterializeInput, SqlStep } from './materialization.js';
import { buildAndSwapTable } from './table.js';
import { materializeMicrobatch } from './microbatch.js';

const ON_SCHEMA_CHANGE = ['ignore', 'fail', 'append_new_columns', 'sync_all_columns'] as const;

export const materializeIncremental: MaterializationStrategy = (input) => {
  const { model, existing, fullRefresh } = input;
  const config = model.node.config;
  if (config.incremental_strategy === 'microbatch') return materializeMicrobatch(input);
  if (existing?.kind !== 'table' || fullRefresh || config.full_refresh === true) {
    return buildAndSwapTable(input);
  }
  const file = model.node.originalFilePath;
  const target = model.relation;
  const staged = q(truncateIdentifier(target.identifier, '__tspipe_incr'));
  const uniqueKey = toKeyList(config.unique_key);
  const strategy = config.incremental_strategy ?? (uniqueKey.length ? 'delete+insert' : 'append');
  if (strategy !== 'append' && !uniqueKey.length) {
    throw new UsageError(`incremental_strategy "${strategy}" needs a unique_key`, {
      file,
      hint: "add unique_key='id' to the model's config, or use incremental_strategy='append'",
    });
  }
  const predicates = stringList(config.incremental_predicates, 'incremental_predicates', file);
  const steps: SqlStep[] = [
    {
      purpose: `stage new rows for ${target.display}`,
      sql: `create temp table ${staged} on commit drop as (\n${model.sql}\n)`,
    },
  ];
  const schema = schemaChangeSteps(input, existing, target.toString());
  steps.push(...schema.steps);
  const columns = schema.columns.map(q);
  const columnList = columns.join(', ');
  if (strategy === 'delete+insert') {
    // dbt-postgres's two forms: a list of keys matched against the new rows, a key string
    // looked up in them (so a predicate's bare column names mean the target's).
    const keys = uniqueKey.map(q).join(', ');
    // Both as semi-joins: `using` would join every staged row to every target row of its key
    // (a day's file of 1,344 rows sharing one key: 1.8M join rows to delete 1,344).
    const replaced = Array.isArray(config.unique_key)
      ? `delete from ${target}\nwhere ${[`exists (select 1 from ${staged} where ${uniqueKey.map((k) => `${staged}.${q(k)} = ${target}.${q(k)}`).join(' and ')})`, ...predicates].join(' and ')}`
      : `delete from ${target}\nwhere ${[`(${keys}) in (select ${keys} from ${staged})`, ...predicates].join(' and ')}`;
    steps.push(
      { purpose: `delete replaced rows from ${target.display}`, sql: replaced },
      { purpose: `insert into ${target.display}`, sql: `insert into ${target} (${columnList}) select ${columnList} from ${staged}`, countsRows: true },
    );
  } else if (strategy === 'merge') {
    const updated = mergeUpdateColumns(config, schema.columns, file);
    const on = [...uniqueKey.map((k) => `DBT_INTERNAL_SOURCE.${q(k)} = DBT_INTERNAL_DEST.${q(k)}`), ...predicates].map((p) => `(${p})`).join(' and ');
    steps.push({
      purpose: `merge into ${target.display}`,
      sql:
        `merge into ${target} as DBT_INTERNAL_DEST using ${staged} as DBT_INTERNAL_SOURCE\non ${on}\n` +
        (updated.length ? `when matched then update set ${updated.map((c) => `${q(c)} = DBT_INTERNAL_SOURCE.${q(c)}`).join(', ')}\n` : '') +
        `when not matched then insert (${columnList}) values (${columns.map((c) => `DBT_INTERNAL_SOURCE.${c}`).join(', ')})`,
      countsRows: true,
    });
  } else if (strategy === 'append') {
    steps.push({ purpose: `append to ${target.display}`, sql: `insert into ${target} (${columnList}) select ${columnList} from ${staged}`, countsRows: true });
  } else {
    throw new UsageError(`incremental_strategy "${strategy}" is not one of append, delete+insert, merge, microbatch`, { file });
  }
  // The table is changed in place: audits read it inside the still-open transaction.
  return { build: steps, audit: target, publish: [], verb: strategy === 'merge' ? 'merged into' : 'inserted into' };
};

/**
 * dbt's process_schema_changes: compares the SELECT's columns with the table's. With
 * changes and a policy other than ignore, the rows are written by the SELECT's columns
 * (a column the table has and the SELECT lost gets null).
 */
function schemaChangeSteps(input: MaterializeInput, existing: ExistingRelation, target: string): { steps: SqlStep[]; columns: string[] } {
  const { model, selectColumns } = input;
  const file = model.node.originalFilePath;
  const policy = model.node.config.on_schema_change ?? 'ignore';
  if (!(ON_SCHEMA_CHANGE as readonly unknown[]).includes(policy)) {
    throw new UsageError(`on_schema_change "${String(policy)}" is not one of ${ON_SCHEMA_CHANGE.join(', ')}`, { file });
  }
  if (policy === 'ignore' || !selectColumns) return { steps: [], columns: existing.columns };
  const typeOf = new Map(existing.columns.map((c, i) => [c, existing.types?.[i]]));
  const added = selectColumns.filter((c) => !typeOf.has(c.name));
  const removed = existing.columns.filter((c) => !selectColumns.some((s) => s.name === c));
  const retyped = selectColumns.filter((c) => typeOf.has(c.name) && typeOf.get(c.name) !== undefined && typeOf.get(c.name) !== c.type);
  if (!added.length && !removed.length && !retyped.length) return { steps: [], columns: existing.columns };
  if (policy === 'fail') {
    const changes = [
      ...added.map((c) => `added ${c.name} ${c.type}`),
      ...removed.map((c) => `removed ${c}`),
      ...retyped.map((c) => `${c.name} ${typeOf.get(c.name)} -> ${c.type}`),
    ];
    throw new ProjectError(`the SELECT's columns no longer match ${model.relation.display} (${changes.join(', ')}), and on_schema_change is fail`, {
      file,
      hint: "run it once with --full-refresh, or set on_schema_change='append_new_columns' or 'sync_all_columns'",
    });
  }
  const steps: SqlStep[] = added.map((c) => ({
    purpose: `add column ${c.name} to ${model.relation.display}`,
    sql: `alter table ${target} add column ${q(c.name)} ${c.type}`,
  }));
  if (policy === 'sync_all_columns') {
    for (const c of removed) steps.push({ purpose: `drop column ${c} from ${model.relation.display}`, sql: `alter table ${target} drop column ${q(c)}` });
    for (const c of retyped) {
      steps.push({
        purpose: `change ${c.name} to ${c.type} in ${model.relation.display}`,
        sql: `alter table ${target} alter column ${q(c.name)} type ${c.type} using ${q(c.name)}::${c.type}`,
      });
    }
  }
  return { steps, columns: selectColumns.map((c) => c.name) };
}

/** What a matched row updates: merge_update_columns, else every column but merge_exclude_columns. */
function mergeUpdateColumns(config: Record<string, unknown>, columns: string[], file: string): string[] {
  const only =
    config.merge_update_columns === undefined || config.merge_update_columns === null
      ? undefined
      : stringList(config.merge_update_columns, 'merge_update_columns', file);
  const excluded = new Set(stringList(config.merge_exclude_columns, 'merge_exclude_columns', file));
  if (only && excluded.size) throw new UsageError('merge_update_columns and merge_exclude_columns cannot be used together', { file });
  return only ?? columns.filter((c) => !excluded.has(c));
}

function stringList(value: unknown, key: string, file: string): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) throw new UsageError(`${key}: must be a list of strings`, { file });
  return list as string[];
}

export function toKeyList(key: unknown): string[] {
  if (typeof key === 'string')
    return key
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
  return Array.isArray(key) ? key.map(String) : [];
}
