/**
 * target/catalog.json, as `dbt docs generate` writes it: for every built model, seed
 * and snapshot and every source table that exists, its kind, owner and comment and
 * its columns with their types and positions, read from PostgreSQL's catalog (the
 * types as dbt-postgres prints them: format_type). Nodes not built yet are left out.
 */
import type { ManifestJson } from './docs-types.js';
import type { KpiQueryRunner } from './docs-kpi.js';

export interface CatalogTable {
  metadata: { type: string; schema: string; name: string; database: string | null; comment: string | null; owner: string | null };
  columns: Record<string, { type: string; index: number; name: string; comment: string | null }>;
  stats: Record<string, { id: string; label: string; value: boolean; include: boolean; description: string }>;
  unique_id: string;
}

export interface CatalogJson {
  metadata: { dbt_schema_version: string; tspipe_version: string; generated_at: string };
  nodes: Record<string, CatalogTable>;
  sources: Record<string, CatalogTable>;
  errors: null;
}

const KIND: Record<string, string> = { r: 'BASE TABLE', p: 'BASE TABLE', v: 'VIEW', m: 'MATERIALIZED VIEW', f: 'FOREIGN TABLE' };

interface CatalogRow {
  schema: string;
  name: string;
  kind: string;
  owner: string | null;
  comment: string | null;
  column_name: string;
  column_index: number;
  column_type: string;
  column_comment: string | null;
}

/** A catalog of nothing: no database to read yet. */
export function emptyCatalog(version: string): CatalogJson {
  return {
    metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json', tspipe_version: version, generated_at: new Date().toISOString() },
    nodes: {},
    sources: {},
    errors: null,
  };
}

export async function readCatalog(db: KpiQueryRunner, manifest: ManifestJson, meta: { database: string | null; version: string }): Promise<CatalogJson> {
  const wanted = new Map<string, { id: string; source: boolean }>();
  for (const node of Object.values(manifest.nodes)) {
    if (['model', 'seed', 'snapshot'].includes(node.resource_type) && node.schema && node.alias && node.config?.materialized !== 'ephemeral') {
      wanted.set(`${node.schema}.${node.alias}`, { id: node.unique_id, source: false });
    }
  }
  for (const source of Object.values(manifest.sources)) {
    if (source.schema) wanted.set(`${source.schema}.${source.identifier ?? source.name}`, { id: source.unique_id, source: true });
  }
  const schemas = [...new Set([...wanted.keys()].map((key) => key.slice(0, key.indexOf('.'))))];
  const catalog = emptyCatalog(meta.version);
  if (!schemas.length) return catalog;
  const { rows } = await db.query(
    `select n.nspname as schema, c.relname as name, c.relkind::text as kind, pg_get_userbyid(c.relowner) as owner,
            obj_description(c.oid, 'pg_class') as comment, a.attname as column_name, a.attnum as column_index,
            format_type(a.atttypid, a.atttypmod) as column_type, col_description(c.oid, a.attnum) as column_comment
     from pg_class c
     join pg_namespace n on n.oid = c.relnamespace
     join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where n.nspname = any($1::text[]) and c.relkind in ('r', 'p', 'v', 'm', 'f')
     order by n.nspname, c.relname, a.attnum`,
    [schemas],
  );
  for (const row of rows as unknown as CatalogRow[]) {
    const found = wanted.get(`${row.schema}.${row.name}`);
    if (!found) continue;
    const into = found.source ? catalog.sources : catalog.nodes;
    const table = (into[found.id] ??= {
      metadata: { type: KIND[row.kind] ?? 'BASE TABLE', schema: row.schema, name: row.name, database: meta.database, comment: row.comment, owner: row.owner },
      columns: {},
      stats: {
        has_stats: { id: 'has_stats', label: 'Has Stats?', value: false, include: false, description: 'Indicates whether there are statistics for this table' },
      },
      unique_id: found.id,
    });
    table.columns[row.column_name] = { type: row.column_type, index: Number(row.column_index), name: row.column_name, comment: row.column_comment };
  }
  return catalog;
}
