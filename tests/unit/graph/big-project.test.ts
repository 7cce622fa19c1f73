import { describe, expect, it } from 'vitest';
import { buildDag, findCycles, selectNodes, topologicalOrder, type GraphNode } from '../../../src/graph/index.js';

/** 10,000 models, ~20,000 edges: each node depends on the previous one and a random earlier one. */
function bigProject(n: number): GraphNode[] {
  let seed = 42; // deterministic pseudo-random so the test repeats
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const nodes: GraphNode[] = [];
  for (let i = 0; i < n; i++) {
    const name = `m${String(i).padStart(5, '0')}`;
    const deps = i === 0 ? [] : [nodes[i - 1].uniqueId, nodes[Math.floor(rand() * i)].uniqueId];
    nodes.push({
      uniqueId: `model.big.${name}`,
      name,
      resourceType: 'model',
      packageName: 'big',
      fqn: ['big', `f${i % 50}`, name],
      originalFilePath: `models/f${i % 50}/${name}.sql`,
      tags: i % 10 === 0 ? ['tenth'] : [],
      config: { materialized: i % 2 ? 'table' : 'view' },
      dependsOn: deps,
    });
  }
  return nodes;
}

// Speed is measured by `npm run bench` (compile of 10,000 models), not by timers here.
describe('a 10,000-node project', () => {
  it('builds, orders, checks and selects 10,000 nodes / 20,000 edges', () => {
    const nodes = bigProject(10_000);
    const dag = buildDag(nodes);
    const order = topologicalOrder(dag);
    expect(order).toHaveLength(10_000);
    const position = new Map(order.map((id, i) => [id, i]));
    for (const node of nodes) for (const parent of node.dependsOn) expect(position.get(parent)!).toBeLessThan(position.get(node.uniqueId)!);
    expect(dag.edgeCount).toBeGreaterThan(19_000);
    expect(findCycles(dag)).toEqual([]);
    const { selected } = selectNodes(nodes, dag, { select: ['+m05000+', 'tag:tenth,config.materialized:view'] });
    expect(selected.size).toBeGreaterThan(5_000);
    expect(selected.has('model.big.m05000')).toBe(true);
  });
});
