/**
 * The scheduler on hand-made plans: runNode is the test's own function (the runner
 * passes one that runs SQL), so order, parallelism and skips are seen directly.
 */
import { describe, expect, it } from 'vitest';
import { InternalError } from '../../../src/errors.js';
import type { ExecutionPlan, PlannedNode } from '../../../src/execute/plan.js';
import type { NodeResult, NodeStatus } from '../../../src/execute/reporter.js';
import { runScheduled } from '../../../src/execute/scheduler.js';

function planOf(edges: Record<string, string[]>, threads = 1): ExecutionPlan {
  const nodes: PlannedNode[] = Object.entries(edges).map(([id, waitsFor]) => ({
    uniqueId: id,
    name: id,
    action: id.startsWith('test_') ? 'test' : 'model',
    materialized: 'table',
    relation: `main.${id}`,
    waitsFor,
  }));
  return { nodes, threads, fullRefresh: false, targetName: 'dev' };
}

function result(node: PlannedNode, status: NodeStatus): NodeResult {
  const now = new Date().toISOString();
  return { uniqueId: node.uniqueId, status, startedAt: now, completedAt: now, executionTime: 0, attempts: 1 };
}

/** Runs every node with the given status (default success), recording start order and peak parallelism. */
function recorder(statuses: Record<string, NodeStatus | Error> = {}) {
  const started: string[] = [];
  let running = 0;
  let peak = 0;
  const runNode = async (node: PlannedNode): Promise<NodeResult> => {
    started.push(node.uniqueId);
    peak = Math.max(peak, ++running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running--;
    const outcome = statuses[node.uniqueId] ?? 'success';
    if (outcome instanceof Error) throw outcome;
    return result(node, outcome);
  };
  return { runNode, started, peak: () => peak };
}

const statusOf = (results: NodeResult[]) => Object.fromEntries(results.map((r) => [r.uniqueId, r.status]));

describe('runScheduled', () => {
  it('starts a node only after the parents it waits for, and returns results in plan order', async () => {
    const plan = planOf({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] }, 4);
    const { runNode, started } = recorder();
    const results = await runScheduled(plan, runNode);
    expect(results.map((r) => r.uniqueId)).toEqual(['a', 'b', 'c', 'd']);
    expect(started[0]).toBe('a');
    expect(started[3]).toBe('d');
    expect(statusOf(results)).toEqual({ a: 'success', b: 'success', c: 'success', d: 'success' });
  });

  it('runs independent nodes in parallel up to the thread count, never more', async () => {
    const wide = planOf(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`n${i}`, []])), 3);
    const three = recorder();
    await runScheduled(wide, three.runNode);
    expect(three.peak()).toBe(3);
    const one = recorder();
    await runScheduled({ ...wide, threads: 1 }, one.runNode);
    expect(one.peak()).toBe(1);
  });

  it('skips what is downstream of a failure, naming it, while independent branches go on', async () => {
    const plan = planOf({ a: [], b: ['a'], c: ['b'], x: [], y: ['x'] }, 2);
    const { runNode, started } = recorder({ a: 'error' });
    const results = await runScheduled(plan, runNode);
    expect(statusOf(results)).toEqual({ a: 'error', b: 'skipped', c: 'skipped', x: 'success', y: 'success' });
    expect(started.sort()).toEqual(['a', 'x', 'y']);
    expect(results.find((r) => r.uniqueId === 'b')!.message).toBe('skipped: upstream a failed');
    expect(results.find((r) => r.uniqueId === 'c')!.message).toBe('skipped: upstream b was skipped');
    expect(results.find((r) => r.uniqueId === 'c')!.attempts).toBe(0);
  });

  it('also skips downstream of a failing test', async () => {
    const plan = planOf({ a: [], test_a: ['a'], b: ['a', 'test_a'] });
    const results = await runScheduled(plan, recorder({ test_a: 'fail' }).runNode);
    expect(statusOf(results)).toEqual({ a: 'success', test_a: 'fail', b: 'skipped' });
  });

  it('with failFast starts nothing new after a failure, and lets the running ones finish', async () => {
    const plan = planOf({ a: [], b: [], c: [], d: ['a'] }, 2);
    const { runNode, started } = recorder({ a: 'error' });
    const results = await runScheduled(plan, runNode, { failFast: true });
    expect(started).toEqual(['a', 'b']);
    expect(statusOf(results)).toEqual({ a: 'error', b: 'success', c: 'skipped', d: 'skipped' });
    expect(results.find((r) => r.uniqueId === 'c')!.message).toBe('skipped: --fail-fast stopped the run');
  });

  it('turns a throwing runNode into an error result instead of stopping the run', async () => {
    const plan = planOf({ a: [], b: ['a'], x: [] });
    const results = await runScheduled(plan, recorder({ a: new Error('connection lost') }).runNode);
    expect(statusOf(results)).toEqual({ a: 'error', b: 'skipped', x: 'success' });
    expect(results[0].message).toBe('connection lost');
  });

  it('takes a settled result without running the node, even downstream of a failure', async () => {
    const plan = planOf({ a: [], test_a: ['a'], b: ['a'] });
    const { runNode, started } = recorder({ a: 'error' });
    const settle = (node: PlannedNode) => (node.uniqueId === 'test_a' ? result(node, 'pass') : undefined);
    const finished: string[] = [];
    const results = await runScheduled(plan, runNode, { settle, onFinish: (node) => finished.push(node.uniqueId) });
    expect(started).toEqual(['a']);
    expect(statusOf(results)).toEqual({ a: 'error', test_a: 'pass', b: 'skipped' });
    expect(finished.sort()).toEqual(['a', 'b', 'test_a']);
  });

  it('reports every start and finish with an index from 1 to the node count', async () => {
    const plan = planOf({ a: [], b: ['a'], c: ['b'] });
    const seen: [string, string, number][] = [];
    await runScheduled(plan, recorder({ a: 'error' }).runNode, {
      onStart: (node, i) => seen.push(['start', node.uniqueId, i]),
      onFinish: (node, _r, i) => seen.push(['finish', node.uniqueId, i]),
    });
    expect(seen).toEqual([
      ['start', 'a', 1],
      ['finish', 'a', 1],
      ['finish', 'b', 2],
      ['finish', 'c', 3],
    ]);
  });

  it('throws an InternalError, and leaves the plan as it was, when a node waits for one outside the plan', async () => {
    const plan = planOf({ a: [], b: ['a', 'ghost'] });
    const before = structuredClone(plan);
    const run = runScheduled(plan, recorder().runNode);
    await expect(run).rejects.toBeInstanceOf(InternalError);
    await expect(run).rejects.toThrow('the run cannot go on: b waits for ghost, which will never finish');
    expect(plan).toEqual(before);
  });
});
