/** `tspipe run-operation <macro> --args '{...}'`: call a macro against the target, as `dbt run-operation`. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { parseMapping, withProjectOptions, type ProjectArgs } from '../shared-options.js';

type RunOperationArgs = ArgumentsCamelCase<ProjectArgs & { macro: string; args?: Record<string, unknown> }>;

const runOperationCommand: CommandModule<object, RunOperationArgs> = {
  command: 'run-operation <macro>',
  describe: "Call a macro (the project's, a package's, or package.macro) against the target; its statements commit when it returns",
  builder: (yargs: Argv) =>
    withProjectOptions(yargs)
      .positional('macro', { type: 'string', describe: 'The macro to call, e.g. grant_select or codegen.generate_source' })
      .option('args', {
        type: 'string',
        describe: 'Keyword arguments as JSON or YAML, e.g. \'{"schema_name": "raw"}\'',
        coerce: (text: string | undefined) =>
          parseMapping('--args', text, 'pass a mapping, e.g. --args \'{"schema_name": "raw"}\' or --args "{schema_name: raw}"'),
      }) as unknown as Argv<RunOperationArgs>,
  handler: async (argv) => {
    const { runOperation } = await import('../../api/run-operation.js');
    console.log(`Running operation ${argv.macro}`);
    const outcome = await runOperation({
      ...argv,
      // log() and print() in the macro reach the terminal, as in dbt.
      onLog: (line) => (line.level === 'warn' ? console.warn(`warning: ${line.message}`) : line.terminal ? console.log(line.message) : undefined),
    });
    console.log(`Ran ${outcome.macro} in ${outcome.elapsedSeconds.toFixed(2)}s`);
  },
};
export default runOperationCommand;
