/** `tspipe debug`: check the project and the connection. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import pc from 'picocolors';
import { withProjectOptions } from '../shared-options.js';

type DebugArgs = ArgumentsCamelCase<{ projectDir: string; target?: string; databaseUrl?: string; vars?: Record<string, unknown> }>;

const debugCommand: CommandModule<object, DebugArgs> = {
  command: 'debug',
  describe: 'Check the project files and the connection to the target',
  builder: (yargs: Argv) => withProjectOptions(yargs) as unknown as Argv<DebugArgs>,
  handler: async (argv) => {
    const { debugProject } = await import('../../api/debug.js');
    const { checks, ok } = await debugProject(argv);
    for (const check of checks) console.log(`${check.ok ? pc.green('OK   ') : pc.red('FAIL ')} ${check.name}: ${check.detail}`);
    console.log(ok ? pc.green('All checks passed.') : pc.red('Some checks failed.'));
    process.exitCode = ok ? 0 : 1;
  },
};
export default debugCommand;
