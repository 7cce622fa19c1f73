/** `tspipe ls`: list nodes, as names, paths or JSON. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withProjectOptions, withSelectionOptions } from '../shared-options.js';
import { withStateOption } from '../state-options.js';

type LsArgs = ArgumentsCamelCase<{
  projectDir: string;
  target?: string;
  databaseUrl?: string;
  vars?: Record<string, unknown>;
  select?: string[];
  exclude?: string[];
  resourceType?: string[];
  state?: string;
  output: 'name' | 'path' | 'json' | 'selector';
  outputKeys?: string[];
}>;

const lsCommand: CommandModule<object, LsArgs> = {
  command: ['ls', 'list'],
  describe: 'List the selected nodes',
  builder: (yargs: Argv) =>
    withStateOption(withSelectionOptions(withProjectOptions(yargs)))
      .option('resource-type', { type: 'string', array: true, choices: ['model', 'seed', 'snapshot', 'source', 'test'], describe: 'Only these kinds of node' })
      .option('output', {
        alias: 'o',
        choices: ['name', 'path', 'json', 'selector'] as const,
        default: 'selector' as const,
        describe: 'What to print per node',
      })
      .option('output-keys', {
        type: 'string',
        array: true,
        describe: 'With --output json: only these keys, e.g. --output-keys name resource_type config',
      }) as unknown as Argv<LsArgs>,
  handler: async (argv) => {
    const { listNodes, searchName } = await import('../../api/list-nodes.js');
    // dbt takes the keys space- or comma-separated.
    const keys = argv.outputKeys
      ?.flatMap((k) => k.split(','))
      .map((k) => k.trim())
      .filter(Boolean);
    const { nodes, unmatched } = listNodes({ ...argv, resourceTypes: argv.resourceType });
    for (const selector of unmatched) console.warn(`warning: the selector "${selector}" matched no node`);
    for (const node of nodes) {
      if (argv.output === 'json')
        console.log(JSON.stringify(keys?.length ? Object.fromEntries(keys.filter((k) => k in node).map((k) => [k, node[k as keyof typeof node]])) : node));
      else if (argv.output === 'path') console.log(node.original_file_path);
      else if (argv.output === 'name') console.log(searchName(node));
      // dbt's selector output: sources and unit tests carry their method, as --select takes them.
      else console.log(`${node.resource_type === 'source' || node.resource_type === 'unit_test' ? `${node.resource_type}:` : ''}${node.fqn.join('.')}`);
    }
  },
};
export default lsCommand;
