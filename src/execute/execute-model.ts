/**
 * Runs one model: look at what exists, compile (is_incremental() needs that),
 * materialize in one transaction, retry transient errors. Errors point at the
 * compiled SQL's file and line.
 */
import type { DbAdapter, DbSession } from '../contract/index.js';
import { compileModelWithDatabase, renderForNode, type CompileContext, type CompiledModel } from '../compile/compile-model.js';
import { hooksOf, runHooks } from './node-hooks.js';
import { WarehouseSession } from '../context/warehouse.js';
import type { Relation } from '../compile/relation.js';
import { DatabaseError, TspipeError } from '../errors.js';
import { STRATEGIES, type ExistingRelation, type SqlStep } from '../materialize/index.js';
import type { ModelNode } from '../parse/manifest.js';
import { compiledFileOf } from '../parse/manifest-json.js';
import { describeRelation, describeSelect } from './describe-relation.js';
import type { NodeResult } from './reporter.js';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from './retry.js';
import type { ArtifactWriter } from './artifact-writer.js';

/** A microbatch batch being audited: the model's event_time column and the batch's window. */
export interface AuditBatch {
  eventTime: string;
  start: Date;
  end: Date;
}

/**
 * Runs tests against the staged relation before it is published (write-audit-publish);
 * `batch`: a microbatch batch, whose row-by-row tests may read only its window.
 */
export type AuditHook = (tx: DbSession, node: ModelNode, staged: Relation, batch?: AuditBatch) => Promise<void>;

export interface ModelRunContext {
  adapter: DbAdapter;
  compile: CompileContext;
  artifacts: ArtifactWriter;
  fullRefresh: boolean;
  retry?: RetryPolicy;
  audit?: AuditHook;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
  /** --event-time-start/--event-time-end: the window microbatch models run. */
  eventTime?: { start?: Date; end?: Date };
  /** `tspipe retry`: the failed batches of a microbatch model, to run instead of computing them. */
  batchesToRetry?: (uniqueId: string) => { start: Date; end: Date }[] | undefined;
  /** The clock microbatch windows count from (tests pin it). */
  now?: () => Date;
}

export async function executeModel(node: ModelNode, context: ModelRunContext): Promise<NodeResult> {
  const startedAt = new Date();
  const state: BuildState = {};
  try {
    const { value, attempts } = await withRetries(context.retry ?? DEFAULT_RETRY, () => buildOnce(node, context, {}, state), context.onRetry);
    return finished(node, startedAt, { status: 'success', verb: value.verb, rowsAffected: value.rows, attempts, compiledPath: state.compiledPath });
  } catch (error) {
    return finished(node, startedAt, { status: 'error', ...failureFields(error, state) });
  }
}

/** What the last attempt compiled, to point an error at the compiled SQL's line. */
export interface BuildState {
  compiled?: CompiledModel;
  compiledPath?: string;
}

export interface BuildOptions {
  /** Overrides the run's --full-refresh (a microbatch run refreshes on its first batch only). */
  fullRefresh?: boolean;
  batch?: { eventTime: string; start: Date; end: Date };
}

/** One attempt: look at what exists, compile, run the materialization's steps in one transaction. */
export async function buildOnce(node: ModelNode, context: ModelRunContext, options: BuildOptions, state: BuildState): Promise<{ rows?: number; verb: string }> {
  const fullRefresh = options.fullRefresh ?? context.fullRefresh;
  const existing = await describeRelation(context.adapter, node.relation);
  const compileContext: CompileContext = {
    ...context.compile,
    isIncremental: (n) => n.config.materialized === 'incremental' && existing?.kind === 'table' && !fullRefresh,
    eventTimeWindow: options.batch,
  };
  const compiled = await compileModelWithDatabase(node, compileContext, new WarehouseSession(context.adapter));
  state.compiled = compiled;
  state.compiledPath = context.artifacts.writeCompiled(compiledFileOf(node), compiled.sql);
  // A snapshot adds the columns its SELECT gained, an incremental model may (on_schema_change): they need to know them.
  const selectColumns = needsSelectColumns(node, existing, fullRefresh) ? await describeSelect(context.adapter, compiled.sql) : undefined;
  const steps = STRATEGIES[node.config.materialized as keyof typeof STRATEGIES]({
    model: compiled,
    existing,
    fullRefresh,
    batch: options.batch,
    selectColumns,
  });
  if (!steps.build.length && !steps.publish.length) return { rows: undefined, verb: steps.verb };
  context.artifacts.writeRun(compiledFileOf(node), [...steps.build, ...steps.publish].map((s) => `${s.sql};`).join('\n\n'));
  const hooks = { pre: hooksOf(node.config, 'pre'), post: hooksOf(node.config, 'post') };
  const render = (session: DbSession) => (sql: string) => renderForNode(node, compileContext, sql, new WarehouseSession(session));
  await runHooks(
    hooks.pre.filter((h) => !h.transaction),
    render(context.adapter),
    context.adapter,
  );
  const rows = await runAndRollBack(context.adapter, async (tx) => {
    await runHooks(
      hooks.pre.filter((h) => h.transaction),
      render(tx),
      tx,
    );
    const counted = await runSteps(tx, steps.build);
    if (context.audit && steps.audit) await context.audit(tx, node, steps.audit, options.batch);
    await runSteps(tx, steps.publish);
    await runHooks(
      hooks.post.filter((h) => h.transaction),
      render(tx),
      tx,
    );
    return counted;
  });
  await runHooks(
    hooks.post.filter((h) => !h.transaction),
    render(context.adapter),
    context.adapter,
  );
  return { rows, verb: steps.verb };
}

function needsSelectColumns(node: ModelNode, existing: ExistingRelation | undefined, fullRefresh: boolean): boolean {
  if (!existing) return false;
  if (node.config.materialized === 'snapshot') return true;
  const onSchemaChange = node.config.on_schema_change;
  return (
    node.config.materialized === 'incremental' &&
    !fullRefresh &&
    existing.kind === 'table' &&
    typeof onSchemaChange === 'string' &&
    onSchemaChange !== 'ignore' &&
    node.config.incremental_strategy !== 'microbatch'
  );
}

/** The fields of a failed node's result: attempts, message, where and hint. */
export function failureFields(error: unknown, state: BuildState) {
  const attempts = (error as { attempts?: number }).attempts ?? 1;
  return { attempts, compiledPath: state.compiledPath, ...locateError(error, state.compiled, state.compiledPath) };
}

/**
 * An error may carry work for after its transaction rolled back (an audit's failing
 * rows to keep): done on the adapter, outside the rolled-back transaction.
 */
interface RollbackFollowUp {
  afterRollback(session: DbSession): Promise<void>;
}

async function runAndRollBack<T>(adapter: DbAdapter, fn: (tx: DbSession) => Promise<T>): Promise<T> {
  try {
    return await adapter.transaction(fn);
  } catch (error) {
    const followUp = (error as Partial<RollbackFollowUp> | undefined)?.afterRollback;
    if (typeof followUp === 'function') {
      await followUp.call(error, adapter).catch((failed: Error) => {
        (error as Error).message += ` (its failing rows could not be kept: ${failed.message})`;
      });
    }
    throw error;
  }
}

async function runSteps(tx: DbSession, steps: SqlStep[]): Promise<number | undefined> {
  let rows: number | undefined;
  for (const step of steps) {
    try {
      const result = await tx.query(step.sql);
      if (step.countsRows) rows = result.rowCount;
    } catch (error) {
      throw Object.assign(error as object, { statement: step.sql });
    }
  }
  return rows;
}

/** Turns a database position inside a wrapped statement into a line of the compiled SQL file. */
function locateError(error: unknown, compiled: CompiledModel | undefined, compiledPath: string | undefined) {
  if (!(error instanceof TspipeError)) return { message: String((error as Error)?.message ?? error) };
  const statement = (error as { statement?: string }).statement;
  let where = error.where || undefined;
  if (error instanceof DatabaseError && compiled && compiledPath && statement && error.location.line !== undefined) {
    const offset = statement.indexOf(compiled.sql);
    const linesBefore = offset < 0 ? 0 : statement.slice(0, offset).split('\n').length - 1;
    const line = error.location.line - linesBefore;
    where = line >= 1 ? `${compiledPath}:${line}` : compiledPath;
  } else if (error instanceof DatabaseError) where = compiledPath;
  // PostgreSQL gives a hint for few errors; always say where to look and what to fix.
  const hint =
    error.hint ??
    (error instanceof DatabaseError && compiled && where
      ? `the SQL that failed is at ${where}; fix the model in ${compiled.node.originalFilePath}`
      : undefined);
  return { message: error.message, where, hint };
}

export function finished(
  node: { uniqueId: string },
  startedAt: Date,
  fields: Omit<NodeResult, 'uniqueId' | 'startedAt' | 'completedAt' | 'executionTime'>,
  completedAt = new Date(),
): NodeResult {
  return {
    uniqueId: node.uniqueId,
    startedAt: startedAt.toISOString(),
    completedAt: completedAt.toISOString(),
    executionTime: (completedAt.getTime() - startedAt.getTime()) / 1000,
    ...fields,
  };
}
