/**
 * `tspipe deps` (dbt deps): install the packages of packages.yml / dependencies.yml
 * under dbt_packages/ and write package-lock.yml.
 */
import { loadProjectConfig } from '../config/load-project-config.js';
import { installPackages, type InstallOutcome } from '../deps/install-packages.js';
import { renderConfigString } from '../config/render-config-string.js';

export interface DepsOptions {
  projectDir?: string;
  vars?: Record<string, unknown>;
  upgrade?: boolean;
  lockOnly?: boolean;
}

export interface DepsDeps {
  env?: NodeJS.ProcessEnv;
  onProgress?(message: string): void;
  onWarn?(message: string): void;
}

export async function depsCommand(options: DepsOptions, deps: DepsDeps = {}): Promise<InstallOutcome> {
  const config = loadProjectConfig(options.projectDir ?? process.cwd());
  const env = deps.env ?? process.env;
  return installPackages({
    projectDir: config.projectDir,
    installPath: config.packagesInstallPath,
    render: (text, where) => renderConfigString(text, { vars: { ...config.vars, ...options.vars }, env, where }),
    upgrade: options.upgrade,
    lockOnly: options.lockOnly,
    env,
    onProgress: deps.onProgress,
    onWarn: deps.onWarn,
  });
}
