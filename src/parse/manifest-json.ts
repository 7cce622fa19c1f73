/**
 * target/manifest.json: the parsed project in a documented, stable, dbt-like
 * snake_case shape (docs/artifacts.md) that other tools can read.
 */
import type { Manifest, ManifestNode } from './manifest.js';

export const MANIFEST_SCHEMA_VERSION = 1;

export function manifestToJson(manifest: Manifest, meta: { version: string; target: string }): object {
  const all: ManifestNode[] = [...Object.values(manifest.nodes), ...Object.values(manifest.sources)];
  const childMap: Record<string, string[]> = Object.fromEntries(all.map((n) => [n.uniqueId, [] as string[]]));
  for (const node of Object.values(manifest.nodes)) {
    for (const parent of node.dependsOn) childMap[parent]?.push(node.uniqueId);
  }
  return {
    metadata: {
      schema_version: MANIFEST_SCHEMA_VERSION,
      tspipe_version: meta.version,
      generated_at: manifest.generatedAt,
      project_name: manifest.projectName,
      target_name: meta.target,
    },
    nodes: Object.fromEntries(
      Object.values(manifest.nodes).map((node) => [
        node.uniqueId,
        {
          unique_id: node.uniqueId,
          resource_type: node.resourceType,
          name: node.name,
          package_name: node.packageName,
          original_file_path: node.originalFilePath,
          fqn: node.fqn,
          description: node.description,
          columns: node.columns,
          config: node.config,
          tags: node.config.tags,
          schema: node.relation.schema,
          alias: node.relation.identifier,
          relation_name: `"${node.relation.schema}"."${node.relation.identifier}"`,
          depends_on: { nodes: node.dependsOn },
          checksum: node.checksum,
          ...(node.resourceType === 'model'
            ? { raw_code: node.rawCode, refs: node.refs, sources: node.sources, compiled_path: `compiled/${node.originalFilePath}` }
            : {}),
        },
      ]),
    ),
    sources: Object.fromEntries(
      Object.values(manifest.sources).map((source) => [
        source.uniqueId,
        {
          unique_id: source.uniqueId,
          resource_type: 'source',
          source_name: source.sourceName,
          name: source.name,
          original_file_path: source.originalFilePath,
          fqn: source.fqn,
          description: source.description,
          columns: source.columns,
          schema: source.relation.schema,
          identifier: source.relation.identifier,
          relation_name: `"${source.relation.schema}"."${source.relation.identifier}"`,
          tags: source.tags,
        },
      ]),
    ),
    macros: manifest.macros,
    docs: manifest.docs,
    parent_map: Object.fromEntries(all.map((n) => [n.uniqueId, 'dependsOn' in n ? n.dependsOn : []])),
    child_map: childMap,
  };
}
