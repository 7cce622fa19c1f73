/** target/run_results.json: one entry per node of the last run (docs/artifacts.md). */
import type { NodeResult } from './reporter.js';

export const RUN_RESULTS_SCHEMA_VERSION = 1;

export interface RunResultsMeta {
  version: string;
  command: string;
  invocationId: string;
  generatedAt: string;
  elapsedSeconds: number;
  target: string;
  /** The database the run wrote to (no password), so the docs site shows runs of its own database only. */
  database: string;
  /** The selection and flags, so `tspipe retry` can re-run with the same ones. */
  args: Record<string, unknown>;
}

export function runResultsToJson(results: NodeResult[], meta: RunResultsMeta): object {
  return {
    metadata: {
      schema_version: RUN_RESULTS_SCHEMA_VERSION,
      tspipe_version: meta.version,
      generated_at: meta.generatedAt,
      invocation_id: meta.invocationId,
      command: meta.command,
      target_name: meta.target,
      target_database: meta.database,
    },
    elapsed_time: meta.elapsedSeconds,
    args: meta.args,
    results: results.map((r) => ({
      unique_id: r.uniqueId,
      status: r.status,
      message: r.message ?? null,
      where: r.where ?? null,
      hint: r.hint ?? null,
      failures: r.failures ?? null,
      execution_time: r.executionTime,
      attempts: r.attempts,
      timing: [{ name: 'execute', started_at: r.startedAt, completed_at: r.completedAt }],
      adapter_response: { rows_affected: r.rowsAffected ?? null, verb: r.verb ?? null },
      compiled_path: r.compiledPath ?? null,
      ...(r.batchResults ? { batch_results: r.batchResults } : {}),
    })),
  };
}
