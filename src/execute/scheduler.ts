/**
 * Walks a plan: each node starts as soon as the parents it waits for succeeded,
 * at most `threads` at a time. A failed node's descendants are skipped while
 * independent branches go on; `failFast` stops starting new nodes after a failure.
 */
import { InternalError } from '../errors.js';
import type { ExecutionPlan, PlannedNode } from './plan.js';
import type { NodeResult } from './reporter.js';

export type NodeRunner = (node: PlannedNode) => Promise<NodeResult>;

export interface ScheduleOptions {
  failFast?: boolean;
  /** A result already known without running (e.g. a test that ran as an audit); checked before skipping. */
  settle?: (node: PlannedNode) => NodeResult | undefined;
  onStart?: (node: PlannedNode, index: number) => void;
  onFinish?: (node: PlannedNode, result: NodeResult, index: number) => void;
}

// Downstream of a partial success is skipped, as dbt does: its input is incomplete.
const FAILED: ReadonlySet<string> = new Set(['error', 'fail', 'skipped', 'partial success']);

export async function runScheduled(plan: ExecutionPlan, runNode: NodeRunner, options: ScheduleOptions = {}): Promise<NodeResult[]> {
  const results = new Map<string, NodeResult>();
  const pending = new Map(plan.nodes.map((node) => [node.uniqueId, node]));
  const running = new Set<Promise<void>>();
  let started = 0;
  let stopped = false;

  const finish = (node: PlannedNode, result: NodeResult, index: number) => {
    results.set(node.uniqueId, result);
    options.onFinish?.(node, result, index);
    if (options.failFast && (result.status === 'error' || result.status === 'fail' || result.status === 'partial success')) stopped = true;
  };

  while (pending.size > 0 || running.size > 0) {
    let progressed = false;
    for (const node of [...pending.values()]) {
      if (running.size >= plan.threads) break;
      const parentResults = node.waitsFor.map((id) => results.get(id));
      const blocked = parentResults.find((r) => r && FAILED.has(r.status));
      const settled = blocked || parentResults.every(Boolean) ? options.settle?.(node) : undefined;
      if (settled) {
        pending.delete(node.uniqueId);
        finish(node, settled, ++started);
        progressed = true;
        continue;
      }
      if (blocked || (stopped && parentResults.every(Boolean))) {
        pending.delete(node.uniqueId);
        const now = new Date().toISOString();
        const reason = blocked
          ? `skipped: upstream ${blocked.uniqueId} ${blocked.status === 'skipped' ? 'was skipped' : 'failed'}`
          : 'skipped: --fail-fast stopped the run';
        finish(
          node,
          { uniqueId: node.uniqueId, status: 'skipped', message: reason, startedAt: now, completedAt: now, executionTime: 0, attempts: 0 },
          ++started,
        );
        progressed = true;
        continue;
      }
      if (stopped || !parentResults.every(Boolean)) continue;
      pending.delete(node.uniqueId);
      const index = ++started;
      options.onStart?.(node, index);
      const task = runNode(node)
        .catch((error: unknown) => unexpectedFailure(node, error))
        .then((result) => {
          running.delete(task);
          finish(node, result, index);
        });
      running.add(task);
      progressed = true;
    }
    if (running.size > 0) await Promise.race(running);
    else if (!progressed && pending.size > 0) {
      // Plans only wait for nodes in the plan, so nothing can be stuck: a bug in whoever made the plan.
      const stuck = pending.values().next().value as PlannedNode;
      throw new InternalError(
        `the run cannot go on: ${stuck.uniqueId} waits for ${stuck.waitsFor.filter((id) => !results.has(id)).join(', ')}, which will never finish`,
      );
    }
  }
  return plan.nodes.map((node) => results.get(node.uniqueId)!);
}

function unexpectedFailure(node: PlannedNode, error: unknown): NodeResult {
  const now = new Date().toISOString();
  return {
    uniqueId: node.uniqueId,
    status: 'error',
    message: String((error as Error)?.message ?? error),
    startedAt: now,
    completedAt: now,
    executionTime: 0,
    attempts: 1,
  };
}
