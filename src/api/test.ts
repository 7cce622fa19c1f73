/**
 * `tspipe test`: select tests (directly, or through the models they test), run
 * them in parallel up to --threads under the run lock, write run_results.json.
 * Exit code 1 when a test fails (severity error) or errors; warnings pass.
 */
import { openAdapter } from '../adapter/open-adapter.js';
import { executeTest, prepareFailureSchemas } from '../datatests/index.js';
import { buildPlan, type ExecutionPlan } from '../execute/plan.js';
import type { NodeResult, Reporter } from '../execute/reporter.js';
import { runScheduled } from '../execute/scheduler.js';
import type { IndirectSelection } from '../graph/index.js';
import type { TestNode } from '../parse/manifest.js';
import { artifactWriterFor, writeManifest, writeRunResults } from './artifacts.js';
import { loadProject, selectForCommand, type LoadedProject, type ProjectOptions } from './load-project.js';

export interface TestOptions extends ProjectOptions {
  select?: string[];
  exclude?: string[];
  /** How tests come along with selected models (dbt's --indirect-selection), default eager. */
  indirectSelection?: IndirectSelection;
  /** Store every selected test's failing rows, whatever its config says. */
  storeFailures?: boolean;
  failFast?: boolean;
  dryRun?: boolean;
  noWait?: boolean;
}

export interface TestDeps {
  reporter: Reporter;
  env?: NodeJS.ProcessEnv;
}

export interface TestRunOutcome {
  plan: ExecutionPlan;
  results: NodeResult[];
  exitCode: 0 | 1;
  elapsedSeconds: number;
  project: LoadedProject;
}

export async function runTests(options: TestOptions, deps: TestDeps): Promise<TestRunOutcome> {
  const started = performance.now();
  const { reporter } = deps;
  const project = loadProject(options, deps.env);
  const selection = selectForCommand(project, {
    select: options.select,
    exclude: options.exclude,
    resourceTypes: ['test'],
    indirectSelection: options.indirectSelection,
  });
  for (const selector of selection.unmatched) reporter.warn(`the selector "${selector}" matched no node`);
  const plan = buildPlan(project.manifest, selection.ordered, { threads: project.target.threads, fullRefresh: false, targetName: project.target.name });
  if (options.dryRun) return { plan, results: [], exitCode: 0, elapsedSeconds: 0, project };

  const writer = artifactWriterFor(project);
  writeManifest(project, writer);
  const tests = plan.nodes.map((n) => project.manifest.nodes[n.uniqueId] as TestNode);
  const context = { manifest: project.manifest, engine: project.parsed.engine, templates: project.parsed.templates };
  const adapter = await openAdapter(project.target.connection, {
    lockWait: !options.noWait,
    onLockWait: (holder) => reporter.info(`waiting for ${holder} to release the embedded database...`),
  });
  let results: NodeResult[] = [];
  try {
    const release = await adapter.acquireRunLock({
      wait: !options.noWait,
      onWait: (holder) => reporter.info(`another tspipe run is using this target (${holder}); waiting for it to finish...`),
    });
    try {
      await prepareFailureSchemas(adapter, tests, options.storeFailures || undefined);
      reporter.runStarted({ command: 'test', total: plan.nodes.length, threads: plan.threads, target: project.target.name, database: adapter.description });
      const byId = new Map(tests.map((t) => [t.uniqueId, t]));
      results = await runScheduled(
        plan,
        (node) =>
          executeTest(adapter, byId.get(node.uniqueId)!, context, {
            artifacts: writer,
            storeFailures: options.storeFailures || undefined,
            onRetry: (attempt, delayMs, error) => reporter.nodeRetrying({ node, attempt, delayMs, error: String((error as Error)?.message ?? error) }),
          }),
        {
          failFast: options.failFast,
          onStart: (node, index) => reporter.nodeStarted({ index, total: plan.nodes.length, node }),
          onFinish: (node, result, index) => reporter.nodeFinished({ index, total: plan.nodes.length, node, result }),
        },
      );
    } finally {
      await release();
    }
  } finally {
    await adapter.close();
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  writeRunResults(
    project,
    'test',
    results,
    elapsedSeconds,
    {
      select: options.select ?? [],
      exclude: options.exclude ?? [],
      indirect_selection: options.indirectSelection ?? 'eager',
      store_failures: options.storeFailures ?? false,
      threads: options.threads ?? null,
      target: project.target.name,
    },
    writer,
  );
  reporter.runFinished({ command: 'test', results, elapsedSeconds });
  const failed = results.some((r) => r.status === 'fail' || r.status === 'error' || r.status === 'skipped');
  return { plan, results, exitCode: failed ? 1 : 0, elapsedSeconds, project };
}
