/** `tspipe compile`: write compiled SQL and the manifest, no database needed. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withProjectOptions, withSelectionOptions } from '../shared-options.js';

type CompileArgs = ArgumentsCamelCase<{
  projectDir: string;
  target?: string;
  databaseUrl?: string;
  vars?: Record<string, unknown>;
  partialParse: boolean;
  select?: string[];
  exclude?: string[];
}>;

const compileCommand: CommandModule<object, CompileArgs> = {
  command: 'compile',
  describe: 'Render models and snapshots to target/compiled/ and write target/manifest.json (no database needed)',
  builder: (yargs: Argv) => withSelectionOptions(withProjectOptions(yargs)) as unknown as Argv<CompileArgs>,
  handler: async (argv) => {
    const started = performance.now();
    const { compileProject } = await import('../../api/compile.js');
    const outcome = await compileProject(argv);
    for (const warning of outcome.warnings) console.warn(`warning: ${warning}`);
    for (const selector of outcome.unmatched) console.warn(`warning: the selector "${selector}" matched no node`);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const note = outcome.unchanged ? ' (all up to date)' : '';
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const snapshots = outcome.compiled.filter((c) => c.uniqueId.startsWith('snapshot.')).length;
    const what = [count(outcome.compiled.length - snapshots, 'model'), ...(snapshots ? [count(snapshots, 'snapshot')] : [])].join(' and ');
    console.log(`Compiled ${what} in ${seconds}s${note} -> target/compiled/, ${outcome.manifestPath}`);
  },
};
export default compileCommand;
