/** What is in the database now under a relation name: kind and columns. */
import type { DbAdapter, DbSession } from '../contract/index.js';
import type { RelationName } from '../parse/manifest.js';
import type { ExistingRelation, RelationKind } from '../materialize/materialization.js';

const KINDS: Record<string, RelationKind> = { r: 'table', p: 'table', v: 'view', m: 'materialized_view' };

export async function describeRelation(session: DbSession, relation: RelationName): Promise<ExistingRelation | undefined> {
  const { rows } = await session.query<{ relkind: string; columns: string[] | null; types: string[] | null }>(
    `select c.relkind,
            array(select a.attname::text from pg_attribute a
                  where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as columns,
            array(select format_type(a.atttypid, a.atttypmod) from pg_attribute a
                  where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as types
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = $2`,
    [relation.schema, relation.identifier],
  );
  const row = rows[0];
  if (!row) return undefined;
  return { kind: KINDS[row.relkind] ?? 'other', columns: row.columns ?? [], types: row.types ?? [] };
}

/** The columns a SELECT returns, with their SQL types (typmods too), without reading its rows. */
export async function describeSelect(adapter: DbAdapter, sql: string): Promise<{ name: string; type: string }[]> {
  // A temporary view, dropped in the same transaction: one connection, nothing left behind.
  return adapter.transaction(async (tx) => {
    await tx.query(`create temporary view tspipe_describe_select as select * from (\n${sql}\n) as s`);
    const { rows } = await tx.query<{ name: string; type: string }>(
      `select a.attname::text as name, format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
       where a.attrelid = 'pg_temp.tspipe_describe_select'::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum`,
    );
    await tx.query('drop view pg_temp.tspipe_describe_select');
    return rows;
  });
}
