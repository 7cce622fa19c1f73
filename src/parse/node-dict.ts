/**
 * A node as dbt's templates see it (`model`, the `node` argument of
 * generate_schema_name, `graph.nodes` values): manifest.json's node shape.
 */
import type { ExecutableNode } from './manifest.js';

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
  };
  if (node.resourceType === 'model') {
    base.raw_code = node.rawCode;
    base.raw_sql = node.rawCode;
    base.refs = node.refs.map((r) => ({ name: r.name, package: r.package ?? null, version: r.version ?? null }));
    base.sources = node.sources;
    base.version = null;
  }
  if (node.resourceType === 'test') {
    base.test_metadata = node.testMetadata ? { name: node.testMetadata.name, namespace: node.testMetadata.namespace ?? null, kwargs: node.testMetadata.kwargs } : null;
    base.column_name = node.columnName ?? null;
    base.attached_node = node.attachedNode ?? null;
  }
  return base;
}
