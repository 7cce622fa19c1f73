/**
 * The parsed project: every node with its final config and dependencies. This is
 * what target/manifest.json holds (see docs/artifacts.md) and what every later
 * stage reads.
 */
import type { IncrementalStrategy, Materialization } from '../config/project-config.js';

export const RESOURCE_TYPES = ['model', 'seed', 'test', 'source', 'snapshot'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export interface RelationName {
  schema: string;
  identifier: string;
}

export interface NodeConfig {
  enabled: boolean;
  materialized: Materialization | 'seed' | 'test' | 'snapshot';
  schema?: string;
  alias?: string;
  tags: string[];
  unique_key?: string | string[];
  incremental_strategy?: IncrementalStrategy;
  full_refresh?: boolean;
  /** Seeds: explicit column types; `column_types: text` style default via `'*'`. */
  column_types?: Record<string, string>;
  [key: string]: unknown;
}

export interface ColumnInfo {
  name: string;
  description: string;
  data_type?: string;
  meta?: Record<string, unknown>;
  /** dbt's `quote: true`: tests get the column's name quoted. */
  quote?: boolean;
  /** Data tests declared on the column, as written in YAML. */
  tests: unknown[];
}

interface BaseNode {
  uniqueId: string;
  name: string;
  packageName: string;
  /** Posix path relative to the project dir. */
  originalFilePath: string;
  fqn: string[];
  description: string;
  /** File and line where the description/columns came from, if any. */
  patchPath?: string;
  columns: Record<string, ColumnInfo>;
  /** sha256 of the file content. */
  checksum: string;
}

export interface RefCall {
  name: string;
  package?: string;
  /** ref('name', v=2): a versioned model. */
  version?: string | number;
  line?: number;
}

export interface ModelNode extends BaseNode {
  resourceType: 'model';
  rawCode: string;
  config: NodeConfig;
  relation: RelationName;
  refs: RefCall[];
  sources: [string, string][];
  /** Resolved parents: uniqueIds of models, seeds and sources. */
  dependsOn: string[];
  /** Data tests declared on the model itself in YAML. */
  tests: unknown[];
  /** dbt's model versions: this node is version `version` of `name` (unique id `model.pkg.name.v<version>`). */
  version?: string | number;
  latestVersion?: string | number;
}

/**
 * A `{% snapshot %}` block (snapshots/*.sql): a SELECT, compiled like a model, whose
 * rows are kept over time as slowly changing dimension type 2 (materialize/snapshot.ts).
 */
export interface SnapshotNode extends Omit<ModelNode, 'resourceType'> {
  resourceType: 'snapshot';
  /** Line of the `{% snapshot %}` tag in its file. */
  line: number;
}

export interface SeedNode extends BaseNode {
  resourceType: 'seed';
  config: NodeConfig;
  relation: RelationName;
  dependsOn: string[];
  tests: unknown[];
}

export interface SourceNode {
  uniqueId: string;
  resourceType: 'source';
  name: string;
  sourceName: string;
  packageName: string;
  originalFilePath: string;
  fqn: string[];
  description: string;
  relation: RelationName;
  columns: Record<string, ColumnInfo>;
  tags: string[];
  tests: unknown[];
  loader?: string;
  /** The column (or expression) saying when a row was loaded: what freshness reads. */
  loadedAtField?: string;
  freshness?: SourceFreshness;
  /** dbt 1.9 `config: {event_time}`: a microbatch model reading this source gets only its batch's rows. */
  eventTime?: string;
}

export interface FreshnessThreshold {
  count: number;
  period: 'minute' | 'hour' | 'day';
}

/** dbt's source freshness rule (parse/source-freshness.ts). */
export interface SourceFreshness {
  warn_after?: FreshnessThreshold;
  error_after?: FreshnessThreshold;
  /** A SQL condition: only rows matching it count. */
  filter?: string;
}

/**
 * A data test (src/datatests/ builds these after parsing): SQL that returns failing
 * rows. Generic tests come from schema YAML (`testMetadata`), singular tests from
 * .sql files under test-paths (`rawCode`). `relation` is where failing rows are kept
 * with store_failures.
 */
export interface TestNode extends BaseNode {
  resourceType: 'test';
  testType: 'generic' | 'singular' | 'unit';
  config: NodeConfig;
  relation: RelationName;
  /** The tested node, then whatever else the test reads (e.g. a relationships target). */
  dependsOn: string[];
  /** The model, seed or source the test is about (for singular tests: their only parent, if one). */
  attachedNode?: string;
  columnName?: string;
  /**
   * A dbt project's column as tests write it in SQL: the name as declared (it may be an
   * expression), quoted only with `quote: true`. Unset in project.yml projects, whose
   * built-in tests quote the name.
   */
  columnSql?: string;
  /** Generic tests: which test, with the arguments as written in YAML. */
  testMetadata?: { name: string; namespace?: string; kwargs: Record<string, unknown> };
  /** Singular tests: the SQL template. */
  rawCode?: string;
  /** Unit tests (dbt 1.8 `unit_tests:`): the model's inputs and expected output. */
  unitTest?: UnitTestDefinition;
  refs: RefCall[];
  sources: [string, string][];
}

/** One input of a unit test, or its expected output: rows as given in YAML, or CSV / SQL text. */
export interface UnitTestRows {
  format: 'dict' | 'csv' | 'sql';
  /** dict: the rows; csv and sql: the text (from the YAML or a fixture file). */
  rows: Record<string, unknown>[] | string;
}

export interface UnitTestInput extends UnitTestRows {
  /** As written: ref('x'), ref('pkg', 'x'), source('s', 't') or this. */
  input: string;
}

/** A dbt unit test: a model, its inputs as fixtures, the rows it must return. */
export interface UnitTestDefinition {
  name: string;
  model: string;
  /** The package whose YAML declares it. */
  packageName: string;
  file: string;
  line?: number;
  description: string;
  given: UnitTestInput[];
  expect: UnitTestRows;
  overrides: { macros: Record<string, unknown>; vars: Record<string, unknown>; env_vars: Record<string, string> };
  config: Record<string, unknown>;
}

/** What `manifest.nodes` holds: everything the runner executes (tests since the datatests stage). */
export type ExecutableNode = ModelNode | SeedNode | TestNode | SnapshotNode;
export type ManifestNode = ModelNode | SeedNode | TestNode | SnapshotNode | SourceNode;

export interface MacroInfo {
  name: string;
  packageName: string;
  originalFilePath: string;
  line?: number;
  /** sha256 of its `{% macro %}` block (state:modified.macros). */
  checksum?: string;
  /** Names it calls, unresolved (parse/macro-dependencies.ts). */
  calls?: string[];
}

export interface Manifest {
  projectName: string;
  generatedAt: string;
  /** Models and seeds; tests (resourceType 'test') are added by datatests/ (api/load-project). */
  nodes: Record<string, ExecutableNode>;
  sources: Record<string, SourceNode>;
  macros: Record<string, MacroInfo>;
  docs: Record<string, string>;
  /** Model/seed name → package → uniqueId: what ref() resolves with (parse/resolve-refs.ts). */
  refIndex: Record<string, Record<string, string>>;
  /** The root project's name: ref() looks there first. */
  rootPackage: string;
}
