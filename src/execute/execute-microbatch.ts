/**
 * A microbatch model (dbt 1.9): its batches run one after another, each compiled with
 * its window (parents with `event_time` filtered to it) and committed in its own
 * transaction. A failed batch does not undo the others: the model is then a
 * "partial success", run_results lists which batches failed, and `tspipe retry`
 * runs those batches only.
 */
import { readMicrobatchConfig } from '../config/microbatch-config.js';
import { ProjectError } from '../errors.js';
import { batchWindows, formatBatchTime, type BatchWindow } from '../materialize/index.js';
import type { ModelNode } from '../parse/manifest.js';
import { describeRelation } from './describe-relation.js';
import { buildOnce, failureFields, finished, type BuildState, type ModelRunContext } from './execute-model.js';
import type { NodeResult } from './reporter.js';
import { DEFAULT_RETRY, withRetries } from './retry.js';

export async function executeMicrobatch(node: ModelNode, context: ModelRunContext): Promise<NodeResult> {
  const startedAt = new Date();
  const { config, problems } = readMicrobatchConfig(node.config);
  if (!config) {
    const error = new ProjectError(`${node.name}: ${problems.join('; ')}`, { file: node.originalFilePath });
    return finished(node, startedAt, { status: 'error', ...failureFields(error, {}) });
  }
  let windows: BatchWindow[];
  const retried = context.batchesToRetry?.(node.uniqueId);
  try {
    windows = retried ?? (await plannedWindows(node, context, config));
  } catch (error) {
    return finished(node, startedAt, { status: 'error', ...failureFields(error, {}) });
  }
  const successful: [string, string][] = [];
  const failed: [string, string][] = [];
  let rows = 0;
  let attempts = 0;
  let firstFailure: ReturnType<typeof failureFields> | undefined;
  const state: BuildState = {};
  for (const [index, window] of windows.entries()) {
    const span: [string, string] = [formatBatchTime(window.start), formatBatchTime(window.end)];
    try {
      // --full-refresh rebuilds the table with the first batch; the next ones add to it.
      // Retried batches never rebuild: the batches that succeeded stay.
      const fullRefresh = context.fullRefresh && index === 0 && !retried;
      const batch = { eventTime: config.eventTime, start: window.start, end: window.end };
      const { value, attempts: tries } = await withRetries(
        context.retry ?? DEFAULT_RETRY,
        () => buildOnce(node, context, { fullRefresh, batch }, state),
        context.onRetry,
      );
      rows += value.rows ?? 0;
      attempts = Math.max(attempts, tries);
      successful.push(span);
    } catch (error) {
      const fields = failureFields(error, state);
      attempts = Math.max(attempts, fields.attempts);
      firstFailure ??= { ...fields, message: `batch ${span[0]} .. ${span[1]} failed: ${fields.message}` };
      failed.push(span);
    }
  }
  const batchResults = { successful, failed };
  const verb = `ran ${windows.length} batch${windows.length === 1 ? '' : 'es'}${failed.length ? ` (${failed.length} failed)` : ''} of`;
  if (!failed.length) {
    return finished(node, startedAt, {
      status: 'success',
      verb,
      rowsAffected: rows,
      attempts: Math.max(attempts, 1),
      compiledPath: state.compiledPath,
      batchResults,
    });
  }
  const status = successful.length ? 'partial success' : 'error';
  return finished(node, startedAt, { status, verb, rowsAffected: rows, batchResults, ...firstFailure!, attempts });
}

async function plannedWindows(
  node: ModelNode,
  context: ModelRunContext,
  config: NonNullable<ReturnType<typeof readMicrobatchConfig>['config']>,
): Promise<BatchWindow[]> {
  const existing = await describeRelation(context.adapter, node.relation);
  return batchWindows(config, {
    start: context.eventTime?.start,
    end: context.eventTime?.end,
    now: context.now?.() ?? new Date(),
    incremental: existing?.kind === 'table' && !context.fullRefresh,
    exists: existing !== undefined,
  });
}
