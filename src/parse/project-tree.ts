/**
 * The projects one parse reads: the root project, then every installed package
 * (dbt_packages/), each with its config and its files. Every path is relative to the
 * root project's folder (dbt_packages/dbt_utils/macros/star.sql), so errors, caches
 * and the snapshot see one tree.
 */
import { posix } from 'node:path';
import { loadInstalledPackages } from '../config/installed-packages.js';
import type { ProjectConfig } from '../config/project-config.js';
import { discoverFiles, type ProjectFiles } from './discover-files.js';

export interface PackageProject {
  config: ProjectConfig;
  /** This package's files, relative to the root project. */
  files: ProjectFiles;
  isRoot: boolean;
}

export interface ProjectTree {
  root: ProjectConfig;
  /** The root first, then the installed packages by name. */
  packages: PackageProject[];
  /** Every file of every package, plus the packages' own project files: what the snapshot stamps. */
  files: ProjectFiles;
}

export function loadProjectTree(root: ProjectConfig): ProjectTree {
  const packages: PackageProject[] = [{ config: root, files: discoverFiles(root), isRoot: true }];
  for (const installed of loadInstalledPackages(root)) {
    const files = prefixed(discoverFiles(installed.config), installed.displayDir);
    files.projectFiles.push(posix.join(installed.displayDir, installed.config.configFile));
    packages.push({ config: installed.config, files, isRoot: false });
  }
  const files = merged(packages.map((p) => p.files));
  return { root, packages, files };
}

function prefixed(files: ProjectFiles, prefix: string): ProjectFiles {
  return Object.fromEntries(
    Object.entries(files).map(([kind, list]) => [kind, (list as string[]).map((f) => posix.join(prefix, f))]),
  ) as unknown as ProjectFiles;
}

function merged(all: ProjectFiles[]): ProjectFiles {
  const result = Object.fromEntries(Object.keys(all[0]!).map((kind) => [kind, [] as string[]])) as unknown as ProjectFiles;
  for (const files of all) for (const [kind, list] of Object.entries(files)) (result[kind as keyof ProjectFiles] as string[]).push(...(list as string[]));
  return result;
}
