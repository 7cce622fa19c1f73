/**
 * The KPI dashboard's contract with the pipeline: the eight kpi models (by name),
 * the query that reads each one for the page, and the conversion of result rows to
 * JSON (numbers as numbers, dates and timestamps as ISO strings).
 */
import type { DashboardData, KpiRow, KpiTableData, KpiTableName, ManifestJson } from './docs-types.js';

export const KPI_TABLES = [
  'user_status_summary',
  'user_kpis',
  'user_distribution',
  'game_kpis',
  'monthly_kpis',
  'seasonality',
  'location_kpis',
  'daily_status',
] as const satisfies readonly KpiTableName[];

/** Users by how many valid events they have; user_kpis is read only through these buckets (it has a row per user). */
export const EVENT_BUCKETS = [
  { label: '0', max: 0 },
  { label: '1–5', max: 5 },
  { label: '6–10', max: 10 },
  { label: '11–25', max: 25 },
  { label: '26–50', max: 50 },
  { label: '51–100', max: 100 },
  { label: 'over 100', max: Infinity },
] as const;

/** Games beyond this popularity are left out of the page (the charts show a top N). */
export const MAX_GAMES = 500;

export interface KpiRelation {
  schema: string;
  identifier: string;
  /** `"kpi"."user_kpis"`, as the manifest writes it. */
  quoted: string;
}

/** The relation of each kpi model of the manifest, null when the project has no model by that name. */
export function kpiRelations(manifest: ManifestJson): Record<KpiTableName, KpiRelation | null> {
  const models = Object.values(manifest.nodes).filter((n) => n.resource_type === 'model');
  return Object.fromEntries(
    KPI_TABLES.map((name) => {
      const model = models.find((m) => m.name === name);
      const relation =
        model?.schema && model.alias && model.relation_name ? { schema: model.schema, identifier: model.alias, quoted: model.relation_name } : null;
      return [name, relation];
    }),
  ) as Record<KpiTableName, KpiRelation | null>;
}

/** What reading the tables needs from a database session (the adapter's query). */
export interface KpiQueryRunner {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[]; fields: { name: string; dataTypeId: number }[] }>;
}

/** Reads every kpi table that exists; the ones not built yet are left out of the result. */
export async function readKpiTables(db: KpiQueryRunner, relations: Record<KpiTableName, KpiRelation | null>): Promise<Partial<Record<KpiTableName, KpiRow[]>>> {
  const wanted = KPI_TABLES.filter((name) => relations[name]);
  if (!wanted.length) return {};
  const schemas = [...new Set(wanted.map((name) => relations[name]!.schema))];
  const existing = await db.query('select table_schema, table_name from information_schema.tables where table_schema = any($1::text[])', [schemas]);
  const built = new Set(existing.rows.map((r) => `${String(r.table_schema)}.${String(r.table_name)}`));
  const rows: Partial<Record<KpiTableName, KpiRow[]>> = {};
  for (const name of wanted) {
    const relation = relations[name]!;
    if (!built.has(`${relation.schema}.${relation.identifier}`)) continue;
    rows[name] = kpiRowsToJson(name, await db.query(kpiQuery(name, relation.quoted)));
  }
  return rows;
}

export function kpiQuery(table: KpiTableName, relation: string): string {
  switch (table) {
    case 'user_status_summary':
      return `select * from ${relation} order by case status when 'active' then 1 when 'churned' then 2 when 'inactive' then 3 else 4 end, status`;
    case 'user_kpis': {
      const cases = EVENT_BUCKETS.slice(0, -1)
        .map((b, i) => `when events <= ${b.max} then ${i}`)
        .join(' ');
      return `select bucket, count(*) as users, count(*) filter (where status = 'active') as active_users, sum(events) as events, sum(sessions) as sessions
from (select *, case ${cases} else ${EVENT_BUCKETS.length - 1} end as bucket from ${relation}) as users
group by bucket order by bucket`;
    }
    case 'user_distribution':
      return `select * from ${relation} order by dimension, users desc, value`;
    case 'game_kpis':
      return `select * from ${relation} order by popularity_rank, events desc, game_id limit ${MAX_GAMES}`;
    case 'monthly_kpis':
      return `select * from ${relation} order by month`;
    case 'seasonality':
      return `select * from ${relation} order by month_of_year`;
    case 'location_kpis':
      return `select * from ${relation} order by active_users desc, location`;
    case 'daily_status':
      return `select * from ${relation} order by as_of_date`;
  }
}

/** PostgreSQL type OIDs whose values the page wants as numbers (numeric comes back as text). */
const NUMERIC_OIDS = new Set([20, 21, 23, 26, 700, 701, 1700]);
const TIMESTAMP_OID = 1114;

export function kpiRowsToJson(table: KpiTableName, result: { rows: Record<string, unknown>[]; fields: { name: string; dataTypeId: number }[] }): KpiRow[] {
  const types = new Map(result.fields.map((f) => [f.name, f.dataTypeId]));
  const rows = result.rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, toJsonValue(value, types.get(key))])));
  if (table !== 'user_kpis') return rows;
  return rows.map((row) => ({ ...row, bucket: EVENT_BUCKETS[Number(row.bucket)]?.label ?? String(row.bucket) }));
}

export function toJsonValue(value: unknown, typeId: number | undefined): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const text = String(value);
  if (typeId !== undefined && NUMERIC_OIDS.has(typeId)) {
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
  }
  // timestamp without time zone comes back as `2024-06-15 14:23:01`: make it ISO 8601
  if (typeId === TIMESTAMP_OID) return text.replace(' ', 'T');
  return text;
}

export interface DashboardInput {
  target: string;
  relations: Record<KpiTableName, KpiRelation | null>;
  /** Rows of each table that could be read; a table absent here is not built. */
  rows: Partial<Record<KpiTableName, KpiRow[]>>;
  /** Set when the target could not be read at all. */
  error?: string;
}

export function buildDashboard({ target, relations, rows, error }: DashboardInput): DashboardData {
  const tables = Object.fromEntries(
    KPI_TABLES.map((name): [KpiTableName, KpiTableData] => {
      const relation = relations[name]?.quoted ?? null;
      const data = rows[name];
      return [name, relation && data ? { status: 'ok', relation, rows: data } : { status: 'missing', relation }];
    }),
  ) as Record<KpiTableName, KpiTableData>;
  const inProject = KPI_TABLES.filter((name) => relations[name]);
  const notBuilt = inProject.filter((name) => tables[name].status === 'missing');
  const rebuild = 'run `tspipe build`, then `tspipe docs generate`';
  let status: DashboardData['status'];
  let message: string | null = null;
  if (error) {
    status = 'unavailable';
    message = `Could not read the KPI tables from target ${target}: ${error}`;
  } else if (inProject.length === 0) {
    status = 'missing';
    message = `This project has none of the KPI models (${KPI_TABLES.join(', ')}), so the dashboard is empty.`;
  } else if (notBuilt.length === inProject.length) {
    status = 'missing';
    message = `The KPI tables are not built in target ${target} yet: ${rebuild}.`;
  } else if (notBuilt.length) {
    status = 'partial';
    const names = notBuilt.map((name) => relations[name]!.quoted.replace(/"/g, ''));
    message = `Some KPI tables are not built in target ${target} yet (${names.join(', ')}): ${rebuild}.`;
  } else if (inProject.length < KPI_TABLES.length) {
    status = 'partial';
    message = `This project lacks some KPI models (${KPI_TABLES.filter((name) => !relations[name]).join(', ')}): their charts stay empty.`;
  } else {
    status = 'ok';
  }
  return { status, message, asOfDate: asOfDate(tables), target, tables };
}

function asOfDate(tables: Record<KpiTableName, KpiTableData>): string | null {
  for (const name of ['user_status_summary', 'game_kpis', 'location_kpis'] as const) {
    const table = tables[name];
    const value = table.status === 'ok' ? table.rows.find((r) => r.as_of_date)?.as_of_date : undefined;
    if (typeof value === 'string') return value.slice(0, 10);
  }
  return null;
}
