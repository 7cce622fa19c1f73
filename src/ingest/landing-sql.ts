/**
 * SQL for the raw landing: the landing table (every CSV column as text, plus
 * lineage) and the shared rejects table of its schema.
 */
import { quoteIdentifier, quoteLiteral } from '../contract/index.js';
import type { Relation } from '../compile/relation.js';
import { REJECT_COLUMNS } from './reject-sink.js';

export const REJECTS_TABLE = 'load_rejects';

/** Column order of a landing table: the CSV's, then the lineage (as COPY and ALTER add them). */
export const LANDING_LINEAGE_ORDER = ['_source_line', '_source_file', '_loaded_at'] as const;

/** The staging table COPY fills: the CSV's columns as text, then the line number. */
export function createLandingTableSql(table: Relation, columns: string[]): string {
  const definitions = [...columns.map((c) => `${quoteIdentifier(c)} text`), `${quoteIdentifier('_source_line')} bigint not null`];
  return `create table ${table} (${definitions.join(', ')})`;
}

/** Columns COPY fills from the stream: the CSV's, then the line number. */
export function landingCopyColumns(columns: string[]): string[] {
  return [...columns, '_source_line'].map(quoteIdentifier);
}

/**
 * `_source_file` and `_loaded_at` are the same for every row of a load: added after
 * COPY with a constant default, PostgreSQL stores the value once in the catalog
 * (a "fast default", no rewrite) instead of in every row, which keeps COPY close to
 * a plain one. Dropping the default keeps the stored value for existing rows.
 */
export function addLoadLineageSql(table: Relation, sourceFile: string, loadedAt: string): string {
  const [file, loaded] = [quoteIdentifier('_source_file'), quoteIdentifier('_loaded_at')];
  return (
    `alter table ${table} add column ${file} text not null default ${quoteLiteral(sourceFile)}, ` +
    `add column ${loaded} timestamptz not null default ${quoteLiteral(loadedAt)};\n` +
    `alter table ${table} alter column ${file} drop default, alter column ${loaded} drop default`
  );
}

export function createRejectsTableSql(table: Relation): string {
  const [file, line, reason, detail, raw, loaded] = REJECT_COLUMNS.map(quoteIdentifier);
  return (
    `create table if not exists ${table} (${file} text not null, ${line} bigint not null, ${reason} text not null, ` +
    `${detail} text not null, ${raw} text not null, ${loaded} timestamptz not null)`
  );
}

/**
 * A rejects table from before `detail` existed held `<code>: <sentence>` in reason:
 * add the column and split the old rows, so every reason is a code.
 */
export function addRejectsDetailSql(table: Relation): string {
  const [reason, detail] = [quoteIdentifier('reason'), quoteIdentifier('detail')];
  return (
    `alter table ${table} add column ${detail} text not null default '';\n` +
    `alter table ${table} alter column ${detail} drop default;\n` +
    `update ${table} set ${detail} = ltrim(substr(${reason}, strpos(${reason}, ':') + 1)), ${reason} = split_part(${reason}, ':', 1) where strpos(${reason}, ':') > 0`
  );
}

export function rejectsCopyColumns(): string[] {
  return REJECT_COLUMNS.map(quoteIdentifier);
}
