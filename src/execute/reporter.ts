/**
 * The runner reports what happens through this interface (sqlmesh's console
 * idea): the terminal, JSON logs and tests are all reporters.
 */
import type { PlannedNode } from './plan.js';

// 'partial success': a microbatch model some of whose batches failed (dbt 1.9).
export const NODE_STATUSES = ['success', 'error', 'skipped', 'pass', 'fail', 'warn', 'partial success'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export interface NodeResult {
  uniqueId: string;
  status: NodeStatus;
  /** "created table", "loaded", ... */
  verb?: string;
  rowsAffected?: number;
  message?: string;
  /** Where the error points, e.g. target/compiled/models/x.sql:3 */
  where?: string;
  hint?: string;
  startedAt: string;
  completedAt: string;
  executionTime: number;
  attempts: number;
  compiledPath?: string;
  failures?: number;
  /** A microbatch model's batches as [start, end) pairs, as dbt's run_results has them. */
  batchResults?: { successful: [string, string][]; failed: [string, string][] };
}

export interface RunSummary {
  command: string;
  results: NodeResult[];
  elapsedSeconds: number;
}

export interface Reporter {
  runStarted(info: { command: string; total: number; threads: number; target: string; database: string }): void;
  nodeStarted(info: { index: number; total: number; node: PlannedNode }): void;
  nodeRetrying(info: { node: PlannedNode; attempt: number; delayMs: number; error: string }): void;
  nodeFinished(info: { index: number; total: number; node: PlannedNode; result: NodeResult }): void;
  info(message: string): void;
  warn(message: string): void;
  runFinished(summary: RunSummary): void;
}

/** Collects events; used by tests and as a base for quiet runs. */
export class RecordingReporter implements Reporter {
  readonly events: { type: string; [key: string]: unknown }[] = [];
  runStarted(info: object): void {
    this.events.push({ type: 'runStarted', ...info });
  }
  nodeStarted(info: { node: PlannedNode }): void {
    this.events.push({ type: 'nodeStarted', uniqueId: info.node.uniqueId });
  }
  nodeRetrying(info: { node: PlannedNode; attempt: number }): void {
    this.events.push({ type: 'nodeRetrying', uniqueId: info.node.uniqueId, attempt: info.attempt });
  }
  nodeFinished(info: { node: PlannedNode; result: NodeResult }): void {
    this.events.push({ type: 'nodeFinished', uniqueId: info.node.uniqueId, status: info.result.status });
  }
  info(message: string): void {
    this.events.push({ type: 'info', message });
  }
  warn(message: string): void {
    this.events.push({ type: 'warn', message });
  }
  runFinished(summary: RunSummary): void {
    this.events.push({ type: 'runFinished', count: summary.results.length });
  }
}
