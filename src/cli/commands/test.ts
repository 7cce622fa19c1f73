/** `tspipe test`: run the selected data tests against the target. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { formatPlan } from '../../execute/plan.js';
import { INDIRECT_SELECTION_MODES, type IndirectSelection } from '../../graph/index.js';
import { reporterFor, withOutputOptions, withProjectOptions, withRunOptions, withSelectionOptions } from '../shared-options.js';

type TestArgs = ArgumentsCamelCase<{
  projectDir: string;
  target?: string;
  databaseUrl?: string;
  vars?: Record<string, unknown>;
  partialParse: boolean;
  select?: string[];
  exclude?: string[];
  threads?: number;
  indirectSelection: IndirectSelection;
  storeFailures: boolean;
  failFast: boolean;
  dryRun: boolean;
  noWait: boolean;
  wait?: boolean;
  logFormat: string;
}>;

const testCommand: CommandModule<object, TestArgs> = {
  command: 'test',
  describe: 'Run data tests (schema YAML and tests/*.sql); exit 1 when one with severity error fails',
  builder: (yargs: Argv) =>
    withOutputOptions(withRunOptions(withSelectionOptions(withProjectOptions(yargs)), { fullRefresh: false }))
      .option('indirect-selection', { choices: INDIRECT_SELECTION_MODES, default: 'eager' as const, describe: 'Which tests of selected models run: eager (any parent selected), cautious (all), buildable, empty', group: 'Selection:' })
      .option('store-failures', { type: 'boolean', default: false, describe: 'Keep every failing row in <schema>_test_failures.<test>', group: 'Run:' }) as unknown as Argv<TestArgs>,
  handler: async (argv) => {
    const { runTests } = await import('../../api/test.js');
    const outcome = await runTests(
      {
        projectDir: argv.projectDir,
        partialParse: argv.partialParse,
        target: argv.target,
        databaseUrl: argv.databaseUrl,
        vars: argv.vars,
        select: argv.select,
        exclude: argv.exclude,
        threads: argv.threads,
        indirectSelection: argv.indirectSelection,
        storeFailures: argv.storeFailures,
        failFast: argv.failFast,
        dryRun: argv.dryRun,
        // yargs turns --no-wait into wait=false
        noWait: argv.noWait || argv.wait === false,
      },
      { reporter: reporterFor(argv.logFormat) },
    );
    if (argv.dryRun) console.log(formatPlan(outcome.plan));
    process.exitCode = outcome.exitCode;
  },
};
export default testCommand;
