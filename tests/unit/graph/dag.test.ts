import { describe, expect, it } from 'vitest';
import { ProjectError, ProjectErrors } from '../../../src/errors.js';
import {
  ancestors,
  assertAcyclic,
  buildDag,
  children,
  cycleError,
  descendants,
  findCycles,
  layers,
  parents,
  sortTopologically,
  topologicalOrder,
  type GraphNode,
} from '../../../src/graph/index.js';

function model(name: string, deps: string[] = []): GraphNode {
  return {
    uniqueId: name,
    name,
    resourceType: 'model',
    packageName: 'p',
    fqn: ['p', name],
    originalFilePath: `models/${name}.sql`,
    tags: [],
    config: {},
    dependsOn: deps,
  };
}

//   a   b
//   |\ /
//   c  d
//    \ |
//      e
const diamond = () =>
  buildDag([model('e', ['c', 'd']), model('d', ['a', 'b']), model('c', ['a']), model('b'), model('a')]);

describe('dag', () => {
  it('ignores dependencies on unknown ids', () => {
    const dag = buildDag([model('a', ['nope', 'b', 'b']), model('b')]);
    expect(dag.parentsOf('a')).toEqual(['b']);
    expect(dag.edgeCount).toBe(1);
  });

  it('offers the same graph as a graphlib Graph', () => {
    const g = diamond().graph;
    expect(g.nodeCount()).toBe(5);
    expect(g.edgeCount()).toBe(5);
    expect(g.hasEdge('a', 'c')).toBe(true);
    expect(g.node('e')).toMatchObject({ name: 'e' });
  });

  it('gives parents and children sorted', () => {
    const dag = diamond();
    expect(parents(dag, 'd')).toEqual(['a', 'b']);
    expect(children(dag, 'a')).toEqual(['c', 'd']);
    expect(parents(dag, 'missing')).toEqual([]);
  });

  it('walks ancestors and descendants with an optional depth', () => {
    const dag = diamond();
    expect([...ancestors(dag, 'e')].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect([...ancestors(dag, 'e', 1)].sort()).toEqual(['c', 'd']);
    expect([...descendants(dag, 'a')].sort()).toEqual(['c', 'd', 'e']);
    expect([...descendants(dag, ['a', 'b'], 1)].sort()).toEqual(['c', 'd']);
    expect(ancestors(dag, 'e', 0).size).toBe(0);
  });

  it('orders topologically, ties broken by uniqueId whatever the input order', () => {
    expect(topologicalOrder(diamond())).toEqual(['a', 'b', 'c', 'd', 'e']);
    const shuffled = buildDag([model('z'), model('y', ['z']), model('m'), model('b', ['m'])]);
    expect(topologicalOrder(shuffled)).toEqual(['m', 'b', 'z', 'y']);
    expect(sortTopologically(diamond(), new Set(['e', 'b', 'c']))).toEqual(['b', 'c', 'e']);
  });

  it('groups nodes into generations', () => {
    expect(layers(diamond())).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    // a longest path wins: f has a parent in layer 0 and one in layer 2
    const dag = buildDag([model('a'), model('b', ['a']), model('c', ['b']), model('f', ['a', 'c'])]);
    expect(layers(dag)).toEqual([['a'], ['b'], ['c'], ['f']]);
  });
});

describe('cycles', () => {
  it('finds none in a DAG', () => {
    expect(findCycles(diamond())).toEqual([]);
    expect(() => assertAcyclic(diamond())).not.toThrow();
  });

  it('reports a self-loop', () => {
    const dag = buildDag([model('a', ['a']), model('b', ['a'])]);
    expect(findCycles(dag)).toEqual([['a', 'a']]);
    const error = cycleError(dag, ['a', 'a']);
    expect(error.message).toBe('cycle: a -> a (models/a.sql)');
    expect(error.location.file).toBe('models/a.sql');
    expect(error.hint).toMatch(/depends on itself/);
  });

  it('reports a 3-cycle as an ordered path with files', () => {
    // a -> b -> c -> a (edges parent -> child), plus a tail d that is not on it
    const dag = buildDag([model('b', ['a']), model('c', ['b']), model('a', ['c']), model('d', ['c'])]);
    expect(findCycles(dag)).toEqual([['a', 'b', 'c', 'a']]);
    expect(() => topologicalOrder(dag)).toThrowError(ProjectError);
    expect(() => topologicalOrder(dag)).toThrowError(
      'cycle: a -> b -> c -> a (models/a.sql, models/b.sql, models/c.sql)',
    );
  });

  it('reports two separate cycles together', () => {
    const dag = buildDag([
      model('x', ['y']),
      model('y', ['x']),
      model('ok'),
      model('b', ['a']),
      model('c', ['b']),
      model('a', ['c']),
    ]);
    expect(findCycles(dag)).toEqual([
      ['a', 'b', 'c', 'a'],
      ['x', 'y', 'x'],
    ]);
    try {
      assertAcyclic(dag);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProjectErrors);
      expect((error as ProjectErrors).errors.map((e) => e.message)).toEqual([
        'cycle: a -> b -> c -> a (models/a.sql, models/b.sql, models/c.sql)',
        'cycle: x -> y -> x (models/x.sql, models/y.sql)',
      ]);
    }
  });

  it('picks the shortest loop through the smallest id in a tangled component', () => {
    // a -> b -> c -> a and a -> c: shortest loop from a is a -> c -> a
    const dag = buildDag([model('b', ['a']), model('c', ['a', 'b']), model('a', ['c'])]);
    expect(findCycles(dag)).toEqual([['a', 'c', 'a']]);
  });

  it('handles a 10,000-node chain without recursion limits', () => {
    const nodes = Array.from({ length: 10_000 }, (_, i) => model(`n${String(i).padStart(5, '0')}`));
    for (let i = 1; i < nodes.length; i++) nodes[i].dependsOn = [nodes[i - 1].uniqueId];
    nodes[0].dependsOn = [nodes[nodes.length - 1].uniqueId];
    const [cycle] = findCycles(buildDag(nodes));
    expect(cycle).toHaveLength(10_001);
    expect(cycle[0]).toBe('n00000');
  });
});
