/**
 * The lineage data of the docs site: every node of the manifest with its docs,
 * columns, tests, SQL, neighbours and last run, and the layers in the order the
 * data flows through them (seeds and sources first, tests last).
 */
import { argsLabel, markdownToHtml, testLabel } from './docs-text.js';
import type { LastRun, LineageData, LineageNode, LineageTest, ManifestJson, ManifestJsonNode, RunResultsJson } from './docs-types.js';

export interface LineageInput {
  manifest: ManifestJson;
  runResults?: RunResultsJson | null;
  /** unique_id → compiled SQL read from target/, when there is one. */
  compiledSql?: Record<string, string | null>;
}

export function buildLineage({ manifest, runResults, compiledSql = {} }: LineageInput): LineageData {
  const all = [...Object.values(manifest.nodes), ...Object.values(manifest.sources)];
  const byId = new Map(all.map((n) => [n.unique_id, n]));
  const runs = lastRuns(runResults);
  const parents = new Map(all.map((n) => [n.unique_id, (n.depends_on?.nodes ?? []).filter((p) => byId.has(p))]));
  const children = new Map(all.map((n) => [n.unique_id, [] as string[]]));
  for (const [id, ps] of parents) for (const p of ps) children.get(p)!.push(id);

  const testsByNode = new Map<string, ManifestJsonNode[]>();
  for (const node of all) {
    if (node.resource_type !== 'test') continue;
    const attached = testTarget(node, byId);
    if (attached) testsByNode.set(attached, [...(testsByNode.get(attached) ?? []), node]);
  }

  const nodes: LineageNode[] = all.map((node) => {
    const id = node.unique_id;
    const testNodes = testsByNode.get(id) ?? [];
    const toTest = (t: ManifestJsonNode): LineageTest => ({
      id: t.unique_id,
      label: testNodeLabel(t),
      column: t.column_name ?? null,
      status: runs.get(t.unique_id)?.status ?? null,
    });
    // Test nodes, when the manifest has them, carry run status; else the YAML declarations.
    const declared = (tests: unknown[] | undefined, column: string | null): LineageTest[] =>
      (tests ?? []).map((t, i) => ({ id: `${id}#${column ?? ''}#${i}`, label: testLabel(t), column, status: null }));
    const columns = Object.values(node.columns ?? {}).map((column) => ({
      name: column.name,
      dataType: column.data_type ?? null,
      descriptionHtml: markdownToHtml(column.description),
      tests: testNodes.length ? testNodes.filter((t) => t.column_name === column.name).map(toTest) : declared(column.tests, column.name),
    }));
    const known = new Set(columns.map((c) => c.name));
    return {
      id,
      name: node.name,
      label: nodeLabel(node),
      resourceType: node.resource_type,
      layer: layerOf(node),
      relation: node.relation_name ?? null,
      path: node.original_file_path ?? null,
      descriptionHtml: markdownToHtml(node.description),
      tags: node.tags ?? [],
      config: cleanConfig(node.config),
      columns,
      tests: testNodes.length ? testNodes.filter((t) => !t.column_name || !known.has(t.column_name)).map(toTest) : declared(node.tests, null),
      rawSql: node.raw_code ?? null,
      compiledSql: compiledSql[id] ?? null,
      upstream: parents.get(id)!,
      downstream: children.get(id)!,
      lastRun: runs.get(id) ?? null,
    };
  });
  const edges = nodes.flatMap((n) => n.upstream.map((source) => ({ source, target: n.id })));
  return { nodes, edges, layers: orderLayers(nodes, parents) };
}

/** seed, source and test by type; a model by its folder under the model path (raw, clean, kpi, ...). */
export function layerOf(node: Pick<ManifestJsonNode, 'resource_type' | 'fqn'>): string {
  if (node.resource_type !== 'model') return node.resource_type;
  const fqn = node.fqn ?? [];
  return fqn.length >= 3 ? fqn[1]! : 'models';
}

function nodeLabel(node: ManifestJsonNode): string {
  if (node.resource_type === 'source' && node.source_name) return `${node.source_name}.${node.name}`;
  if (node.resource_type === 'test') return testNodeLabel(node) + (node.column_name ? ` on ${node.column_name}` : '');
  return node.name;
}

/** `accepted_values(values: [a, b])`; the graph adds ` on <column>` (the node's columns table needs no column). */
function testNodeLabel(node: ManifestJsonNode): string {
  return node.test_metadata ? argsLabel(node.test_metadata.name, node.test_metadata.kwargs) : node.name;
}

/** The node a test is about: attached_node, else its first parent that is not a test. */
function testTarget(test: ManifestJsonNode, byId: Map<string, ManifestJsonNode>): string | undefined {
  if (test.attached_node && byId.has(test.attached_node)) return test.attached_node;
  return (test.depends_on?.nodes ?? []).find((p) => byId.get(p)?.resource_type !== 'test' && byId.has(p));
}

function cleanConfig(config: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config ?? {})
      .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

function lastRuns(runResults: RunResultsJson | null | undefined): Map<string, LastRun> {
  const runs = new Map<string, LastRun>();
  for (const r of runResults?.results ?? []) {
    const timing = r.timing?.find((t) => t.name === 'execute') ?? r.timing?.[0];
    runs.set(r.unique_id, {
      status: r.status,
      executionTime: r.execution_time ?? null,
      startedAt: timing?.started_at ?? null,
      completedAt: timing?.completed_at ?? null,
      rowsAffected: r.adapter_response?.rows_affected ?? null,
      message: r.message ?? null,
      failures: typeof r.failures === 'number' ? r.failures : null,
      command: runResults?.metadata?.command ?? null,
      runAt: runResults?.metadata?.generated_at ?? null,
    });
  }
  return runs;
}

const FIRST = ['seed', 'source'];
const LAST = ['test'];

/**
 * Layers left to right: seeds and sources, then model folders by the mean depth of
 * their nodes in the graph (raw before clean before kpi), then tests.
 */
function orderLayers(nodes: LineageNode[], parents: Map<string, string[]>): string[] {
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0; // a cycle cannot be parsed, but never loop on bad input
    seen.add(id);
    const d = Math.max(-1, ...(parents.get(id) ?? []).map((p) => depthOf(p, seen))) + 1;
    depth.set(id, d);
    return d;
  };
  const sums = new Map<string, { total: number; count: number }>();
  for (const node of nodes) {
    const s = sums.get(node.layer) ?? { total: 0, count: 0 };
    s.total += depthOf(node.id, new Set());
    s.count += 1;
    sums.set(node.layer, s);
  }
  const rank = (layer: string) => {
    if (FIRST.includes(layer)) return -1000 + FIRST.indexOf(layer);
    if (LAST.includes(layer)) return 1000;
    const s = sums.get(layer)!;
    return s.total / s.count;
  };
  return [...sums.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
