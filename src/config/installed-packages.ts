/**
 * The packages a project runs with: every folder of its packages-install-path
 * (dbt_packages/) holding a dbt_project.yml, as dbt loads them, each with its own
 * validated config. A packages.yml whose packages are not installed is an error that
 * says to run `tspipe deps`.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { ErrorCollector, ProjectError } from '../errors.js';
import { loadProjectConfig } from './load-project-config.js';
import type { ProjectConfig } from './project-config.js';
import { readYamlFile } from './yaml-file.js';

export interface InstalledPackage {
  config: ProjectConfig;
  /** The package folder relative to the root project, posix (e.g. dbt_packages/dbt_utils). */
  displayDir: string;
}

export function loadInstalledPackages(root: ProjectConfig): InstalledPackage[] {
  const installDir = join(root.projectDir, root.packagesInstallPath);
  const folders = existsSync(installDir)
    ? readdirSync(installDir)
        .filter((name) => !name.startsWith('.') && !name.endsWith('.tspipe-tmp'))
        .filter((name) => isDirectory(join(installDir, name)) && existsSync(join(installDir, name, 'dbt_project.yml')))
        .sort()
    : [];
  checkInstalled(root, folders);
  const errors = new ErrorCollector();
  const packages: InstalledPackage[] = [];
  for (const folder of folders) {
    const displayDir = posix.join(root.packagesInstallPath.split('\\').join('/'), folder);
    try {
      const config = loadProjectConfig(join(installDir, folder), { displayDir });
      if (config.name === root.name) {
        throw new ProjectError(`the package in ${displayDir} has the root project's name "${root.name}"`, {
          file: `${displayDir}/dbt_project.yml`,
          hint: 'rename one of the two projects',
        });
      }
      packages.push({ config, displayDir });
    } catch (error) {
      if (error instanceof ProjectError) errors.add(error);
      else throw error;
    }
  }
  errors.throwIfAny();
  return packages;
}

/** dbt's check: fewer installed packages than packages.yml lists means deps never ran. */
function checkInstalled(root: ProjectConfig, folders: string[]): void {
  const file = ['packages.yml', 'dependencies.yml'].find((f) => existsSync(join(root.projectDir, f)));
  if (!file) return;
  const listed = (readYamlFile(join(root.projectDir, file), file).value as { packages?: unknown[] } | null)?.packages;
  const count = Array.isArray(listed) ? listed.length : 0;
  if (count > folders.length) {
    throw new ProjectError(
      `${file} lists ${count} package${count === 1 ? '' : 's'}, but ${folders.length} ${folders.length === 1 ? 'is' : 'are'} installed in ${root.packagesInstallPath}/`,
      {
        file,
        hint: 'run tspipe deps to install them',
      },
    );
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
