/**
 * What a template can ask of tspipe while it renders. The parse pass installs
 * *recording* hooks (ref() notes a dependency), the compile pass *resolving* hooks
 * (ref() returns the relation): dbt's render-twice.
 */
import type { WarehouseSession } from '../context/warehouse.js';

export interface RenderHooks {
  /** File shown in errors, relative to the root project dir. */
  file: string;
  /** The package whose macros are local to this render (dbt's search package); default the root project. */
  packageName?: string;
  ref(name: string, packageOrName?: string, version?: unknown): unknown;
  source(sourceName: string, tableName: string): unknown;
  /** `{{ config(materialized='table') }}`; returns ''. */
  config(values: Record<string, unknown>): void;
  /** `config.get('key', default)` */
  configGet(key: string, fallback?: unknown): unknown;
  isIncremental(): boolean;
  thisRelation: unknown;
  /** False while parsing (dbt's `execute`), true while compiling. */
  execute: boolean;
  /** The node as dbt's `model` variable (a dict like manifest.json's node). */
  model?(): Record<string, unknown>;
  /** dbt's `graph` (nodes and sources as dicts); absent while parsing, when it is empty. */
  graph?(): Record<string, unknown>;
  /** The database, for templates that query it while compiling; absent while parsing. */
  session?: WarehouseSession;
  /** More names for this render (sql, pre_hooks, on-run-end's results...). */
  extra?: Record<string, unknown>;
  /** Names that win over everything, macros included: a unit test's `overrides:`. */
  overrides?: { macros?: Record<string, unknown>; vars?: Record<string, unknown>; env_vars?: Record<string, string> };
}

export { trackReads, noteEnvRead, noteFlagRead, noteVolatileRead, withFlags, type RenderReads } from '../context/render-reads.js';
