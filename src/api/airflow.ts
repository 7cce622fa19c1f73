/**
 * `tspipe airflow`: the project's graph mapped onto the DAG writer's input, then the
 * DAG file written, or compared with the committed one (`--check`, for CI). Needs no
 * database. The bytes depend only on the project, so the check is stable anywhere.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { ProjectConfig } from '../config/project-config.js';
import { airflowDagId, DEFAULT_TSPIPE_FROM_PROJECT, emitAirflowDag, planAirflowTasks, type AirflowDagInput, type AirflowDagNode } from '../emit/airflow-dag.js';
import type { ExecutableNode, Manifest } from '../parse/manifest.js';
import { loadProject, type ProjectOptions } from './load-project.js';

export interface AirflowOptions extends ProjectOptions {
  /** The DAG file; default <project dir>/airflow/dags/<project>.py. Relative to the working directory. */
  out?: string;
  /** Compare with the file instead of writing it. */
  check?: boolean;
}

export type AirflowStatus = 'written' | 'unchanged' | 'current' | 'stale' | 'missing';

export interface AirflowOutcome {
  /** Absolute path of the DAG file. */
  path: string;
  dagId: string;
  /** written/unchanged after a write; current/stale/missing after --check. */
  status: AirflowStatus;
  tasks: number;
  edges: number;
  /** --check of a stale file: the first line that differs (1-based). */
  firstDifferentLine?: number;
}

/** What the DAG uses when project.yml's `airflow:` block leaves a setting out. */
export const AIRFLOW_DEFAULTS = {
  schedule: '@daily',
  retries: 2,
  retryDelaySeconds: 300,
  tags: ['tspipe'],
  // dbt's build per node: half as many tasks as after_each, and a failing test stops what reads the node.
  testBehavior: 'build',
  /** resolveTarget's default for a PostgreSQL target without threads. */
  threads: 4,
} as const;

export function airflowDag(options: AirflowOptions, env: NodeJS.ProcessEnv = process.env): AirflowOutcome {
  // The URL override would switch the target (and target.* in templates): the DAG must not depend on the shell.
  const { TSPIPE_DATABASE_URL: _ignored, ...projectEnv } = env;
  const project = loadProject({ ...options, databaseUrl: undefined }, projectEnv);
  const path = resolve(options.out ?? join(project.config.projectDir, 'airflow', 'dags', `${airflowDagId(project.config.name)}.py`));
  const input = airflowDagInput(project.config, project.manifest, relativeDir(dirname(path), project.config.projectDir));
  const source = emitAirflowDag(input);
  const plan = planAirflowTasks(input.nodes, input.testBehavior);
  const outcome = { path, dagId: airflowDagId(input.projectName), tasks: plan.tasks.length, edges: plan.edges.length };

  const existing = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (options.check) {
    if (existing === undefined) return { ...outcome, status: 'missing' };
    if (existing === source) return { ...outcome, status: 'current' };
    return { ...outcome, status: 'stale', firstDifferentLine: firstDifferentLine(existing, source) };
  }
  if (existing === source) return { ...outcome, status: 'unchanged' };
  writeAtomically(path, source);
  return { ...outcome, status: 'written' };
}

/** The DAG writer's input: settings from project.yml, nodes and edges from the manifest. */
export function airflowDagInput(config: ProjectConfig, manifest: Manifest, projectDirFromDag = '../..'): AirflowDagInput {
  const settings = config.airflow;
  return {
    projectName: config.name,
    schedule: settings.schedule ?? AIRFLOW_DEFAULTS.schedule,
    catchup: settings.catchup ?? false,
    startDate: settings.start_date,
    // Tasks of one run at once: what `tspipe run` would use on PostgreSQL.
    maxActiveTasks: config.targets.pg?.threads ?? config.threads ?? AIRFLOW_DEFAULTS.threads,
    retries: settings.retries ?? AIRFLOW_DEFAULTS.retries,
    retryDelaySeconds: settings.retry_delay_seconds ?? AIRFLOW_DEFAULTS.retryDelaySeconds,
    tags: settings.tags ?? [...AIRFLOW_DEFAULTS.tags],
    description: projectDescription(config, manifest),
    testBehavior: settings.test_behavior ?? AIRFLOW_DEFAULTS.testBehavior,
    nodes: airflowDagNodes(manifest),
    projectDirFromDag,
    tspipeFromProject: tspipeFromProject(config.projectDir),
  };
}

/**
 * Seeds, models that build something, and data tests. Ephemeral models are inlined
 * into their readers, so a dependency on one becomes a dependency on what it reads
 * (as buildPlan does); sources and disabled nodes are no tasks.
 */
export function airflowDagNodes(manifest: Manifest): AirflowDagNode[] {
  const enabled = (node: ExecutableNode | undefined): node is ExecutableNode => node !== undefined && node.config.enabled !== false;
  const isEphemeral = (node: ExecutableNode) => node.resourceType === 'model' && node.config.materialized === 'ephemeral';
  const isTask = (id: string) => {
    const node = manifest.nodes[id];
    return enabled(node) && node.resourceType !== 'test' && !isEphemeral(node);
  };
  const taskParents = (dependsOn: readonly string[]): string[] => {
    const found = new Set<string>();
    const seen = new Set<string>();
    const visit = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      const node = manifest.nodes[id];
      if (isTask(id)) found.add(id);
      else if (enabled(node) && isEphemeral(node)) node.dependsOn.forEach(visit);
    };
    dependsOn.forEach(visit);
    return [...found].sort();
  };
  return Object.values(manifest.nodes)
    .filter((node) => enabled(node) && !isEphemeral(node))
    .sort((a, b) => (a.uniqueId < b.uniqueId ? -1 : a.uniqueId > b.uniqueId ? 1 : 0))
    .map((node): AirflowDagNode => {
      const microbatch = node.resourceType === 'model' && node.config.materialized === 'incremental' && node.config.incremental_strategy === 'microbatch';
      const base = {
        uniqueId: node.uniqueId,
        name: node.name,
        resourceType: node.resourceType,
        dependsOn: taskParents(node.dependsOn),
        ...(microbatch ? { microbatch } : {}),
      };
      // A test of a source (or of an ephemeral model) gets a task of its own.
      if (node.resourceType === 'test' && node.attachedNode && isTask(node.attachedNode)) return { ...base, attachedNode: node.attachedNode };
      return base;
    });
}

/** dbt's project overview doc block (`{% docs __overview__ %}`), else a line naming the project. */
function projectDescription(config: ProjectConfig, manifest: Manifest): string {
  const overview = manifest.docs.__overview__?.trim();
  if (overview) return overview.split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ');
  return `The ${config.name} project: seeds, models and data tests, built by tspipe.`;
}

/** Posix path from the DAG's folder to the project ('../..' for airflow/dags/). */
function relativeDir(from: string, to: string): string {
  return relative(from, to).split(sep).join('/') || '.';
}

function firstDifferentLine(a: string, b: string): number {
  const left = a.split('\n');
  const right = b.split('\n');
  let i = 0;
  while (i < left.length && i < right.length && left[i] === right[i]) i++;
  return i + 1;
}

/** Write-then-rename: the DAG processor never parses a half-written file (it skips names not ending in .py). */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/**
 * The tspipe script a task runs, from the project folder: tspipe's own bin when the
 * project is the tspipe package itself (the gaming pipeline), else the npm dependency.
 * From the project's files only, so the DAG's bytes do not depend on how tspipe was run.
 */
function tspipeFromProject(projectDir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { name?: unknown };
    if (pkg.name === 'tspipe') return 'bin/tspipe.js';
  } catch {
    // no package.json, or not JSON: not the tspipe package
  }
  return DEFAULT_TSPIPE_FROM_PROJECT;
}
