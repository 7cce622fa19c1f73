/**
 * target/manifest.json: the parsed project in a documented, stable, dbt-like
 * snake_case shape (docs/artifacts.md) that other tools can read.
 */
import { qualifiedName } from '../contract/index.js';
import { hashJson } from './cache-file.js';
import { macroCalls, resolveMacroCalls } from './macro-dependencies.js';
import { relationNameOf } from './node-dict.js';
import type { ExecutableNode, Manifest, ManifestNode, TestNode } from './manifest.js';

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
      Object.values(manifest.nodes)
        .filter((node) => !(node.resourceType === 'test' && node.testType === 'unit'))
        .map((node) => [
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
            // Tests: the relation their failing rows go to, only when stored (as dbt).
            relation_name: relationNameOf(node),
            depends_on: { nodes: node.dependsOn, macros: nodeMacros(node, manifest) },
            checksum: node.checksum,
            contract: contractOf(node),
            ...(node.resourceType === 'model' || node.resourceType === 'snapshot'
              ? { raw_code: node.rawCode, refs: node.refs, sources: node.sources, compiled_path: `compiled/${compiledFileOf(node)}` }
              : {}),
            ...(node.resourceType === 'test' ? testFields(node) : {}),
            ...(node.resourceType === 'model' ? { version: node.version ?? null, latest_version: node.latestVersion ?? null } : {}),
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
          relation_name: qualifiedName(source.relation.schema, source.relation.identifier),
          tags: source.tags,
          loaded_at_field: source.loadedAtField ?? null,
          freshness: source.freshness ?? null,
          config: { enabled: true, event_time: source.eventTime ?? null },
        },
      ]),
    ),
    // dbt keeps unit tests apart from the nodes
    unit_tests: Object.fromEntries(
      Object.values(manifest.nodes).flatMap((node) => (node.resourceType === 'test' && node.unitTest ? [[node.uniqueId, unitTestJson(node)]] : [])),
    ),
    macros: Object.fromEntries(
      Object.entries(manifest.macros).map(([id, { calls, ...macro }]) => [
        id,
        { unique_id: id, ...macro, depends_on: { macros: resolveMacroCalls(calls ?? [], manifest.macros, macro.packageName, manifest.rootPackage) } },
      ]),
    ),
    docs: manifest.docs,
    parent_map: Object.fromEntries(all.map((n) => [n.uniqueId, 'dependsOn' in n ? n.dependsOn : []])),
    child_map: childMap,
  };
}

/** The macros a node's template calls; a generic test also uses its test macro. */
export function nodeMacros(node: ExecutableNode, manifest: Manifest): string[] {
  const calls = 'rawCode' in node && node.rawCode ? macroCalls(node.rawCode) : [];
  if (node.resourceType === 'test' && node.testMetadata) {
    const { name, namespace } = node.testMetadata;
    calls.push(namespace ? `${namespace}.test_${name}` : `test_${name}`);
  }
  return resolveMacroCalls(calls, manifest.macros, node.packageName, manifest.rootPackage);
}

/**
 * dbt's contract: whether it is enforced, and a checksum of the declared columns and
 * types when it is (state:modified.contract compares both).
 */
function contractOf(node: ExecutableNode): { enforced: boolean; checksum: string | null } {
  const enforced = (node.config.contract as { enforced?: unknown } | undefined)?.enforced === true;
  if (!enforced) return { enforced, checksum: null };
  return { enforced, checksum: hashJson(Object.values(node.columns).map((c) => [c.name, c.data_type ?? null])) };
}

function unitTestJson(test: TestNode): object {
  const definition = test.unitTest!;
  return {
    unique_id: test.uniqueId,
    resource_type: 'unit_test',
    name: test.name,
    package_name: test.packageName,
    original_file_path: test.originalFilePath,
    fqn: test.fqn,
    description: test.description,
    model: definition.model,
    given: definition.given,
    expect: definition.expect,
    overrides: definition.overrides,
    config: test.config,
    depends_on: { nodes: test.dependsOn },
    attached_node: test.attachedNode ?? null,
  };
}

/** dbt's test node fields; `test_metadata` only for generic tests. */
function testFields(test: TestNode): object {
  return {
    test_type: test.testType,
    attached_node: test.attachedNode ?? null,
    column_name: test.columnName ?? null,
    test_metadata: test.testMetadata
      ? { name: test.testMetadata.name, namespace: test.testMetadata.namespace ?? null, kwargs: test.testMetadata.kwargs }
      : null,
    ...(test.rawCode !== undefined ? { raw_code: test.rawCode } : {}),
    refs: test.refs,
    sources: test.sources,
    compiled_path: `compiled/${testCompiledFile(test)}`,
  };
}

/** dbt's layout: `<schema.yml>/<test name>.sql` for generic tests, the file itself for singular ones. */
export function testCompiledFile(test: TestNode): string {
  return test.testType === 'generic' ? `${test.originalFilePath}/${test.name}.sql` : test.originalFilePath;
}

/** Where a model's compiled SQL goes; a YAML snapshot's goes under its property file, as generic tests' do. */
export function compiledFileOf(node: { originalFilePath: string; name: string }): string {
  return /\.ya?ml$/.test(node.originalFilePath) ? `${node.originalFilePath}/${node.name}.sql` : node.originalFilePath;
}
