/**
 * `tspipe retry`: reads the last target/run_results.json and re-runs only what
 * errored, failed or was skipped, with the same command and flags. Useful after a
 * fix, from the CLI or from an Airflow task.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadProjectConfig } from '../config/load-project-config.js';
import { UsageError } from '../errors.js';
import { COMMAND_RESOURCE_TYPES, runNodes, type RunCommandName, type RunDeps, type RunOptions, type RunOutcome } from './run-nodes.js';

const RETRYABLE = new Set(['error', 'fail', 'skipped', 'partial success']);

interface PreviousRun {
  metadata: { command: string };
  args: {
    full_refresh?: boolean;
    threads?: number | null;
    target?: string;
    event_time_start?: string | null;
    event_time_end?: string | null;
    seed_paths?: string[];
    state?: string | null;
    defer?: boolean;
    favor_state?: boolean;
  };
  results: { unique_id: string; status: string; batch_results?: { failed: [string, string][] } }[];
}

export interface RetryPlan {
  command: RunCommandName;
  /** Names of the nodes to re-run. */
  names: string[];
  options: RunOptions;
}

export function planRetry(options: RunOptions): RetryPlan | undefined {
  const projectDir = resolve(options.projectDir ?? process.cwd());
  const config = loadProjectConfig(projectDir);
  const path = join(projectDir, config.targetPath, 'run_results.json');
  if (!existsSync(path)) {
    throw new UsageError(`no previous run to retry: ${join(config.targetPath, 'run_results.json')} does not exist`, {
      hint: 'run tspipe build (or run, seed) first; retry re-runs what that run left failed or skipped',
    });
  }
  const previous = JSON.parse(readFileSync(path, 'utf8')) as PreviousRun;
  const command = previous.metadata.command as RunCommandName;
  if (!(command in COMMAND_RESOURCE_TYPES)) {
    throw new UsageError(`the last run was "tspipe ${previous.metadata.command}", which retry cannot repeat`, {
      hint: `retry repeats ${Object.keys(COMMAND_RESOURCE_TYPES).join(', ')}`,
    });
  }
  const names = previous.results.filter((r) => RETRYABLE.has(r.status)).map((r) => r.unique_id.split('.').slice(2).join('.'));
  if (!names.length) return undefined;
  // A microbatch model re-runs only the batches that failed (dbt 1.9's retry).
  const batchesToRetry = Object.fromEntries(
    previous.results.filter((r) => RETRYABLE.has(r.status) && r.batch_results?.failed.length).map((r) => [r.unique_id, r.batch_results!.failed]),
  );
  return {
    command,
    names,
    options: {
      ...options,
      projectDir,
      select: names,
      exclude: undefined,
      fullRefresh: options.fullRefresh || previous.args.full_refresh === true,
      threads: options.threads ?? previous.args.threads ?? undefined,
      target: options.target ?? previous.args.target,
      eventTimeStart: options.eventTimeStart ?? previous.args.event_time_start ?? undefined,
      eventTimeEnd: options.eventTimeEnd ?? previous.args.event_time_end ?? undefined,
      batchesToRetry,
      seedPaths: options.seedPaths ?? previous.args.seed_paths,
      // A slim CI run retried still reads its unbuilt parents from production.
      state: options.state ?? previous.args.state ?? undefined,
      defer: options.defer || previous.args.defer === true,
      favorState: options.favorState || previous.args.favor_state === true,
    },
  };
}

export async function retryLastRun(options: RunOptions, deps: RunDeps): Promise<RunOutcome | undefined> {
  const plan = planRetry(options);
  if (!plan) return undefined;
  deps.reporter.info(`retrying ${plan.names.length} node${plan.names.length === 1 ? '' : 's'} of the last "tspipe ${plan.command}": ${plan.names.join(', ')}`);
  return runNodes(plan.command, plan.options, deps);
}
