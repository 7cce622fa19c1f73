/** `tspipe parse`: check the project and write the manifest, like `dbt parse`. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withProjectOptions } from '../shared-options.js';

type ParseArgs = ArgumentsCamelCase<{ projectDir: string; target?: string; databaseUrl?: string; vars?: Record<string, unknown>; partialParse: boolean }>;

const parseCommandModule: CommandModule<object, ParseArgs> = {
  command: 'parse',
  describe: 'Read and check the project, write target/manifest.json (no database, no compiled SQL)',
  builder: (yargs: Argv) => withProjectOptions(yargs) as unknown as Argv<ParseArgs>,
  handler: async (argv) => {
    const started = performance.now();
    const { parseCommand } = await import('../../api/parse.js');
    const { counts, manifestPath, fromSnapshot, warnings } = parseCommand(argv);
    for (const warning of warnings) console.warn(`warning: ${warning}`);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const found = [
      count(counts.model, 'model'),
      count(counts.test, 'data test'),
      count(counts.seed, 'seed'),
      count(counts.source, 'source'),
      count(counts.macro, 'macro'),
    ].join(', ');
    console.log(`Parsed ${found} in ${seconds}s${fromSnapshot ? ' (unchanged since the last parse)' : ''} -> ${manifestPath}`);
  },
};
export default parseCommandModule;
