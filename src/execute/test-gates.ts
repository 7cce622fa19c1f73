/**
 * In `build`, a model's tests run right after it and its children wait for them:
 * each non-test node also waits for the single-parent tests of the nodes it waits
 * for. (A test reading several models gates nothing: it may depend on the child.)
 */
import type { ExecutionPlan } from './plan.js';

export function gateOnTests(plan: ExecutionPlan, dependsOf: (uniqueId: string) => string[]): ExecutionPlan {
  const testsOf = new Map<string, string[]>();
  for (const node of plan.nodes) {
    if (node.action !== 'test') continue;
    const parents = dependsOf(node.uniqueId);
    if (parents.length !== 1) continue;
    testsOf.set(parents[0]!, [...(testsOf.get(parents[0]!) ?? []), node.uniqueId]);
  }
  return {
    ...plan,
    nodes: plan.nodes.map((node) =>
      node.action === 'test' ? node : { ...node, waitsFor: [...node.waitsFor, ...node.waitsFor.flatMap((parent) => testsOf.get(parent) ?? [])] },
    ),
  };
}
