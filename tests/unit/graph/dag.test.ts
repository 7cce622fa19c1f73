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
  selectNodes,
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
const diamond = () => buildDag([model('e', ['c', 'd']), model('d', ['a', 'b']), model('c', ['a']), model('b'), model('a')]);

describe('dag', () => {
  it('ignores dependencies on unknown ids', () => {
    const dag = buildDag([model('a', ['nope', 'b', 'b']), model('b')]);
    expect(dag.parentsOf('a')).toEqual(['b']);
    expect(dag.edgeCount).toBe(1);
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
    expect(() => topologicalOrder(dag)).toThrowError('cycle: a -> b -> c -> a (models/a.sql, models/b.sql, models/c.sql)');
  });

  it('reports two separate cycles together', () => {
    const dag = buildDag([model('x', ['y']), model('y', ['x']), model('ok'), model('b', ['a']), model('c', ['b']), model('a', ['c'])]);
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

  // graphlib's recursive topsort/findCycles overflowed the stack on exactly this (src/graph/README.md).
  describe('a 10,000-node chain (no recursion limits)', () => {
    const chain = () => {
      const nodes = Array.from({ length: 10_000 }, (_, i) => model(`n${String(i).padStart(5, '0')}`));
      for (let i = 1; i < nodes.length; i++) nodes[i].dependsOn = [nodes[i - 1].uniqueId];
      return nodes;
    };

    it('orders it, layers it, walks it and selects along it', () => {
      const nodes = chain();
      const dag = buildDag(nodes);
      const ids = nodes.map((n) => n.uniqueId);
      expect(topologicalOrder(dag)).toEqual(ids);
      expect(layers(dag)).toEqual(ids.map((id) => [id]));
      expect(findCycles(dag)).toEqual([]);
      expect(() => assertAcyclic(dag)).not.toThrow();
      expect(ancestors(dag, 'n09999').size).toBe(9_999);
      expect(descendants(dag, 'n00000').size).toBe(9_999);
      expect(descendants(dag, 'n00000', 3)).toEqual(new Set(['n00001', 'n00002', 'n00003']));
      expect(selectNodes(nodes, dag, { select: ['+n09999'] }).ordered).toEqual(ids);
      expect(selectNodes(nodes, dag, { select: ['n05000+'] }).ordered).toEqual(ids.slice(5_000));
    });

    it('names the whole loop when its ends are joined', () => {
      const nodes = chain();
      nodes[0].dependsOn = [nodes[nodes.length - 1].uniqueId];
      const dag = buildDag(nodes);
      const [cycle] = findCycles(dag);
      expect(cycle).toHaveLength(10_001);
      expect(cycle[0]).toBe('n00000');
      expect(cycle.at(-1)).toBe('n00000');
      expect(() => topologicalOrder(dag)).toThrow(/^cycle: n00000 -> n00001 -> .* -> n09999 -> n00000 \(models\/n00000.sql, /);
    });
  });
});
