/**
 * Finds and validates the project file: project.yml, or dbt_project.yml for a dbt
 * project that runs unchanged.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorCollector, ProjectError } from '../errors.js';
import { projectFileSchema, targetSchema, type ProjectConfig, type TargetConfig } from './project-config.js';
import { absoluteSeedPathErrors } from './seed-paths.js';
import { checkProjectKeys, targetProblems } from './strict-keys.js';
import { BUILTIN_TARGETS } from './targets.js';
import { readYamlFile } from './yaml-file.js';

export const PROJECT_FILES = ['project.yml', 'dbt_project.yml'] as const;

export interface LoadOptions {
  /** A package's folder relative to the root project, for error locations (e.g. dbt_packages/dbt_utils). */
  displayDir?: string;
}

export function loadProjectConfig(projectDir: string, options: LoadOptions = {}): ProjectConfig {
  const dir = resolve(projectDir);
  const displayDir = options.displayDir ?? '';
  const configFile = PROJECT_FILES.find((name) => existsSync(join(dir, name)));
  if (!configFile) {
    throw new ProjectError(`no project.yml or dbt_project.yml in ${dir}`, {
      hint: 'run tspipe inside a project folder, or pass --project-dir DIR',
    });
  }
  const yaml = readYamlFile(join(dir, configFile), displayDir ? `${displayDir}/${configFile}` : configFile);
  const parsed = projectFileSchema.safeParse(yaml.value);
  const errors = new ErrorCollector();
  // A package's project file is its author's: dbt already accepted it, so only the root's is strict.
  if (!displayDir) checkProjectKeys(yaml, errors);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      errors.add(
        new ProjectError(`${path.join('.') || 'project'}: ${issue.message}`, {
          file: yaml.displayPath,
          line: yaml.lineOf(path),
          hint: 'see the project.yml section of the README for the accepted keys',
        }),
      );
    }
    errors.throwIfAny();
  }
  const file = parsed.data!;
  for (const key of ['seed-paths', 'data-paths'] as const) for (const error of absoluteSeedPathErrors(yaml, file[key], key)) errors.add(error);
  const targets: Record<string, TargetConfig> = { ...BUILTIN_TARGETS };
  for (const [name, raw] of Object.entries(file.targets ?? {})) {
    if (name === 'default') continue; // `targets: {default: dev}` names the default, dbt-profile style
    const problems = targetProblems(raw);
    for (const problem of problems) {
      const path = ['targets', name, ...problem.path];
      errors.add(new ProjectError(`${path.join('.')}: ${problem.message}`, { file: yaml.displayPath, line: yaml.lineOf(path), hint: problem.hint }));
    }
    const target = targetSchema.safeParse(raw);
    if (target.success) targets[name] = target.data;
    else if (!problems.length)
      for (const issue of target.error.issues) {
        const path = ['targets', name, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
        errors.add(new ProjectError(`${path.join('.')}: ${issue.message}`, { file: yaml.displayPath, line: yaml.lineOf(path) }));
      }
  }
  const defaultTarget = file.target ?? stringOrUndefined(file.targets?.default) ?? 'dev';
  if (!targets[defaultTarget]) {
    errors.add(
      new ProjectError(`default target "${defaultTarget}" is not defined`, {
        file: yaml.displayPath,
        line: yaml.lineOf(['target']) ?? yaml.lineOf(['targets']),
        hint: `define it under targets:, or use one of: ${Object.keys(targets).join(', ')}`,
      }),
    );
  }
  errors.throwIfAny();

  return {
    name: file.name,
    projectDir: dir,
    displayDir,
    configFile,
    modelPaths: file['model-paths'] ?? file['source-paths'] ?? ['models'],
    seedPaths: file['seed-paths'] ?? file['data-paths'] ?? ['seeds'],
    seedPathsKey: file['seed-paths'] ? 'seed-paths' : file['data-paths'] ? 'data-paths' : undefined,
    macroPaths: file['macro-paths'] ?? ['macros'],
    testPaths: file['test-paths'] ?? ['tests'],
    docsPaths: file['docs-paths'] ?? [],
    snapshotPaths: file['snapshot-paths'] ?? ['snapshots'],
    analysisPaths: file['analysis-paths'] ?? ['analyses'],
    dispatch: file.dispatch ?? [],
    onRunStart: asList(file['on-run-start']),
    onRunEnd: asList(file['on-run-end']),
    targetPath: file['target-path'] ?? 'target',
    packagesInstallPath: file['packages-install-path'] ?? 'dbt_packages',
    vars: file.vars ?? {},
    modelsConfig: file.models ?? {},
    seedsConfig: file.seeds ?? {},
    snapshotsConfig: file.snapshots ?? {},
    testsConfig: file.data_tests ?? file.tests ?? {},
    targets,
    defaultTarget,
    profileName: file.profile,
    declaresTargets: file.targets !== undefined || file.target !== undefined,
    threads: file.threads,
    airflow: file.airflow ?? {},
    lineOf: yaml.lineOf,
  };
}

function asList(value: string | string[] | null | undefined): string[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
