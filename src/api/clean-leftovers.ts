/**
 * Staging relations mostly live inside a transaction, but a crash of a seed's parallel
 * COPY (its staging table is committed), a dbt run, or an older tool may leave some.
 * A node drops its own relation's leftovers while it holds that relation's lock: another
 * run writing other relations at the same time keeps its staging tables.
 */
import type { DbSession } from '../contract/index.js';
import { Relation } from '../compile/relation.js';
import { LEFTOVER_SUFFIXES } from '../materialize/materialization.js';
import { dropRelationStep } from '../materialize/swap-relation.js';

export async function cleanLeftoversOf(session: DbSession, relation: Relation): Promise<string[]> {
  const names = LEFTOVER_SUFFIXES.map((suffix) => relation.withSuffix(suffix).identifier);
  const { rows } = await session.query<{ name: string }>(
    `select c.relname as name
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = any($2::text[]) and c.relkind in ('r', 'v', 'm', 'p')`,
    [relation.schema, names],
  );
  for (const row of rows) await session.exec(dropRelationStep(new Relation(relation.schema, row.name)).sql);
  return rows.map((r) => `${relation.schema}.${r.name}`);
}
