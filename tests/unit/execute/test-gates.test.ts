import { describe, expect, it } from 'vitest';
import type { ExecutionPlan, NodeAction, PlannedNode } from '../../../src/execute/plan.js';
import { gateOnTests } from '../../../src/execute/test-gates.js';

/** Each entry: id → the nodes it depends on in the manifest (every one is selected here). */
function setup(dependsOn: Record<string, string[]>) {
  const action = (id: string): NodeAction => (id.startsWith('test_') ? 'test' : id.startsWith('seed_') ? 'seed' : 'model');
  const nodes: PlannedNode[] = Object.entries(dependsOn).map(([id, parents]) => ({
    uniqueId: id,
    name: id,
    action: action(id),
    materialized: 'table',
    relation: id,
    waitsFor: [...parents],
  }));
  const plan: ExecutionPlan = { nodes, threads: 4, fullRefresh: false, targetName: 'dev' };
  return { plan, dependsOf: (id: string) => dependsOn[id] ?? [] };
}

const waits = (plan: ExecutionPlan) => Object.fromEntries(plan.nodes.map((n) => [n.uniqueId, n.waitsFor]));

describe('gateOnTests', () => {
  it('makes a node wait for the single-parent tests of each node it waits for', () => {
    const { plan, dependsOf } = setup({
      seed_s: [],
      test_s: ['seed_s'],
      a: ['seed_s'],
      test_a_1: ['a'],
      test_a_2: ['a'],
      b: ['a'],
    });
    expect(waits(gateOnTests(plan, dependsOf))).toEqual({
      seed_s: [],
      test_s: ['seed_s'],
      a: ['seed_s', 'test_s'],
      test_a_1: ['a'],
      test_a_2: ['a'],
      b: ['a', 'test_a_1', 'test_a_2'],
    });
  });

  it("gates the nodes reading a source on the source's tests, as dbt build does (a source is no node of the plan)", () => {
    const { plan } = setup({ test_src: [], a: [], b: ['a'] });
    const manifestParents: Record<string, string[]> = { test_src: ['source.app.users'], a: ['source.app.users'], b: ['a'] };
    expect(waits(gateOnTests(plan, (id) => manifestParents[id] ?? []))).toEqual({ test_src: [], a: ['test_src'], b: ['a'] });
  });

  it('does not gate on a test that reads several nodes (it may read the child itself)', () => {
    const { plan, dependsOf } = setup({ a: [], b: ['a'], test_rel: ['a', 'b'] });
    expect(waits(gateOnTests(plan, dependsOf))).toEqual({ a: [], b: ['a'], test_rel: ['a', 'b'] });
  });

  it('leaves tests waiting only for what they test, and gates nothing without tests', () => {
    const { plan, dependsOf } = setup({ a: [], test_a: ['a'], test_b: ['b'], b: ['a'] });
    const gated = waits(gateOnTests(plan, dependsOf));
    expect(gated.test_a).toEqual(['a']);
    expect(gated.test_b).toEqual(['b']);
    expect(gated.a).toEqual([]);
  });

  it('does not change the plan it is given', () => {
    const { plan, dependsOf } = setup({ a: [], test_a: ['a'], b: ['a'] });
    const before = structuredClone(plan);
    const gated = gateOnTests(plan, dependsOf);
    expect(plan).toEqual(before);
    expect(gated.nodes.find((n) => n.uniqueId === 'b')!.waitsFor).toEqual(['a', 'test_a']);
    expect({ ...gated, nodes: [] }).toEqual({ ...plan, nodes: [] });
  });
});
