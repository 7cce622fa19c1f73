/** A test's NodeResult carries its failing rows; kept apart so the terminal reporter loads little. */
import type { NodeResult } from '../execute/reporter.js';
import type { TestOutcome } from './run-test.js';

/** A NodeResult with what the terminal shows under a failing test. */
export interface TestNodeResult extends NodeResult {
  failingRows: Record<string, unknown>[];
  columns: string[];
  storedIn?: string;
  severity: TestOutcome['severity'];
}

export function isTestNodeResult(result: NodeResult): result is TestNodeResult {
  return Array.isArray((result as Partial<TestNodeResult>).failingRows);
}
