/**
 * `tspipe test`: select tests (directly, or through the models they test) and run
 * them like any other nodes. Exit code 1 when a test of severity error fails or
 * errors; warnings pass.
 */
import { runNodes, type RunDeps, type RunOptions, type RunOutcome } from './run-nodes.js';

export type TestOptions = Omit<RunOptions, 'fullRefresh'>;

export function runTests(options: TestOptions, deps: RunDeps): Promise<RunOutcome> {
  return runNodes('test', options, deps);
}
