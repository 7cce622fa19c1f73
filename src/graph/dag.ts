/**
 * A DAG of GraphNodes, edges parent -> child, as plain sorted adjacency lists:
 * sorted lists keep every traversal deterministic. Every algorithm on it loops
 * with explicit stacks or queues, never recursion (see README.md).
 */
import type { GraphNode } from './graph-node.js';

export class Dag {
  readonly nodes: ReadonlyMap<string, GraphNode>;
  private readonly up: Map<string, string[]>;
  private readonly down: Map<string, string[]>;

  constructor(nodes: ReadonlyMap<string, GraphNode>, up: Map<string, string[]>, down: Map<string, string[]>) {
    this.nodes = nodes;
    this.up = up;
    this.down = down;
  }

  /** Direct parents (sorted); [] for an unknown id. */
  parentsOf(id: string): readonly string[] {
    return this.up.get(id) ?? [];
  }

  /** Direct children (sorted); [] for an unknown id. */
  childrenOf(id: string): readonly string[] {
    return this.down.get(id) ?? [];
  }

  get edgeCount(): number {
    let n = 0;
    for (const list of this.down.values()) n += list.length;
    return n;
  }
}

/** Unknown dependsOn ids are skipped here: the parser reports them with file and line. */
export function buildDag(nodes: Iterable<GraphNode>): Dag {
  const byId = new Map<string, GraphNode>();
  for (const node of nodes) byId.set(node.uniqueId, node);
  const down = new Map<string, string[]>();
  for (const id of byId.keys()) down.set(id, []);
  const up = new Map<string, string[]>();
  // plain loops and one map lookup per edge: this runs on 10k-node projects
  for (const node of byId.values()) {
    const known: string[] = [];
    for (const parent of node.dependsOn) {
      const siblings = down.get(parent);
      if (siblings === undefined || known.includes(parent)) continue;
      known.push(parent);
      siblings.push(node.uniqueId);
    }
    if (known.length > 1) known.sort(byText);
    up.set(node.uniqueId, known);
  }
  for (const kids of down.values()) if (kids.length > 1) kids.sort(byText);
  return new Dag(byId, up, down);
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Direct parents, sorted. */
export function parents(dag: Dag, id: string): string[] {
  return [...dag.parentsOf(id)];
}

/** Direct children, sorted. */
export function children(dag: Dag, id: string): string[] {
  return [...dag.childrenOf(id)];
}

/** All ancestors of the given nodes, up to `depth` generations (1 = parents). */
export function ancestors(dag: Dag, from: string | Iterable<string>, depth?: number): Set<string> {
  return walk(from, depth, (id) => dag.parentsOf(id));
}

/** All descendants of the given nodes, up to `depth` generations (1 = children). */
export function descendants(dag: Dag, from: string | Iterable<string>, depth?: number): Set<string> {
  return walk(from, depth, (id) => dag.childrenOf(id));
}

/** Breadth-first by generation so a depth limit means "n edges away". */
function walk(from: string | Iterable<string>, depth: number | undefined, next: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  let frontier = typeof from === 'string' ? [from] : [...from];
  for (let level = 0; frontier.length > 0 && (depth === undefined || level < depth); level++) {
    const upcoming: string[] = [];
    for (const id of frontier) {
      for (const other of next(id)) {
        if (seen.has(other)) continue;
        seen.add(other);
        upcoming.push(other);
      }
    }
    frontier = upcoming;
  }
  return seen;
}
