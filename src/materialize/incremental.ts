/**
 * incremental: the first run (or --full-refresh, or a relation that is not a table)
 * builds like `table`; later runs stage the new rows in a temp table and append,
 * delete+insert, or merge them on `unique_key`, inside one transaction.
 */
import { quoteIdentifier, truncateIdentifier } from '../contract/index.js';
import { UsageError } from '../errors.js';
import type { MaterializationStrategy, SqlStep } from './materialization.js';
import { buildAndSwapTable } from './table.js';
import { materializeMicrobatch } from './microbatch.js';

export const materializeIncremental: MaterializationStrategy = (input) => {
  const { model, existing, fullRefresh } = input;
  if (model.node.config.incremental_strategy === 'microbatch') return materializeMicrobatch(input);
  if (existing?.kind !== 'table' || fullRefresh || model.node.config.full_refresh === true) {
    return buildAndSwapTable(input);
  }
  const target = model.relation;
  const staged = quoteIdentifier(truncateIdentifier(target.identifier, '__tspipe_incr'));
  const uniqueKey = toKeyList(model.node.config.unique_key);
  const strategy = model.node.config.incremental_strategy ?? (uniqueKey.length ? 'delete+insert' : 'append');
  if (strategy !== 'append' && !uniqueKey.length) {
    throw new UsageError(`incremental_strategy "${strategy}" needs a unique_key`, {
      file: model.node.originalFilePath,
      hint: "add unique_key='id' to the model's config, or use incremental_strategy='append'",
    });
  }
  const columns = existing.columns.map(quoteIdentifier);
  const columnList = columns.join(', ');
  const keyMatch = uniqueKey.map((k) => `t.${quoteIdentifier(k)} = s.${quoteIdentifier(k)}`).join(' and ');
  const steps: SqlStep[] = [
    {
      purpose: `stage new rows for ${target.display}`,
      sql: `create temp table ${staged} on commit drop as (\n${model.sql}\n)`,
    },
  ];
  if (strategy === 'delete+insert') {
    steps.push(
      // A semi-join: `using` would join every staged row to every target row of its key
      // (a day's file of 1,344 rows sharing one key: 1.8M join rows to delete 1,344).
      {
        purpose: `delete replaced rows from ${target.display}`,
        sql: `delete from ${target} as t where exists (select 1 from ${staged} as s where ${keyMatch})`,
      },
      { purpose: `insert into ${target.display}`, sql: `insert into ${target} (${columnList}) select ${columnList} from ${staged}`, countsRows: true },
    );
  } else if (strategy === 'merge') {
    const updates = existing.columns.filter((c) => !uniqueKey.includes(c)).map((c) => `${quoteIdentifier(c)} = s.${quoteIdentifier(c)}`);
    steps.push({
      purpose: `merge into ${target.display}`,
      sql:
        `merge into ${target} as t using ${staged} as s on ${keyMatch}\n` +
        (updates.length ? `when matched then update set ${updates.join(', ')}\n` : '') +
        `when not matched then insert (${columnList}) values (${columns.map((c) => `s.${c}`).join(', ')})`,
      countsRows: true,
    });
  } else {
    steps.push({
      purpose: `append to ${target.display}`,
      sql: `insert into ${target} (${columnList}) select ${columnList} from ${staged}`,
      countsRows: true,
    });
  }
  // The table is changed in place: audits read it inside the still-open transaction.
  return { build: steps, audit: target, publish: [], verb: strategy === 'merge' ? 'merged into' : 'inserted into' };
};

export function toKeyList(key: unknown): string[] {
  if (typeof key === 'string')
    return key
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
  return Array.isArray(key) ? key.map(String) : [];
}
