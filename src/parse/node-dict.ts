/**
 * A node as dbt's templates see it (`model`, the `node` argument of
 * generate_schema_name, `graph.nodes` values): manifest.json's node shape.
 */
import { qualifiedName } from '../contract/index.js';
import type { ExecutableNode, Manifest, SourceNode } from './manifest.js';

/** The quoted relation a node writes; a test has one only when it stores its failing rows (as dbt). */
export function relationNameOf(node: ExecutableNode): string | null {
  return node.resourceType === 'test' && !node.config.store_failures ? null : qualifiedName(node.relation.schema, node.relation.identifier);
}

export function nodeDict(node: ExecutableNode): Record<string, unknown> {
  const base: Record<string, unknown> = {
    name: node.name,
    unique_id: node.uniqueId,
    resource_type: node.resourceType,
    package_name: node.packageName,
    original_file_path: node.originalFilePath,
    path: node.originalFilePath,
    fqn: node.fqn,
    description: node.description,
    columns: node.columns,
    config: node.config,
    tags: node.config.tags,
    meta: (node.config.meta as Record<string, unknown> | undefined) ?? {},
    schema: node.relation.schema,
    alias: node.relation.identifier,
    database: null,
    checksum: { name: 'sha256', checksum: node.checksum },
    depends_on: { nodes: node.dependsOn, macros: [] },
    // The rest of dbt's node, at its defaults: macros test these (`rejectattr('time_spine', 'none')`).
    relation_name: relationNameOf(node),
    language: 'sql',
    docs: { show: true, node_color: null },
    patch_path: 'patchPath' in node && node.patchPath ? `${node.packageName}://${node.patchPath}` : null,
    group: node.config.group ?? null,
    unrendered_config: {},
    created_at: 0,
    build_path: null,
  };
  if (node.resourceType === 'model') {
    base.raw_code = node.rawCode;
    base.raw_sql = node.rawCode;
    base.refs = node.refs.map((r) => ({ name: r.name, package: r.package ?? null, version: r.version ?? null }));
    base.sources = node.sources;
    base.version = node.version ?? null;
    base.latest_version = node.latestVersion ?? null;
    base.access = node.config.access ?? 'protected';
    base.deprecation_date = null;
    base.constraints = [];
    base.contract = { enforced: (node.config.contract as { enforced?: unknown } | undefined)?.enforced === true, alias_types: true, checksum: null };
    base.time_spine = null;
    base.primary_key = [];
    base.metrics = [];
  }
  if (node.resourceType === 'test') {
    base.test_metadata = node.testMetadata
      ? { name: node.testMetadata.name, namespace: node.testMetadata.namespace ?? null, kwargs: node.testMetadata.kwargs }
      : null;
    base.column_name = node.columnName ?? null;
    base.attached_node = node.attachedNode ?? null;
  }
  return base;
}

/** A source as `graph.sources` values show it (manifest.json's source shape). */
export function sourceDict(source: SourceNode): Record<string, unknown> {
  return {
    unique_id: source.uniqueId,
    resource_type: 'source',
    package_name: source.packageName,
    source_name: source.sourceName,
    name: source.name,
    identifier: source.relation.identifier,
    schema: source.relation.schema,
    database: null,
    original_file_path: source.originalFilePath,
    fqn: source.fqn,
    description: source.description,
    columns: source.columns,
    tags: source.tags,
    loader: source.loader ?? '',
    meta: {},
    loaded_at_field: source.loadedAtField ?? null,
    // dbt's shape: thresholds always there (count and period None when unset), the config's freshness None when unset.
    freshness: freshnessDict(source),
    relation_name: qualifiedName(source.relation.schema, source.relation.identifier),
    source_description: '',
    config: {
      enabled: true,
      event_time: source.eventTime ?? null,
      freshness: source.freshness ? freshnessDict(source) : null,
      loaded_at_field: source.loadedAtField ?? null,
      meta: {},
      tags: source.tags,
    },
  };
}

function freshnessDict(source: SourceNode): Record<string, unknown> {
  const threshold = (t: { count: number; period: string } | undefined) => ({ count: t?.count ?? null, period: t?.period ?? null });
  return {
    warn_after: threshold(source.freshness?.warn_after),
    error_after: threshold(source.freshness?.error_after),
    filter: source.freshness?.filter ?? null,
  };
}

const GRAPHS = new WeakMap<Manifest, Record<string, unknown>>();

/**
 * dbt's `graph` variable: every node and source as dicts, made once per manifest
 * (macros that walk `graph.nodes.values()` run while compiling, when `execute` is true).
 */
export function graphDict(manifest: Manifest): Record<string, unknown> {
  let graph = GRAPHS.get(manifest);
  if (!graph) {
    const nodes = Object.values(manifest.nodes).filter((node) => !(node.resourceType === 'test' && node.testType === 'unit'));
    graph = {
      nodes: Object.fromEntries(nodes.map((node) => [node.uniqueId, nodeDict(node)])),
      sources: Object.fromEntries(Object.values(manifest.sources).map((source) => [source.uniqueId, sourceDict(source)])),
      exposures: {},
      metrics: {},
      groups: {},
      semantic_models: {},
      saved_queries: {},
    };
    GRAPHS.set(manifest, graph);
  }
  return graph;
}

/** `graph` while parsing, as in dbt: nothing is known yet. */
export const PARSE_GRAPH: Readonly<Record<string, unknown>> = Object.freeze({
  nodes: {},
  sources: {},
  exposures: {},
  metrics: {},
  groups: {},
  semantic_models: {},
  saved_queries: {},
});
