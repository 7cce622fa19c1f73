/**
 * Write-audit-publish: a model's error-severity tests run against its staged
 * relation, inside the transaction that built it, before it is published. Each
 * test runs under a savepoint so a broken one cannot abort the transaction for
 * the others. Failing rows a test stores (store_failures) commit with the model, or,
 * when the audit fails and rolls the model back, are written again after the rollback.
 */
import type { DbSession } from '../contract/index.js';
import type { Manifest, ModelNode, RelationName, TestNode } from '../parse/manifest.js';
import { TspipeError } from '../errors.js';
import type { ArtifactWriter } from '../execute/artifact-writer.js';
import type { AuditBatch, AuditHook } from '../execute/execute-model.js';
import type { TestCompileContext } from './compile-test.js';
import { readTestConfig } from './test-config.js';
import { runTest, type TestOutcome } from './run-test.js';
import { captureFailures, restoreFailures, type CapturedFailures } from './failure-tables.js';
import { Relation } from '../compile/relation.js';

export interface AuditContext extends TestCompileContext {
  /** Write each audit's compiled SQL (it names the staged relation) under target/compiled/. */
  artifacts?: ArtifactWriter;
  /** --store-failures. */
  storeFailuresFlag?: boolean;
}

/**
 * The tests that can judge a model on its own, right after it is built: enabled,
 * severity error, reading the model and otherwise only its ancestors (or sources),
 * which a build has finished before. The rest (a relationships test to a model
 * built later, a check across siblings) must wait for all their parents.
 */
export function auditTestsFor(manifest: Manifest, model: ModelNode): TestNode[] {
  const upstream = ancestorsOf(manifest, model.uniqueId);
  return Object.values(manifest.nodes).filter(
    (node): node is TestNode =>
      node.resourceType === 'test' &&
      node.testType !== 'unit' &&
      node.config.enabled !== false &&
      readTestConfig(node.config).severity === 'error' &&
      node.dependsOn.includes(model.uniqueId) &&
      node.dependsOn.every((id) => id === model.uniqueId || upstream.has(id) || id in manifest.sources),
  );
}

/** Runs `tests` (default: auditTestsFor) with the model read from `staged`; never throws for a failing test. */
export async function auditModel(
  tx: DbSession,
  model: ModelNode,
  staged: RelationName,
  context: AuditContext,
  tests: TestNode[] = auditTestsFor(context.manifest, model),
  batch?: AuditBatch,
): Promise<TestOutcome[]> {
  const overrides = new Map(context.overrides ?? []);
  overrides.set(model.uniqueId, staged);
  const batchContext = batch ? { batch: { uniqueId: model.uniqueId, ...batch } } : {};
  const outcomes: TestOutcome[] = [];
  for (const test of tests) {
    const startedAt = new Date();
    await tx.query('savepoint tspipe_audit');
    const outcome = await runTest(
      tx,
      test,
      { ...context, overrides, ...batchContext },
      // A view of the staged relation would outlive it: failures are kept as tables.
      { storeFailuresFlag: context.storeFailuresFlag, storeViewsAsTables: true, artifacts: context.artifacts },
    );
    await tx.query(outcome.status === 'error' ? 'rollback to savepoint tspipe_audit' : 'release savepoint tspipe_audit');
    outcomes.push({ ...outcome, ran: { startedAt, completedAt: new Date() } });
  }
  return outcomes;
}

/**
 * A staged model failed its audit: it was not published. The failing rows its tests
 * stored are rolled back with it; `afterRollback` writes them again.
 */
export class AuditFailedError extends TspipeError {
  constructor(
    model: ModelNode,
    readonly outcomes: TestOutcome[],
    private readonly kept: CapturedFailures[] = [],
  ) {
    const failed = outcomes.filter((o) => o.status === 'fail' || o.status === 'error');
    const stored = kept.filter((k) => k.rows.length > 0 || k.dropped > 0);
    super(
      `${failed.length} test${failed.length === 1 ? '' : 's'} failed on the staged data, so ${model.name} was not published: ` +
        failed.map((o) => (o.status === 'error' ? `${o.name} (error: ${o.message?.split('\n')[0]})` : `${o.name} (${o.failures} failing rows)`)).join(', ') +
        (stored.length
          ? `; failing rows kept in ${stored.map((k) => Relation.of(k.relation).display + (k.dropped ? ` (the first ${k.rows.length} of ${k.rows.length + k.dropped})` : '')).join(', ')}`
          : ''),
      { model: model.name, hint: 'the previous table is unchanged; fix the data or the model, then run tspipe retry' },
    );
  }

  /** Called by the model's runner once its transaction has rolled back. */
  async afterRollback(session: DbSession): Promise<void> {
    for (const captured of this.kept) await restoreFailures(session, captured);
  }
}

/**
 * The AuditHook executeModel takes: audits, hands every outcome to `onOutcomes`
 * (to report them as test results), and throws AuditFailedError when one failed
 * or errored, which rolls the model's transaction back.
 */
export function auditHook(
  context: AuditContext,
  onOutcomes?: (model: ModelNode, outcomes: TestOutcome[]) => void,
  /** Only these tests (e.g. the ones the run selected); default: every test auditTestsFor finds. */
  include?: (test: TestNode) => boolean,
): AuditHook {
  return async (tx, model, staged, batch) => {
    const tests = auditTestsFor(context.manifest, model).filter((test) => include?.(test) ?? true);
    const outcomes = await auditModel(tx, model, staged, context, tests, batch);
    onOutcomes?.(model, outcomes);
    if (!outcomes.some((o) => o.status === 'fail' || o.status === 'error')) return;
    const byId = new Map(tests.map((t) => [t.uniqueId, t]));
    const kept: CapturedFailures[] = [];
    for (const outcome of outcomes) {
      if (outcome.storedIn && outcome.status !== 'error') kept.push(await captureFailures(tx, byId.get(outcome.uniqueId)!.relation));
    }
    throw new AuditFailedError(model, outcomes, kept);
  };
}

function ancestorsOf(manifest: Manifest, id: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(manifest.nodes[id]?.dependsOn ?? [])];
  while (stack.length) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(manifest.nodes[next]?.dependsOn ?? []));
  }
  return seen;
}
