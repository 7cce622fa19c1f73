import { describe, expect, it } from 'vitest';
import { buildDag, findCycles, selectNodes, topologicalOrder, type GraphNode } from '../../../src/graph/index.js';

/** 10,000 models, ~20,000 edges: each node depends on the previous one and a random earlier one. */
function bigProject(n: number): GraphNode[] {
  let seed = 42; // deterministic pseudo-random so the test repeats
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
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

describe('performance', () => {
  // The bound is generous for slow CI machines; typical numbers are printed.
  it('builds and orders 10,000 nodes / 20,000 edges quickly', () => {
    const nodes = bigProject(10_000);
    const t0 = performance.now();
    const dag = buildDag(nodes);
    const order = topologicalOrder(dag);
    const t1 = performance.now();
    expect(order).toHaveLength(10_000);
    expect(dag.edgeCount).toBeGreaterThan(19_000);
    expect(findCycles(dag)).toEqual([]);
    const t2 = performance.now();
    const { selected } = selectNodes(nodes, dag, { select: ['+m05000+', 'tag:tenth,config.materialized:view'] });
    const t3 = performance.now();
    expect(selected.size).toBeGreaterThan(5_000);
    console.log(
      `10k nodes: build+toposort ${(t1 - t0).toFixed(0)} ms, cycle check ${(t2 - t1).toFixed(0)} ms, ` +
        `selection ${(t3 - t2).toFixed(0)} ms`,
    );
    expect(t1 - t0).toBeLessThan(2_000); // quiet machine: ~40 ms; this only catches blow-ups
    expect(t3 - t2).toBeLessThan(3_000);
  });
});
