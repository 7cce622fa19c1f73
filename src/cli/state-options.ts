/** --state, --defer and --favor-state (dbt's slim CI), for the commands that select nodes. */
import type { Argv } from 'yargs';

export interface StateArgs {
  state?: string;
  defer?: boolean;
  favorState?: boolean;
}

/** `ls` compares with a state but builds nothing, so it takes --state only. */
export function withStateOption<T>(yargs: Argv<T>) {
  return yargs.option('state', {
    type: 'string',
    describe: "Folder of a previous run's manifest.json and run_results.json (e.g. production's target/), for state: and result: selectors",
    group: 'Selection:',
  });
}

export function withStateOptions<T>(yargs: Argv<T>) {
  return withStateOption(yargs)
    .option('defer', {
      type: 'boolean',
      default: false,
      describe: 'Read unselected parents missing from the target from the relations recorded in --state',
      group: 'Selection:',
    })
    .option('favor-state', {
      type: 'boolean',
      default: false,
      describe: 'With --defer: read unselected parents from --state even when the target has them',
      group: 'Selection:',
    });
}

export function stateOptionsFrom(argv: StateArgs): StateArgs {
  return { state: argv.state, defer: argv.defer, favorState: argv.favorState };
}
