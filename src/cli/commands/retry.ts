/** `tspipe retry`: re-run what failed or was skipped in the last run. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { reporterFor, runOptionsFrom, withOutputOptions, withProjectOptions, withWaitOption, type ProjectArgs, type RunArgs } from '../shared-options.js';

type RetryArgs = ArgumentsCamelCase<ProjectArgs & RunArgs & { fullRefresh?: boolean; logFormat: string }>;

const retryCommand: CommandModule<object, RetryArgs> = {
  command: 'retry',
  describe: 'Re-run the nodes that errored, failed or were skipped in the last run (reads target/run_results.json)',
  builder: (yargs: Argv) =>
    withWaitOption(withOutputOptions(withProjectOptions(yargs)))
      .option('threads', { type: 'number', describe: 'Override the threads of the last run' })
      .option('full-refresh', { type: 'boolean', describe: 'Rebuild incremental models from scratch' }) as unknown as Argv<RetryArgs>,
  handler: async (argv) => {
    const reporter = reporterFor(argv.logFormat);
    const { retryLastRun } = await import('../../api/retry.js');
    const outcome = await retryLastRun(
      // --fail-fast and --dry-run are not retry's: runOptionsFrom leaves them undefined.
      { ...runOptionsFrom(argv), fullRefresh: argv.fullRefresh },
      { reporter },
    );
    if (!outcome) reporter.info('Nothing to retry: every node of the last run succeeded.');
    process.exitCode = outcome?.exitCode ?? 0;
  },
};
export default retryCommand;
