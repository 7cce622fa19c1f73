/**
 * Where seeds come from. The project file's seed-paths are relative to the project
 * folder, as dbt requires; `--seed-paths DIR` replaces them for one command (a
 * generated dataset in /tmp/big loads without editing project.yml).
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { ProjectError, UsageError } from '../errors.js';
import type { ProjectConfig } from './project-config.js';
import type { YamlFile } from './yaml-file.js';

/** An absolute seed path in the project file: an error at its line (it would be read from inside the project). */
export function absoluteSeedPathErrors(yaml: YamlFile, paths: string[] | undefined, key: string): ProjectError[] {
  return (paths ?? [])
    .filter((path) => isAbsolute(path))
    .map(
      (path) =>
        new ProjectError(`${key}: "${path}" is an absolute path; paths in the project file are relative to the project folder`, {
          file: yaml.displayPath,
          line: yaml.lineOf([key]),
          hint: `use a relative path, or load that folder for one command with --seed-paths ${path}`,
        }),
    );
}

/** The config with `dirs` (relative to the current folder, or absolute) as its seed paths. */
export function withSeedPaths(config: ProjectConfig, dirs: string[] | undefined, cwd = process.cwd()): ProjectConfig {
  if (!dirs?.length) return config;
  const seedPaths = dirs.map((dir) => {
    const absolute = resolve(cwd, dir);
    if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
      throw new UsageError(`--seed-paths ${dir}: no such folder (${absolute})`, {
        hint: 'name a folder of CSV files, e.g. one written by tspipe generate --out DIR',
      });
    }
    // Seed files are named relative to the project folder everywhere (manifest, messages).
    return relative(config.projectDir, absolute) || '.';
  });
  return { ...config, seedPaths, seedPathsKey: undefined };
}
