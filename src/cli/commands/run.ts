/** `tspipe run` / `seed` / `build`: execute the selected nodes against the target. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { RunCommandName } from '../../api/run-nodes.js';
import { formatPlan } from '../../execute/plan.js';
import { reporterFor, withOutputOptions, withProjectOptions, withRunOptions, withSelectionOptions } from '../shared-options.js';

type RunArgs = ArgumentsCamelCase<{
  projectDir: string;
  target?: string;
  databaseUrl?: string;
  vars?: Record<string, unknown>;
  partialParse: boolean;
  select?: string[];
  exclude?: string[];
  threads?: number;
  fullRefresh: boolean;
  failFast: boolean;
  dryRun: boolean;
  noWait: boolean;
  wait?: boolean;
  logFormat: string;
}>;

type BuildingCommand = Exclude<RunCommandName, 'test'>;

const DESCRIPTIONS: Record<BuildingCommand, string> = {
  run: 'Build the selected models (views, tables, incremental, ephemeral) in dependency order',
  seed: 'Load the CSV files under seeds/ into tables',
  build: 'Load seeds and build models in one graph walk',
};

export function runCommandModule(command: BuildingCommand): CommandModule<object, RunArgs> {
  return {
    command,
    describe: DESCRIPTIONS[command],
    builder: (yargs: Argv) =>
      withOutputOptions(withRunOptions(withSelectionOptions(withProjectOptions(yargs)))) as unknown as Argv<RunArgs>,
    handler: async (argv) => {
      const reporter = reporterFor(argv.logFormat);
      const { runNodes } = await import('../../api/run-nodes.js');
      const outcome = await runNodes(
        command,
        {
          projectDir: argv.projectDir,
          partialParse: argv.partialParse,
          target: argv.target,
          databaseUrl: argv.databaseUrl,
          vars: argv.vars,
          select: argv.select,
          exclude: argv.exclude,
          threads: argv.threads,
          fullRefresh: argv.fullRefresh,
          failFast: argv.failFast,
          dryRun: argv.dryRun,
          // yargs turns --no-wait into wait=false
          noWait: argv.noWait || argv.wait === false,
        },
        { reporter },
      );
      if (argv.dryRun) console.log(formatPlan(outcome.plan));
      else if (command === 'build' && argv.logFormat !== 'json') {
        // Loaded lazily: per-model Airflow tasks should not pay for the docs writer.
        const { dashboardHint } = await import('../../api/docs.js');
        console.log(dashboardHint(outcome.project.config.projectDir, outcome.project.config.targetPath));
      }
      process.exitCode = outcome.exitCode;
    },
  };
}
