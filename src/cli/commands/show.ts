/** `tspipe show`: preview a model's or an inline query's first rows, as `dbt show`. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withProjectOptions, withSelectionOptions, type ProjectArgs } from '../shared-options.js';
import { textTable } from '../text-table.js';

type ShowArgs = ArgumentsCamelCase<ProjectArgs & { select?: string[]; exclude?: string[]; inline?: string; limit: number; output: 'text' | 'json' }>;

const showCommand: CommandModule<object, ShowArgs> = {
  command: 'show',
  describe: "Print the first rows of a model's SELECT (--select) or of a query (--inline), read only",
  builder: (yargs: Argv) =>
    withSelectionOptions(withProjectOptions(yargs))
      .option('inline', { type: 'string', describe: 'SQL to run instead of a node; Jinja allowed: "select * from {{ ref(\'x\') }}"' })
      .option('limit', { type: 'number', default: 5, describe: 'Rows to show (-1: all)' })
      .option('output', { alias: 'o', choices: ['text', 'json'] as const, default: 'text' as const, describe: 'A table, or JSON as dbt show --output json' })
      .conflicts('inline', 'select') as unknown as Argv<ShowArgs>,
  handler: async (argv) => {
    const { showNodes } = await import('../../api/show.js');
    const outcome = await showNodes(argv);
    for (const selector of outcome.unmatched) console.warn(`warning: the selector "${selector}" matched no node`);
    for (const preview of outcome.previews) {
      if (argv.output === 'json')
        console.log(
          JSON.stringify({ node: preview.node, show: preview.rows }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
        );
      else
        console.log(`Previewing ${preview.node === 'inline_query' ? 'inline node' : `node '${preview.node}'`}:\n${textTable(preview.columns, preview.rows)}\n`);
    }
  },
};
export default showCommand;
