/**
 * Invalid config values (`+materialized: tabel`) in a project file's models:/seeds:
 * trees are reported once, at their line there, not once per node that inherits them.
 */
import { configLevels } from '../config/folder-config.js';
import { INCREMENTAL_STRATEGIES, MATERIALIZATIONS, type ProjectConfig } from '../config/project-config.js';
import { closestHint } from '../text.js';
import { ProjectError, type ErrorCollector } from '../errors.js';
import type { ConfigTrees } from './config-trees.js';
import { validateConfig } from './node-config.js';
import type { TemplateEngine } from './template-engine.js';

export function checkConfigTreeValues(config: ProjectConfig, trees: ConfigTrees, engine: TemplateEngine, errors: ErrorCollector): void {
  const file = config.displayDir ? `${config.displayDir}/${config.configFile}` : config.configFile;
  for (const [section, kind] of [
    ['models', 'model'],
    ['seeds', 'seed'],
  ] as const) {
    for (const level of configLevels(trees[section])) {
      const values = Object.fromEntries(level.entries.map((entry) => [entry.name, entry.value]));
      for (const problem of validateConfig(values, kind).problems) {
        const entry = level.entries.find((e) => e.name === problemKey(problem));
        errors.add(
          new ProjectError(`invalid config ${problem}`, {
            file,
            line: config.lineOf([section, ...level.folders, entry?.key ?? problemKey(problem)]),
            hint: configProblemHint(engine, config.name, problem, values) ?? `fix the value under ${[section, ...level.folders].join('.')}`,
          }),
        );
      }
    }
  }
}

/** "materialized: ..." → materialized */
export function problemKey(problem: string): string {
  return problem.slice(0, problem.indexOf(':'));
}

/** A custom {% materialization %} named where it is defined, or the closest valid value. */
export function configProblemHint(engine: TemplateEngine, packageName: string, problem: string, values: Record<string, unknown>): string | undefined {
  const key = problemKey(problem);
  if (key === 'materialized') {
    const name = String(values.materialized);
    const custom = engine.resolveMacro(`materialization_${name}_default`, packageName) ?? engine.resolveMacro(`materialization_${name}_postgres`, packageName);
    if (custom)
      return `${custom.file}:${custom.line} defines it as a custom {% materialization %}, which tspipe does not run: use ${MATERIALIZATIONS.join(', ')}`;
    return closestHint(name, MATERIALIZATIONS);
  }
  if (key === 'incremental_strategy') return closestHint(String(values.incremental_strategy), INCREMENTAL_STRATEGIES);
  return undefined;
}

/**
 * dbt's "Configuration paths exist in your dbt_project.yml file which do not apply to
 * any resources": a folder key under models:/seeds: that matches no node (a misspelt
 * folder such as `modles` or `kpis`), as a warning with the closest existing name.
 */
export function unusedConfigPaths(config: ProjectConfig, trees: ConfigTrees, nodes: { resourceType: string; fqn: string[] }[]): ProjectError[] {
  const warnings: ProjectError[] = [];
  for (const [section, kind] of [
    ['models', 'model'],
    ['seeds', 'seed'],
  ] as const) {
    const fqns = nodes.filter((n) => n.resourceType === kind).map((n) => n.fqn);
    // tspipe also reads folders at the top of the tree (without the project name).
    const matches = (path: string[]) => fqns.some((fqn) => startsWith(fqn, path) || startsWith(fqn, [config.name, ...path]));
    for (const level of configLevels(trees[section])) {
      const path = level.folders;
      if (!path.length || matches(path) || !matches(path.slice(0, -1))) continue; // only the first unmatched level
      const depth = path.length - 1;
      const siblings = fqns
        .flatMap((fqn) => [fqn, fqn.slice(1)])
        .filter((fqn) => startsWith(fqn, path.slice(0, -1)) && fqn.length > depth)
        .map((fqn) => fqn[depth]!);
      warnings.push(
        new ProjectError(`configuration path ${[section, ...path].join('.')} applies to no ${kind}`, {
          file: config.configFile,
          line: config.lineOf([section, ...path]),
          hint:
            closestHint(path[depth]!, siblings) ??
            `check the folder name (a folder under ${section === 'models' ? 'the model paths' : 'the seed paths'}), or remove the entry`,
        }),
      );
    }
  }
  return warnings;
}

function startsWith(list: string[], prefix: string[]): boolean {
  return prefix.length <= list.length && prefix.every((part, i) => list[i] === part);
}
