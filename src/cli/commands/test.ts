/** `tspipe test`: run the selected data tests against the target. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { formatPlan } from '../../execute/plan.js';
import type { IndirectSelection } from '../../graph/index.js';
import {
  reporterFor,
  runOptionsFrom,
  withOutputOptions,
  withProjectOptions,
  withIndirectSelectionOption,
  withRunOptions,
  withSelectionOptions,
  withStoreFailuresOption,
  type ProjectArgs,
  type RunArgs,
} from '../shared-options.js';
import { stateOptionsFrom, withStateOptions, type StateArgs } from '../state-options.js';

type TestArgs = ArgumentsCamelCase<
  ProjectArgs &
    RunArgs &
    StateArgs & { select?: string[]; exclude?: string[]; indirectSelection: IndirectSelection; storeFailures: boolean; dryRun: boolean; logFormat: string }
>;

const testCommand: CommandModule<object, TestArgs> = {
  command: 'test',
  describe: 'Run data tests (schema YAML and tests/*.sql); exit 1 when one with severity error fails',
  builder: (yargs: Argv) =>
    withStoreFailuresOption(
      withIndirectSelectionOption(withStateOptions(withOutputOptions(withRunOptions(withSelectionOptions(withProjectOptions(yargs)), { fullRefresh: false })))),
    ) as unknown as Argv<TestArgs>,
  handler: async (argv) => {
    const { runTests } = await import('../../api/test.js');
    const outcome = await runTests(
      {
        ...runOptionsFrom(argv),
        ...stateOptionsFrom(argv),
        select: argv.select,
        exclude: argv.exclude,
        indirectSelection: argv.indirectSelection,
        storeFailures: argv.storeFailures,
      },
      { reporter: reporterFor(argv.logFormat) },
    );
    if (argv.dryRun) console.log(formatPlan(outcome.plan));
    process.exitCode = outcome.exitCode;
  },
};
export default testCommand;
