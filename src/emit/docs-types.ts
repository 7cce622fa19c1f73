/**
 * What the docs site is made from and what it embeds. The inputs are the artifacts
 * as written under target/ (docs/artifacts.md): the docs writer reads the compiled
 * project, never the project files.
 */

/** The part of target/manifest.json the site reads; test nodes are optional. */
export interface ManifestJson {
  metadata: { project_name: string; generated_at: string; target_name?: string; tspipe_version?: string };
  nodes: Record<string, ManifestJsonNode>;
  sources: Record<string, ManifestJsonNode>;
}

export interface ManifestJsonNode {
  unique_id: string;
  resource_type: string;
  name: string;
  original_file_path?: string;
  fqn?: string[];
  description?: string;
  columns?: Record<string, { name: string; description?: string; data_type?: string; tests?: unknown[] }>;
  config?: Record<string, unknown>;
  tags?: string[];
  relation_name?: string;
  schema?: string;
  /** Models and seeds: the table or view name (sources: `identifier`). */
  alias?: string;
  depends_on?: { nodes?: string[] };
  raw_code?: string;
  /** Relative to the target folder, e.g. `compiled/models/kpi/user_kpis.sql`. */
  compiled_path?: string;
  /** Tests declared on the node itself in YAML, when the manifest lists them. */
  tests?: unknown[];
  source_name?: string;
  /** Sources: the table's name in the database. */
  identifier?: string;
  /** Tests: the node the test is about, the column, and the generic test with its arguments. */
  attached_node?: string | null;
  column_name?: string | null;
  test_metadata?: { name: string; kwargs?: Record<string, unknown> } | null;
}

/** The part of target/run_results.json the site reads. */
export interface RunResultsJson {
  metadata?: { generated_at?: string; command?: string; target_name?: string; target_database?: string };
  results: {
    unique_id: string;
    status: string;
    message?: string | null;
    execution_time?: number;
    timing?: { name: string; started_at: string; completed_at: string }[];
    adapter_response?: { rows_affected?: number | null; verb?: string | null };
    failures?: number | null;
  }[];
}

export interface LastRun {
  status: string;
  /** Seconds. */
  executionTime: number | null;
  startedAt: string | null;
  completedAt: string | null;
  rowsAffected: number | null;
  message: string | null;
  failures: number | null;
  /** Which command and when (run_results metadata). */
  command: string | null;
  runAt: string | null;
}

export interface LineageTest {
  id: string;
  /** e.g. `unique`, `accepted_values(values: [a, b])`. */
  label: string;
  column: string | null;
  status: string | null;
}

export interface LineageColumn {
  name: string;
  dataType: string | null;
  /** Description rendered to safe HTML. */
  descriptionHtml: string;
  tests: LineageTest[];
}

export interface LineageNode {
  id: string;
  name: string;
  /** What the graph shows: the name, `source.table` for sources, `test(column)` for tests. */
  label: string;
  resourceType: string;
  /** seed, source, raw, clean, kpi, test, or the model's folder. */
  layer: string;
  relation: string | null;
  path: string | null;
  descriptionHtml: string;
  tags: string[];
  config: Record<string, unknown>;
  columns: LineageColumn[];
  /** Tests about the model itself (not one column). */
  tests: LineageTest[];
  rawSql: string | null;
  compiledSql: string | null;
  upstream: string[];
  downstream: string[];
  lastRun: LastRun | null;
}

export interface LineageData {
  nodes: LineageNode[];
  edges: { source: string; target: string }[];
  /** Layers present, in left-to-right order. */
  layers: string[];
}

export type KpiTableName =
  | 'user_status_summary'
  | 'user_kpis'
  | 'user_distribution'
  | 'game_kpis'
  | 'monthly_kpis'
  | 'seasonality'
  | 'location_kpis'
  | 'daily_status';

export type KpiRow = Record<string, string | number | boolean | null>;

export type KpiTableData = { status: 'ok'; relation: string; rows: KpiRow[] } | { status: 'missing'; relation: string | null };

export interface DashboardData {
  /** ok: every table read; partial: some missing; missing: none built; unavailable: the target could not be read. */
  status: 'ok' | 'partial' | 'missing' | 'unavailable';
  message: string | null;
  asOfDate: string | null;
  target: string;
  tables: Record<KpiTableName, KpiTableData>;
}

export interface DocsSiteData {
  project: string;
  generatedAt: string;
  tspipeVersion: string;
  target: string;
  lineage: LineageData;
  dashboard: DashboardData;
}
