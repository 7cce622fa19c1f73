/**
 * Cycle detection that names the path, not just "the graph has a cycle":
 * strongly connected components (iterative Tarjan, no recursion limit on long
 * chains), then the shortest loop through each component's smallest id.
 */
import type { Dag } from './dag.js';
import { ErrorCollector, ProjectError } from '../errors.js';

/** Each cycle as a path that ends where it starts: ['a', 'b', 'c', 'a']. Sorted by first id. */
export function findCycles(dag: Dag): string[][] {
  const cycles: string[][] = [];
  for (const component of stronglyConnected(dag)) {
    // biome-ignore lint/complexity/useMathMinMax: ids are strings, Math.min compares numbers
    const start = component.reduce((a, b) => (b < a ? b : a));
    const selfLoop = component.length === 1 && dag.parentsOf(start).includes(start);
    if (component.length > 1 || selfLoop) cycles.push(shortestLoop(dag, start, new Set(component)));
  }
  return cycles.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** `cycle: a -> b -> a (models/a.sql, models/b.sql)`, located at the first node's file. */
export function cycleError(dag: Dag, cycle: string[]): ProjectError {
  const members = cycle.slice(0, -1).map((id) => dag.nodes.get(id));
  const names = cycle.map((id) => dag.nodes.get(id)?.name ?? id);
  const files = members.map((n) => n?.originalFilePath).filter((f): f is string => !!f);
  const where = files.length > 0 ? ` (${files.join(', ')})` : '';
  const hint =
    members.length === 1
      ? `${names[0]} depends on itself: remove the ref() to ${names[0]} from its own file`
      : 'a node cannot depend on itself, directly or through others: remove one of these ref()/source() calls';
  return new ProjectError(`cycle: ${names.join(' -> ')}${where}`, { file: files[0], hint });
}

/** Throws one ProjectError per cycle (all of them at once) if the graph has any. */
export function assertAcyclic(dag: Dag): void {
  const errors = new ErrorCollector();
  for (const cycle of findCycles(dag)) errors.add(cycleError(dag, cycle));
  errors.throwIfAny();
}

/** Breadth-first from `start` inside its component back to `start`; children come sorted, so the loop is deterministic. */
function shortestLoop(dag: Dag, start: string, inside: Set<string>): string[] {
  const cameFrom = new Map<string, string>();
  let frontier = [start];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const child of dag.childrenOf(id)) {
        if (!inside.has(child)) continue;
        if (child === start) {
          const back: string[] = [];
          for (let at = id; at !== start; at = cameFrom.get(at)!) back.push(at);
          return [start, ...back.reverse(), start];
        }
        if (cameFrom.has(child)) continue;
        cameFrom.set(child, id);
        next.push(child);
      }
    }
    frontier = next;
  }
  return [start, start]; // unreachable for a real component
}

/** Tarjan's SCC algorithm with an explicit stack. */
function stronglyConnected(dag: Dag): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  let counter = 0;
  for (const root of dag.nodes.keys()) {
    if (index.has(root)) continue;
    const work: Array<{ id: string; next: readonly string[]; i: number }> = [];
    const open = (id: string) => {
      index.set(id, counter);
      low.set(id, counter++);
      stack.push(id);
      onStack.add(id);
      work.push({ id, next: dag.childrenOf(id), i: 0 });
    };
    open(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.i < frame.next.length) {
        const child = frame.next[frame.i++];
        if (!index.has(child)) open(child);
        else if (onStack.has(child)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(child)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        result.push(component);
      }
    }
  }
  return result;
}
