/**
 * In `build`, a model's tests run right after it and its children wait for them:
 * each non-test node also waits for the single-parent tests of the nodes it waits
 * for, and for those of the sources it reads. (A test reading several models gates
 * nothing: it may depend on the child.)
 * A model's unit tests run before it, and it waits for them (dbt's build order).
 */
import type { ExecutionPlan } from './plan.js';

export function gateOnTests(
  plan: ExecutionPlan,
  dependsOf: (uniqueId: string) => string[],
  /** For a unit test, the model it tests; undefined for other nodes. */
  unitTestOf: (uniqueId: string) => string | undefined = () => undefined,
): ExecutionPlan {
  const testsOf = new Map<string, string[]>();
  const unitTestsOf = new Map<string, string[]>();
  for (const node of plan.nodes) {
    if (node.action !== 'test') continue;
    const model = unitTestOf(node.uniqueId);
    if (model !== undefined) {
      unitTestsOf.set(model, [...(unitTestsOf.get(model) ?? []), node.uniqueId]);
      continue;
    }
    const parents = dependsOf(node.uniqueId);
    if (parents.length !== 1) continue;
    testsOf.set(parents[0]!, [...(testsOf.get(parents[0]!) ?? []), node.uniqueId]);
  }
  return {
    ...plan,
    nodes: plan.nodes.map((node) =>
      node.action === 'test'
        ? node
        : {
            ...node,
            waitsFor: [
              ...new Set([
                ...node.waitsFor,
                // Its parents in the plan, and the sources it reads (not nodes of the plan, but tested as dbt build does).
                ...[...node.waitsFor, ...dependsOf(node.uniqueId)].flatMap((parent) => testsOf.get(parent) ?? []),
                ...(unitTestsOf.get(node.uniqueId) ?? []),
              ]),
            ],
          },
    ),
  };
}
