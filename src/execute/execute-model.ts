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
import { STRATEGIES, type SqlStep } from '../materialize/index.js';
import type { ModelNode } from '../parse/manifest.js';
import { compiledFileOf } from '../parse/manifest-json.js';
import { describeRelation, describeSelect } from './describe-relation.js';
import type { NodeResult } from './reporter.js';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from './retry.js';
import type { ArtifactWriter } from './artifact-writer.js';

/** Runs tests against the staged relation before it is published (write-audit-publish). */
export type AuditHook = (tx: DbSession, node: ModelNode, staged: Relation) => Promise<void>;

export interface ModelRunContext {
  adapter: DbAdapter;
  compile: CompileContext;
  artifacts: ArtifactWriter;
  fullRefresh: boolean;
  retry?: RetryPolicy;
  audit?: AuditHook;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

export async function executeModel(node: ModelNode, context: ModelRunContext): Promise<NodeResult> {
  const startedAt = new Date();
  let compiledPath: string | undefined;
  let compiled: CompiledModel | undefined;
  try {
    const { value, attempts } = await withRetries(
      context.retry ?? DEFAULT_RETRY,
      async () => {
        const existing = await describeRelation(context.adapter, node.relation);
        compiled = await compileModelWithDatabase(
          node,
          { ...context.compile, isIncremental: (n) => n.config.materialized === 'incremental' && existing?.kind === 'table' && !context.fullRefresh },
          new WarehouseSession(context.adapter),
        );
        compiledPath = context.artifacts.writeCompiled(compiledFileOf(node), compiled.sql);
        // A snapshot adds the columns its SELECT gained: it needs to know them.
        const selectColumns = node.config.materialized === 'snapshot' && existing ? await describeSelect(context.adapter, compiled.sql) : undefined;
        const steps = STRATEGIES[node.config.materialized as keyof typeof STRATEGIES]({
          model: compiled,
          existing,
          fullRefresh: context.fullRefresh,
          selectColumns,
        });
        if (!steps.build.length && !steps.publish.length) return { rows: undefined, verb: steps.verb };
        context.artifacts.writeRun(compiledFileOf(node), [...steps.build, ...steps.publish].map((s) => `${s.sql};`).join('\n\n'));
        const hooks = { pre: hooksOf(node.config, 'pre'), post: hooksOf(node.config, 'post') };
        const render = (session: DbSession) => (sql: string) => renderForNode(node, context.compile, sql, new WarehouseSession(session));
        await runHooks(hooks.pre.filter((h) => !h.transaction), render(context.adapter), context.adapter);
        const rows = await context.adapter.transaction(async (tx) => {
          await runHooks(hooks.pre.filter((h) => h.transaction), render(tx), tx);
          const counted = await runSteps(tx, steps.build);
          if (context.audit && steps.audit) await context.audit(tx, node, steps.audit);
          await runSteps(tx, steps.publish);
          await runHooks(hooks.post.filter((h) => h.transaction), render(tx), tx);
          return counted;
        });
        await runHooks(hooks.post.filter((h) => !h.transaction), render(context.adapter), context.adapter);
        return { rows, verb: steps.verb };
      },
      context.onRetry,
    );
    return finished(node, startedAt, { status: 'success', verb: value.verb, rowsAffected: value.rows, attempts, compiledPath });
  } catch (error) {
    const attempts = (error as { attempts?: number }).attempts ?? 1;
    const located = locateError(error, compiled, compiledPath);
    return finished(node, startedAt, { status: 'error', attempts, compiledPath, ...located });
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
): NodeResult {
  const completedAt = new Date();
  return {
    uniqueId: node.uniqueId,
    startedAt: startedAt.toISOString(),
    completedAt: completedAt.toISOString(),
    executionTime: (completedAt.getTime() - startedAt.getTime()) / 1000,
    ...fields,
  };
}
