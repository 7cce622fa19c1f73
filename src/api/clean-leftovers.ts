/**
 * Staging relations only live inside a transaction, so none should survive a crash;
 * but a dbt run, or an older tool, may have left some. Drop any we find.
 */
import type { DbAdapter } from '../contract/index.js';
import { Relation } from '../compile/relation.js';
import { LEFTOVER_SUFFIXES } from '../materialize/materialization.js';
import { dropRelationStep } from '../materialize/swap-relation.js';

export async function cleanLeftovers(adapter: DbAdapter, schemas: string[]): Promise<string[]> {
  if (!schemas.length) return [];
  const { rows } = await adapter.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = any($1::text[]) and c.relkind in ('r', 'v', 'm', 'p')
       and (${LEFTOVER_SUFFIXES.map((_, i) => `right(c.relname, ${LEFTOVER_SUFFIXES[i]!.length}) = $${i + 2}`).join(' or ')})`,
    [schemas, ...LEFTOVER_SUFFIXES],
  );
  for (const row of rows) await adapter.exec(dropRelationStep(new Relation(row.schema, row.name)).sql);
  return rows.map((r) => `${r.schema}.${r.name}`);
}
