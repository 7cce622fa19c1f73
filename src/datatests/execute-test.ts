/**
 * A test as a node of a run: runTest with retries of transient errors, turned
 * into the NodeResult every reporter and run_results.json understand (status
 * pass/warn/fail/error, `failures`), carrying the failing rows for display.
 */
import type { DbAdapter } from '../contract/index.js';
import { finished } from '../execute/execute-model.js';
import type { NodeResult } from '../execute/reporter.js';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from '../execute/retry.js';
import type { TestNode } from '../parse/manifest.js';
import type { TestCompileContext } from './compile-test.js';
import { runTest, type RunTestOptions, type TestOutcome } from './run-test.js';
import { runUnitTest, type UnitTestContext } from './run-unit-test.js';
import type { TestNodeResult } from './test-node-result.js';

/** A NodeResult with what the terminal shows under a failing test. */
export { isTestNodeResult, type TestNodeResult } from './test-node-result.js';

export interface ExecuteTestOptions extends RunTestOptions {
  retry?: RetryPolicy;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
  /** Where unit tests run (the embedded scratch database, or the target with --unit-test-target). */
  unitTestDatabase?: () => Promise<UnitTestContext['database']>;
}

export async function executeTest(adapter: DbAdapter, test: TestNode, context: TestCompileContext, options: ExecuteTestOptions = {}): Promise<TestNodeResult> {
  const startedAt = new Date();
  if (test.testType === 'unit') {
    if (!options.unitTestDatabase) throw new Error('a unit test ran without a unit test database');
    const database = await options.unitTestDatabase();
    const outcome = await runUnitTest(test, { ...context, database });
    return { ...finished(test, startedAt, outcomeFields(outcome)), ...displayFields(outcome) };
  }
  const { value, attempts } = await withRetries(options.retry ?? DEFAULT_RETRY, () => runTest(adapter, test, context, options), options.onRetry);
  return { ...finished(test, startedAt, outcomeFields(value)), attempts, ...displayFields(value) };
}

/** The NodeResult fields of an outcome (also for audits run inside a model's transaction). */
export function outcomeFields(outcome: TestOutcome): Omit<NodeResult, 'uniqueId' | 'startedAt' | 'completedAt' | 'executionTime'> {
  return {
    status: outcome.status,
    failures: outcome.failures,
    message: outcome.message,
    // A failure is no error in a place: its compiled SQL is shown apart.
    where: outcome.status === 'error' ? (outcome.where ?? outcome.compiledPath) : undefined,
    hint: outcome.hint,
    compiledPath: outcome.compiledPath,
    attempts: 1,
  };
}

function displayFields(outcome: TestOutcome) {
  return { failingRows: outcome.failingRows, columns: outcome.columns, storedIn: outcome.storedIn, severity: outcome.severity };
}
