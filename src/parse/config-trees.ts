/**
 * A project's config trees (models:, seeds:, snapshots:, data_tests:) with their Jinja rendered,
 * as dbt renders dbt_project.yml: natively, with target and --vars, hooks left for
 * run time ("+post-hook" is rendered when it runs).
 */
import { isObject } from '../config/folder-config.js';
import type { ProjectConfig } from '../config/project-config.js';
import { renderConfigString } from '../config/render-config-string.js';
import type { TargetContext } from '../context/builtins.js';
import { noteEnvRead } from './render-hooks.js';

export interface ConfigTrees {
  models: Record<string, unknown>;
  seeds: Record<string, unknown>;
  snapshots: Record<string, unknown>;
  tests: Record<string, unknown>;
}

const LATE_RENDERED = new Set(['pre-hook', 'post-hook', 'pre_hook', 'post_hook']);

export function renderConfigTrees(config: ProjectConfig, target: TargetContext, cliVars: Record<string, unknown>, env: NodeJS.ProcessEnv): ConfigTrees {
  const render = (tree: Record<string, unknown>, section: string) =>
    renderTree(tree, [section], (text, path) =>
      renderConfigString(text, {
        vars: cliVars,
        env,
        where: { file: config.configFile, line: config.lineOf(path) },
        extra: { target, project_name: config.name },
        onEnvRead: noteEnvRead,
      }),
    ) as Record<string, unknown>;
  return {
    models: render(config.modelsConfig, 'models'),
    seeds: render(config.seedsConfig, 'seeds'),
    snapshots: render(config.snapshotsConfig, 'snapshots'),
    tests: render(config.testsConfig, 'data_tests'),
  };
}

function renderTree(value: unknown, path: string[], render: (text: string, path: string[]) => unknown): unknown {
  if (typeof value === 'string') return value.includes('{{') || value.includes('{%') ? render(value, path) : value;
  if (Array.isArray(value)) return value.map((item, i) => renderTree(item, [...path, String(i)], render));
  if (!isObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] = LATE_RENDERED.has(key.replace(/^\+/, '')) ? item : renderTree(item, [...path, key], render);
  }
  return result;
}
