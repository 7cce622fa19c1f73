/** `tspipe airflow`: write the Airflow DAG file, or check the committed one is current. */
import { relative } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import pc from 'picocolors';
import { withProjectOptions } from '../shared-options.js';

type AirflowArgs = ArgumentsCamelCase<{
  projectDir: string;
  target?: string;
  vars?: Record<string, unknown>;
  partialParse: boolean;
  out?: string;
  check: boolean;
}>;

const airflowCommand: CommandModule<object, AirflowArgs> = {
  command: 'airflow',
  describe: 'Write airflow/dags/<project>.py: a static Airflow 3 DAG, one task per seed and model (with its data tests)',
  builder: (yargs: Argv) =>
    withProjectOptions(yargs)
      .hide('database-url') // no database here; the tasks take the URL from Airflow
      .option('out', { alias: 'o', type: 'string', describe: 'DAG file to write (default: <project>/airflow/dags/<project>.py)', group: 'Airflow:' })
      .option('check', {
        type: 'boolean',
        default: false,
        describe: 'Write nothing; exit 1 when the file differs from what would be written (CI)',
        group: 'Airflow:',
      })
      .epilogue('Settings come from the airflow: block of project.yml (schedule, retries, retry_delay_seconds, tags, test_behavior); see airflow/README.md.')
      .example('tspipe airflow', 'regenerate the DAG after changing models')
      .example('tspipe airflow --check', 'in CI: fail when the committed DAG is stale') as unknown as Argv<AirflowArgs>,
  handler: async (argv) => {
    const { airflowDag } = await import('../../api/airflow.js');
    const { projectDir, target, vars, partialParse, out, check } = argv;
    const outcome = airflowDag({ projectDir, target, vars, partialParse, out, check });
    const file = relative(process.cwd(), outcome.path) || outcome.path;
    const size = `DAG ${outcome.dagId}: ${outcome.tasks} tasks, ${outcome.edges} edges`;
    switch (outcome.status) {
      case 'written':
        return console.log(`Wrote ${file} (${size})`);
      case 'unchanged':
        return console.log(`${file} is up to date (${size})`);
      case 'current':
        return console.log(`${file} is current (${size})`);
      case 'missing':
      case 'stale': {
        const what =
          outcome.status === 'missing'
            ? 'does not exist'
            : `is stale: it differs from what \`tspipe airflow\` writes for this project (first at line ${outcome.firstDifferentLine})`;
        console.error(pc.red(`${file} ${what}.`));
        console.error(`Run \`tspipe airflow\`${argv.out ? ` --out ${argv.out}` : ''} and commit ${file}.`);
        process.exitCode = 1;
      }
    }
  },
};
export default airflowCommand;
