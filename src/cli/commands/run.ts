/** `tspipe run` / `seed` / `build`: execute the selected nodes against the target. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { RunCommandName } from '../../api/run-nodes.js';
import { formatPlan } from '../../execute/plan.js';
import type { IndirectSelection } from '../../graph/index.js';
import {
  reporterFor,
  runOptionsFrom,
  withOutputOptions,
  withProjectOptions,
  withRunOptions,
  withIndirectSelectionOption,
  withSelectionOptions,
  withStoreFailuresOption,
  type ProjectArgs,
  type RunArgs,
} from '../shared-options.js';
import { stateOptionsFrom, withStateOptions, type StateArgs } from '../state-options.js';

type RunCommandArgs = ArgumentsCamelCase<
  ProjectArgs &
    RunArgs &
    StateArgs & {
      select?: string[];
      exclude?: string[];
      indirectSelection?: IndirectSelection;
      fullRefresh: boolean;
      dryRun: boolean;
      logFormat: string;
      storeFailures?: boolean;
    }
>;

type BuildingCommand = Exclude<RunCommandName, 'test'>;

const DESCRIPTIONS: Record<BuildingCommand, string> = {
  run: 'Build the selected models (views, tables, incremental, ephemeral) in dependency order',
  seed: 'Load the CSV files under seeds/ into tables',
  snapshot: 'Record how the rows of the {% snapshot %} blocks under snapshots/ change over time (dbt_valid_from/to)',
  build: 'Load seeds, take snapshots and build models in one graph walk',
};

export function runCommandModule(command: BuildingCommand): CommandModule<object, RunCommandArgs> {
  return {
    command,
    describe: DESCRIPTIONS[command],
    builder: (yargs: Argv) => {
      const built = withStateOptions(withOutputOptions(withRunOptions(withSelectionOptions(withProjectOptions(yargs)))));
      // build runs tests: which ones come with the selected nodes (the Airflow DAG names them and passes empty), and whether they keep failing rows.
      return (command === 'build' ? withStoreFailuresOption(withIndirectSelectionOption(built)) : built) as unknown as Argv<RunCommandArgs>;
    },
    handler: async (argv) => {
      const reporter = reporterFor(argv.logFormat);
      const { runNodes } = await import('../../api/run-nodes.js');
      const outcome = await runNodes(
        command,
        {
          ...runOptionsFrom(argv),
          ...stateOptionsFrom(argv),
          select: argv.select,
          exclude: argv.exclude,
          indirectSelection: argv.indirectSelection,
          fullRefresh: argv.fullRefresh,
          storeFailures: argv.storeFailures,
        },
        { reporter },
      );
      if (argv.dryRun) console.log(formatPlan(outcome.plan));
      else if (command === 'build' && argv.logFormat !== 'json' && outcome.exitCode === 0) {
        // After a failure the next step is the fix, not the dashboard.
        // Loaded lazily: per-model Airflow tasks should not pay for the docs writer.
        const { dashboardHint } = await import('../../api/docs.js');
        console.log(dashboardHint(outcome.project.config.projectDir, outcome.project.config.targetPath));
      }
      process.exitCode = outcome.exitCode;
    },
  };
}
