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
 * dbt 1.9: `snapshot_meta_column_names` renames the meta columns, and
 * `dbt_valid_to_current` (an SQL expression) marks current versions instead of null;
 * versions already null stay current, as dbt leaves them.
 */
import { quoteIdentifier as q, truncateIdentifier } from '../contract/index.js';
import { UsageError } from '../errors.js';
import { toKeyList } from './incremental.js';
import type { MaterializationStrategy, SqlStep } from './materialization.js';

export const SNAPSHOT_META_COLUMNS = ['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to', 'dbt_is_deleted'] as const;
type MetaColumn = (typeof SNAPSHOT_META_COLUMNS)[number];
const SNAPSHOT_TIME = 'now()::timestamp';

/** The meta columns' names: dbt's, or as `snapshot_meta_column_names` renames them. */
function metaColumnNames(configured: unknown, file: string): Record<MetaColumn, string> {
  const names = Object.fromEntries(SNAPSHOT_META_COLUMNS.map((c) => [c, c])) as Record<MetaColumn, string>;
  if (configured === undefined || configured === null) return names;
  if (typeof configured !== 'object' || Array.isArray(configured)) {
    throw new UsageError('snapshot_meta_column_names must be a mapping such as {dbt_valid_from: valid_from}', { file });
  }
  for (const [key, value] of Object.entries(configured)) {
    if (!(SNAPSHOT_META_COLUMNS as readonly string[]).includes(key) || typeof value !== 'string' || !value.trim()) {
      throw new UsageError(`snapshot_meta_column_names: ${key}: ${JSON.stringify(value)} is not a column name for one of ${SNAPSHOT_META_COLUMNS.join(', ')}`, {
        file,
      });
    }
    names[key as MetaColumn] = value.trim();
  }
  return names;
}

export const materializeSnapshot: MaterializationStrategy = ({ model, existing, selectColumns }) => {
  const { node } = model;
  const config = node.config;
  const target = model.relation;
  const keys = toKeyList(config.unique_key);
  const hardDeletes = String(config.hard_deletes ?? (config.invalidate_hard_deletes === true ? 'invalidate' : 'ignore'));
  const timestamp = config.strategy === 'timestamp';
  const names = metaColumnNames(config.snapshot_meta_column_names, node.originalFilePath);
  const m = (column: MetaColumn) => q(names[column]);
  const validToCurrent = typeof config.dbt_valid_to_current === 'string' && config.dbt_valid_to_current.trim() ? config.dbt_valid_to_current.trim() : undefined;
  /** A current version: dbt_valid_to null, or the dbt_valid_to_current marker. */
  const isCurrent = (alias: string) =>
    validToCurrent ? `(${alias}.${m('dbt_valid_to')} is null or ${alias}.${m('dbt_valid_to')} = ${validToCurrent})` : `${alias}.${m('dbt_valid_to')} is null`;
  const currentValidTo = validToCurrent ?? 'null';
  /** When a row of `alias` became this version: its updated_at, or the snapshot time. */
  const updated = (alias: string) => (timestamp ? `${alias}.${q(String(config.updated_at))}` : SNAPSHOT_TIME);
  const keyText = (alias: string) => keys.map((k) => `coalesce(cast(${alias}.${q(k)} as text), '')`).join(` || '|' || `);
  const scdId = (alias: string, when: string) => `md5(${keyText(alias)} || '|' || coalesce(cast(${when} as text), ''))`;
  const sameKey = (a: string, b: string) => keys.map((k) => `${a}.${q(k)} = ${b}.${q(k)}`).join(' and ');
  const deletedFlag = hardDeletes === 'new_record';

  if (!existing) {
    const when = updated('s');
    // nullif(x, x): a null of updated_at's type, so dbt_valid_to has dbt_valid_from's type.
    const validTo = validToCurrent ? `coalesce(nullif(${when}, ${when}), ${validToCurrent})` : `nullif(${when}, ${when})`;
    return {
      build: [
        {
          purpose: `create snapshot ${target.display}`,
          sql:
            `create table ${target} as\nselect s.*, ${scdId('s', when)} as ${m('dbt_scd_id')}, ${when} as ${m('dbt_updated_at')}, ${when} as ${m('dbt_valid_from')},\n` +
            `  ${validTo} as ${m('dbt_valid_to')}${deletedFlag ? `, 'False'::text as ${m('dbt_is_deleted')}` : ''}\nfrom (\n${model.sql}\n) as s`,
          countsRows: true,
        },
      ],
      publish: [],
      verb: 'created snapshot',
    };
  }
  if (existing.kind !== 'table' || !existing.columns.includes(names.dbt_scd_id)) {
    throw new UsageError(`${target.display} exists and is not a snapshot table (no ${names.dbt_scd_id} column)`, {
      file: node.originalFilePath,
      hint: 'drop it, or give the snapshot another name, alias or target_schema (snapshot_meta_column_names must name the columns it was built with)',
    });
  }
  const staged = q(truncateIdentifier(target.identifier, '__tspipe_snap'));
  const metaNames = new Set(Object.values(names));
  const isMeta = (c: string) => metaNames.has(c);
  // A column the SELECT gained is added to the table, as dbt does; older versions have it null.
  const added = (selectColumns ?? []).filter((c) => !isMeta(c.name) && !existing.columns.includes(c.name));
  const data = [...existing.columns.filter((c) => !isMeta(c)), ...added.map((c) => c.name)];
  const checked = config.check_cols === 'all' || !Array.isArray(config.check_cols) ? data : (config.check_cols as string[]);
  const changed = timestamp ? `t.${m('dbt_valid_from')} < ${updated('s')}` : checked.map((c) => `t.${q(c)} is distinct from s.${q(c)}`).join(' or ');
  const dataList = data.map(q).join(', ');
  const metaList = [m('dbt_scd_id'), m('dbt_updated_at'), m('dbt_valid_from'), m('dbt_valid_to'), ...(deletedFlag ? [m('dbt_is_deleted')] : [])].join(', ');
  const isDeleted = (alias: string, flag: 'True' | 'False') => `${alias}.${m('dbt_is_deleted')} = '${flag}'`;
  const steps: SqlStep[] = [
    { purpose: `stage the rows of ${node.name}`, sql: `create temp table ${staged} on commit drop as\nselect * from (\n${model.sql}\n) as s` },
  ];
  for (const column of added) {
    steps.push({ purpose: `add column ${column.name} to ${target.display}`, sql: `alter table ${target} add column ${q(column.name)} ${column.type}` });
  }
  if (deletedFlag && !existing.columns.includes(names.dbt_is_deleted)) {
    steps.push({
      purpose: `add ${names.dbt_is_deleted} to ${target.display}`,
      sql: `alter table ${target} add column ${m('dbt_is_deleted')} text not null default 'False'`,
    });
  }
  steps.push(
    {
      purpose: `close the changed records of ${target.display}`,
      sql:
        `update ${target} as t set ${m('dbt_valid_to')} = ${updated('s')}\nfrom ${staged} as s\n` +
        `where ${sameKey('t', 's')} and ${isCurrent('t')} and (${changed}${deletedFlag ? ` or ${isDeleted('t', 'True')}` : ''})`,
    },
    {
      purpose: `insert new versions into ${target.display}`,
      sql:
        `insert into ${target} (${dataList}, ${metaList})\n` +
        `select ${data.map((c) => `s.${q(c)}`).join(', ')}, ${scdId('s', updated('s'))}, ${updated('s')}, ${updated('s')}, ${currentValidTo}${deletedFlag ? `, 'False'` : ''}\n` +
        `from ${staged} as s\nwhere not exists (select 1 from ${target} as t where ${sameKey('t', 's')} and ${isCurrent('t')})`,
      countsRows: true,
    },
  );
  if (hardDeletes !== 'ignore') {
    const gone = `not exists (select 1 from ${staged} as s where ${sameKey('t', 's')})`;
    steps.push({
      purpose: `close the records gone from ${node.name}`,
      sql: `update ${target} as t set ${m('dbt_valid_to')} = ${SNAPSHOT_TIME}\nwhere ${isCurrent('t')}${deletedFlag ? ` and ${isDeleted('t', 'False')}` : ''} and ${gone}`,
    });
  }
  if (deletedFlag) {
    // now() is the transaction's start: the rows just closed are those dated now.
    steps.push({
      purpose: `record the deletions in ${target.display}`,
      sql:
        `insert into ${target} (${dataList}, ${metaList})\n` +
        `select ${data.map((c) => `t.${q(c)}`).join(', ')}, ${scdId('t', SNAPSHOT_TIME)}, ${SNAPSHOT_TIME}, ${SNAPSHOT_TIME}, ${currentValidTo}, 'True'\n` +
        `from ${target} as t\nwhere t.${m('dbt_valid_to')} = ${SNAPSHOT_TIME} and ${isDeleted('t', 'False')} and not exists (select 1 from ${staged} as s where ${sameKey('t', 's')})\n` +
        `  and not exists (select 1 from ${target} as c where ${sameKey('c', 't')} and ${isCurrent('c')})`,
    });
  }
  // Changed in place: tests of the snapshot read it inside the still-open transaction.
  return { build: steps, audit: target, publish: [], verb: 'snapshotted' };
};
