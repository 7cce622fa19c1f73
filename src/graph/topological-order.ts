/**
 * Kahn's algorithm with a min-heap: among nodes that are ready, the smallest
 * uniqueId goes first, so the order is the same on every run and machine.
 */
import type { Dag } from './dag.js';
import { assertAcyclic } from './cycles.js';
import { MinHeap } from './min-heap.js';

interface KahnResult {
  order: string[];
  /** generation of each node: 0 for roots, else 1 + the deepest parent */
  layer: Map<string, number>;
}

function kahn(dag: Dag): KahnResult {
  const indegree = new Map<string, number>();
  const ready = new MinHeap();
  const layer = new Map<string, number>();
  for (const id of dag.nodes.keys()) {
    const n = dag.parentsOf(id).length;
    indegree.set(id, n);
    if (n === 0) {
      ready.push(id);
      layer.set(id, 0);
    }
  }
  const order: string[] = [];
  for (let id = ready.pop(); id !== undefined; id = ready.pop()) {
    order.push(id);
    const depth = (layer.get(id) ?? 0) + 1;
    for (const child of dag.childrenOf(id)) {
      if (depth > (layer.get(child) ?? 0)) layer.set(child, depth);
      const left = (indegree.get(child) ?? 0) - 1;
      indegree.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  return { order, layer };
}

// A Dag never changes after buildDag, so its order is computed once.
const orders = new WeakMap<Dag, string[]>();

/** Every node, parents before children, ties by uniqueId. Throws ProjectError on a cycle. */
export function topologicalOrder(dag: Dag): string[] {
  let order = orders.get(dag);
  if (!order) {
    order = kahn(dag).order;
    if (order.length < dag.nodes.size) assertAcyclic(dag);
    orders.set(dag, order);
  }
  return order.slice();
}

/**
 * Takes an order computed earlier for the same nodes and edges (a project snapshot)
 * instead of running Kahn again; one of another size is not trusted.
 */
export function rememberOrder(dag: Dag, order: string[]): string[] {
  if (order.length !== dag.nodes.size || !order.every((id) => dag.nodes.has(id))) return topologicalOrder(dag);
  orders.set(dag, order);
  return order.slice();
}

/** The given ids in topological order (e.g. the selected nodes). */
export function sortTopologically(dag: Dag, ids: Iterable<string>): string[] {
  const wanted = ids instanceof Set ? (ids as Set<string>) : new Set(ids);
  return topologicalOrder(dag).filter((id) => wanted.has(id));
}

/**
 * Generations: layer 0 holds the roots, layer n the nodes whose longest path from
 * a root has n edges. Nodes in a layer do not depend on each other.
 */
export function layers(dag: Dag): string[][] {
  const { order, layer } = kahn(dag);
  if (order.length < dag.nodes.size) assertAcyclic(dag);
  const out: string[][] = [];
  for (const id of order) (out[layer.get(id) ?? 0] ??= []).push(id);
  return out.map((ids) => ids.sort());
}
