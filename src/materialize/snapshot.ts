/**
 * snapshot (dbt's slowly changing dimension, type 2): the first run creates the table
 * from the SELECT with dbt_scd_id, dbt_updated_at, dbt_valid_from and dbt_valid_to;
 * later runs stage the SELECT, close the current version of every changed record
 * (dbt_valid_to), insert the new versions, and per `hard_deletes` close (invalidate)
 * or also mark with a `dbt_is_deleted = 'True'` row (new_record) the records gone
 * from the SELECT; a column the SELECT gained is added. All in one transaction: a
 * failed snapshot changes nothing.
 * Strategies: `timestamp` (a record changed when its updated_at is later than its
 * current version's dbt_valid_from) and `check` (when a check_cols column differs,
 * dated at the snapshot time, now() without time zone as dbt-postgres does).
 */
import { quoteIdentifier as q, truncateIdentifier } from '../contract/index.js';
import { UsageError } from '../errors.js';
import { toKeyList } from './incremental.js';
import type { MaterializationStrategy, SqlStep } from './materialization.js';

export const SNAPSHOT_META_COLUMNS = ['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to', 'dbt_is_deleted'] as const;
const SNAPSHOT_TIME = 'now()::timestamp';

export const materializeSnapshot: MaterializationStrategy = ({ model, existing, selectColumns }) => {
  const { node } = model;
  const config = node.config;
  const target = model.relation;
  const keys = toKeyList(config.unique_key);
  const hardDeletes = String(config.hard_deletes ?? (config.invalidate_hard_deletes === true ? 'invalidate' : 'ignore'));
  const timestamp = config.strategy === 'timestamp';
  /** When a row of `alias` became this version: its updated_at, or the snapshot time. */
  const updated = (alias: string) => (timestamp ? `${alias}.${q(String(config.updated_at))}` : SNAPSHOT_TIME);
  const keyText = (alias: string) => keys.map((k) => `coalesce(cast(${alias}.${q(k)} as text), '')`).join(` || '|' || `);
  const scdId = (alias: string, when: string) => `md5(${keyText(alias)} || '|' || coalesce(cast(${when} as text), ''))`;
  const sameKey = (a: string, b: string) => keys.map((k) => `${a}.${q(k)} = ${b}.${q(k)}`).join(' and ');
  const deletedFlag = hardDeletes === 'new_record';

  if (!existing) {
    const when = updated('s');
    return {
      build: [
        {
          purpose: `create snapshot ${target.display}`,
          sql:
            `create table ${target} as\nselect s.*, ${scdId('s', when)} as dbt_scd_id, ${when} as dbt_updated_at, ${when} as dbt_valid_from,\n` +
            `  nullif(${when}, ${when}) as dbt_valid_to${deletedFlag ? `, 'False'::text as dbt_is_deleted` : ''}\nfrom (\n${model.sql}\n) as s`,
          countsRows: true,
        },
      ],
      publish: [],
      verb: 'created snapshot',
    };
  }
  if (existing.kind !== 'table' || !existing.columns.includes('dbt_scd_id')) {
    throw new UsageError(`${target.display} exists and is not a snapshot table (no dbt_scd_id column)`, {
      file: node.originalFilePath,
      hint: 'drop it, or give the snapshot another name, alias or target_schema',
    });
  }
  const staged = q(truncateIdentifier(target.identifier, '__tspipe_snap'));
  const isMeta = (c: string) => (SNAPSHOT_META_COLUMNS as readonly string[]).includes(c);
  // A column the SELECT gained is added to the table, as dbt does; older versions have it null.
  const added = (selectColumns ?? []).filter((c) => !isMeta(c.name) && !existing.columns.includes(c.name));
  const data = [...existing.columns.filter((c) => !isMeta(c)), ...added.map((c) => c.name)];
  const checked = config.check_cols === 'all' || !Array.isArray(config.check_cols) ? data : (config.check_cols as string[]);
  const changed = timestamp ? `t.dbt_valid_from < ${updated('s')}` : checked.map((c) => `t.${q(c)} is distinct from s.${q(c)}`).join(' or ');
  const dataList = data.map(q).join(', ');
  const metaList = `dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to${deletedFlag ? ', dbt_is_deleted' : ''}`;
  const steps: SqlStep[] = [
    { purpose: `stage the rows of ${node.name}`, sql: `create temp table ${staged} on commit drop as\nselect * from (\n${model.sql}\n) as s` },
  ];
  for (const column of added) {
    steps.push({ purpose: `add column ${column.name} to ${target.display}`, sql: `alter table ${target} add column ${q(column.name)} ${column.type}` });
  }
  if (deletedFlag && !existing.columns.includes('dbt_is_deleted')) {
    steps.push({ purpose: `add dbt_is_deleted to ${target.display}`, sql: `alter table ${target} add column dbt_is_deleted text not null default 'False'` });
  }
  steps.push(
    {
      purpose: `close the changed records of ${target.display}`,
      sql:
        `update ${target} as t set dbt_valid_to = ${updated('s')}\nfrom ${staged} as s\n` +
        `where ${sameKey('t', 's')} and t.dbt_valid_to is null and (${changed}${deletedFlag ? ` or t.dbt_is_deleted = 'True'` : ''})`,
    },
    {
      purpose: `insert new versions into ${target.display}`,
      sql:
        `insert into ${target} (${dataList}, ${metaList})\n` +
        `select ${data.map((c) => `s.${q(c)}`).join(', ')}, ${scdId('s', updated('s'))}, ${updated('s')}, ${updated('s')}, null${deletedFlag ? `, 'False'` : ''}\n` +
        `from ${staged} as s\nwhere not exists (select 1 from ${target} as t where ${sameKey('t', 's')} and t.dbt_valid_to is null)`,
      countsRows: true,
    },
  );
  if (hardDeletes !== 'ignore') {
    const gone = `not exists (select 1 from ${staged} as s where ${sameKey('t', 's')})`;
    steps.push({
      purpose: `close the records gone from ${node.name}`,
      sql: `update ${target} as t set dbt_valid_to = ${SNAPSHOT_TIME}\nwhere t.dbt_valid_to is null${deletedFlag ? ` and t.dbt_is_deleted = 'False'` : ''} and ${gone}`,
    });
  }
  if (deletedFlag) {
    // now() is the transaction's start: the rows just closed are those dated now.
    steps.push({
      purpose: `record the deletions in ${target.display}`,
      sql:
        `insert into ${target} (${dataList}, ${metaList})\n` +
        `select ${data.map((c) => `t.${q(c)}`).join(', ')}, ${scdId('t', SNAPSHOT_TIME)}, ${SNAPSHOT_TIME}, ${SNAPSHOT_TIME}, null, 'True'\n` +
        `from ${target} as t\nwhere t.dbt_valid_to = ${SNAPSHOT_TIME} and t.dbt_is_deleted = 'False' and not exists (select 1 from ${staged} as s where ${sameKey('t', 's')})\n` +
        `  and not exists (select 1 from ${target} as c where ${sameKey('c', 't')} and c.dbt_valid_to is null)`,
    });
  }
  // Changed in place: tests of the snapshot read it inside the still-open transaction.
  return { build: steps, audit: target, publish: [], verb: 'snapshotted' };
};
