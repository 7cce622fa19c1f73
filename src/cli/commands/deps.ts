/** `tspipe deps`: install the project's dbt packages, like `dbt deps`. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import pc from 'picocolors';

type DepsArgs = ArgumentsCamelCase<{ projectDir: string; vars?: Record<string, unknown>; upgrade: boolean; lock: boolean }>;

const depsCommandModule: CommandModule<object, DepsArgs> = {
  command: 'deps',
  describe: 'Install the packages listed in packages.yml (or dependencies.yml) into dbt_packages/ and write package-lock.yml',
  builder: (yargs: Argv) =>
    yargs
      .option('project-dir', { type: 'string', default: '.', describe: 'Project folder (with dbt_project.yml or project.yml)' })
      .option('vars', { type: 'string', describe: 'Vars for Jinja in packages.yml, as JSON or YAML' })
      .option('upgrade', { type: 'boolean', default: false, describe: 'Resolve the newest versions allowed again, ignoring package-lock.yml' })
      .option('lock', { type: 'boolean', default: false, describe: 'Only resolve and write package-lock.yml; install nothing' })
      .epilogue(
        'Hub packages come from https://hub.getdbt.com (or $DBT_PACKAGE_HUB_URL), git packages through the git command, local packages are linked. ' +
          'A package-lock.yml made from the same packages.yml is installed exactly as it stands.',
      ) as unknown as Argv<DepsArgs>,
  handler: async (argv) => {
    const started = performance.now();
    const { depsCommand } = await import('../../api/deps.js');
    const { parseVars } = await import('../shared-options.js');
    const outcome = await depsCommand(
      { projectDir: argv.projectDir, vars: typeof argv.vars === 'string' ? parseVars(argv.vars) : argv.vars, upgrade: argv.upgrade, lockOnly: argv.lock },
      { onProgress: (message) => console.log(pc.dim(message)), onWarn: (message) => console.warn(pc.yellow(`warning: ${message}`)) },
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!outcome.file) {
      console.log('No packages.yml or dependencies.yml: nothing to install.');
      return;
    }
    if (argv.lock) {
      console.log(`Wrote package-lock.yml from ${outcome.file} in ${seconds}s`);
      return;
    }
    for (const pkg of outcome.installed) console.log(`Installed ${pkg.name} ${pc.dim(`(${pkg.source} ${pkg.linked ? '-> linked' : pkg.version})`)}`);
    console.log(
      `${outcome.installed.length} package${outcome.installed.length === 1 ? '' : 's'} installed in ${seconds}s${outcome.fromLock ? ' (as locked in package-lock.yml)' : ''}`,
    );
  },
};
export default depsCommandModule;
