/**
 * `tspipe run`, `seed` and (with tests) `build`: select, plan, then execute the
 * plan against the target, each written relation under its lock, writing the artifacts.
 */
import { resolve } from 'node:path';
import { openAdapter } from '../adapter/open-adapter.js';
import { quoteIdentifier, type DbAdapter, type RunLocks } from '../contract/index.js';
import { executeModel, finished, type AuditHook, type ModelRunContext } from '../execute/execute-model.js';
import { executeMicrobatch } from '../execute/execute-microbatch.js';
import { parseTimestamp } from '../config/microbatch-config.js';
import { readEventTimeFlags, relationConfigSteps } from '../materialize/index.js';
import { hooksOf, runHooks } from '../execute/node-hooks.js';
import { runProjectHooks } from './run-hooks.js';
import { unitTestDatabases, type UnitTestDatabases } from './unit-test-database.js';
import { renderForNode } from '../compile/compile-model.js';
import { WarehouseSession } from '../context/warehouse.js';
import { auditHook, executeTest, outcomeFields, prepareFailureSchemas, storesFailures } from '../datatests/index.js';
import { gateOnTests } from '../execute/test-gates.js';
import type { ModelNode, SeedNode, TestNode } from '../parse/manifest.js';
import { buildPlan, type ExecutionPlan, type PlannedNode } from '../execute/plan.js';
import type { NodeResult, Reporter } from '../execute/reporter.js';
import { runScheduled } from '../execute/scheduler.js';
import { describeSeedLoad, loadSeed } from '../ingest/load-seed.js';
import { type DatabaseError, type TspipeError, formatError } from '../errors.js';
import { artifactWriterFor, writeManifestReusing, writeRunResults } from './artifacts.js';
import { cleanLeftoversOf } from './clean-leftovers.js';
import { Relation } from '../compile/relation.js';
import { closeOnSignal } from './close-on-signal.js';
import { cachesEnabled, loadProject, selectForCommand, selectResources, type LoadedProject, type ProjectOptions } from './load-project.js';
import type { IndirectSelection } from '../graph/index.js';
import { deferToState, readState, stateLookup, type StateOptions } from './state.js';

export interface RunOptions extends ProjectOptions, StateOptions {
  select?: string[];
  exclude?: string[];
  fullRefresh?: boolean;
  failFast?: boolean;
  dryRun?: boolean;
  /** Fail at once when another run is writing a relation this one writes, instead of waiting. */
  noWait?: boolean;
  /** How tests come along with selected models (dbt's --indirect-selection), default eager. */
  indirectSelection?: IndirectSelection;
  /** Run unit tests on the target database instead of an embedded scratch one. */
  unitTestTarget?: boolean;
  /** --event-time-start/--event-time-end (ISO dates or timestamps): the window microbatch models run. */
  eventTimeStart?: string;
  eventTimeEnd?: string;
  /** Set by `tspipe retry`: per microbatch model, the batches that failed last time. */
  batchesToRetry?: Record<string, [string, string][]>;
  /** The clock microbatch windows count from (tests pin it). */
  now?: () => Date;
}

export interface RunDeps {
  reporter: Reporter;
  env?: NodeJS.ProcessEnv;
  audit?: AuditHook;
}

export interface RunOutcome {
  plan: ExecutionPlan;
  results: NodeResult[];
  exitCode: 0 | 1;
  elapsedSeconds: number;
  project: LoadedProject;
}

export const COMMAND_RESOURCE_TYPES = {
  run: ['model'],
  seed: ['seed'],
  snapshot: ['snapshot'],
  test: ['test'],
  build: ['seed', 'snapshot', 'model', 'test'],
} as const;
export type RunCommandName = keyof typeof COMMAND_RESOURCE_TYPES;

export async function runNodes(command: RunCommandName, options: RunOptions, deps: RunDeps): Promise<RunOutcome> {
  const started = performance.now();
  const { reporter } = deps;
  const project = loadProject(
    {
      ...options,
      command,
      onLog: (line) => {
        if (line.level === 'warn') reporter.warn(line.message);
        else if (line.terminal) reporter.info(line.message);
      },
    },
    deps.env,
  );
  for (const warning of project.warnings) reporter.warn(formatError(warning));
  const state = readState(options, project.config.projectDir);
  const selection = selectForCommand(project, {
    select: options.select,
    exclude: options.exclude,
    resourceTypes: [...COMMAND_RESOURCE_TYPES[command]],
    indirectSelection: options.indirectSelection,
    state: state && stateLookup(project, state),
  });
  for (const selector of selection.unmatched) reporter.warn(`the selector "${selector}" matched no node`);
  readEventTimeFlags(options.eventTimeStart, options.eventTimeEnd); // a usage error before any work
  const basePlan = buildPlan(project.manifest, selection.ordered, {
    threads: project.target.threads,
    fullRefresh: options.fullRefresh ?? false,
    targetName: project.target.name,
  });
  const unitTestOf = (id: string) => {
    const node = project.manifest.nodes[id];
    return node?.resourceType === 'test' && node.testType === 'unit' ? node.attachedNode : undefined;
  };
  const plan = command === 'build' ? gateOnTests(basePlan, (id) => project.manifest.nodes[id]?.dependsOn ?? [], unitTestOf) : basePlan;
  if (options.dryRun) return { plan, results: [], exitCode: 0, elapsedSeconds: 0, project };
  selectResources(
    project,
    plan.nodes.map((n) => n.uniqueId),
  );

  // Connecting (driver import, connection set-up) overlaps writing the manifest.
  const opening = openAdapter(project.target.connection, {
    lockWait: !options.noWait,
    onLockWait: (holder) => reporter.info(`waiting for ${holder} to release the embedded database...`),
    runLockSession: true,
  });
  const writer = artifactWriterFor(project);
  try {
    writeManifestReusing(project, writer, cachesEnabled(options));
  } catch (error) {
    opening.then(
      (adapter) => adapter.close(),
      () => undefined,
    );
    throw error;
  }
  const adapter = await opening;
  const stopListening = closeOnSignal(adapter, (signal) => reporter.warn(`${signal}: stopping; the nodes still running are rolled back`));
  let results: NodeResult[] = [];
  try {
    const locks = await adapter.acquireRunLocks({
      wait: !options.noWait,
      onWait: (holder, what) => reporter.info(`waiting for lock on ${what} held by ${holder}...`),
      onLost: (reason) => reporter.warn(`lost the lock connection to the database (${reason}): the nodes running now finish, no new node starts`),
    });
    try {
      if (state && options.defer) {
        const deferred = await deferToState(adapter, project, state, selection.selected, options.favorState ?? false);
        if (deferred.length)
          reporter.info(`deferring ${deferred.length} unselected node${deferred.length === 1 ? '' : 's'} to the relations of --state ${options.state}`);
      }
      const schemas = await prepareSchemas(adapter, project, plan, options.storeFailures);
      const startHooks = await runProjectHooks('on-run-start', project, adapter, { schemas });
      if (startHooks) reporter.info(`ran ${startHooks} on-run-start hook${startHooks === 1 ? '' : 's'}`);
      reporter.runStarted({ command, total: plan.nodes.length, threads: plan.threads, target: project.target.name, database: adapter.description });
      // build: write-audit-publish; the audits' outcomes stand as those tests' results.
      const audited = new Map<string, NodeResult>();
      const planned = new Set(plan.nodes.map((n) => n.uniqueId));
      const audit =
        deps.audit ??
        (command === 'build'
          ? auditHook(
              {
                manifest: project.manifest,
                engine: project.parsed.engine,
                templates: project.parsed.templates,
                artifacts: writer,
                storeFailuresFlag: options.storeFailures,
              },
              (_model, outcomes) => {
                // Reported when the scheduler reaches the test, with the time it took inside the build.
                const now = new Date();
                for (const outcome of outcomes) {
                  audited.set(
                    outcome.uniqueId,
                    finished({ uniqueId: outcome.uniqueId }, outcome.ran?.startedAt ?? now, outcomeFields(outcome), outcome.ran?.completedAt ?? now),
                  );
                }
              },
              (test) => planned.has(test.uniqueId),
            )
          : undefined);
      const unitTests = unitTestDatabases(project.config.projectDir, adapter, options.unitTestTarget ?? false);
      // The embedded scratch database starts (a second or two) while the first nodes run.
      if (plan.nodes.some((n) => unitTestOf(n.uniqueId) !== undefined)) unitTests.get().catch(() => undefined);
      try {
        results = await runScheduled(plan, (node) => runOne(node, project, adapter, writer, options, { ...deps, audit, unitTests, locks }), {
          failFast: options.failFast,
          settle: (node) => audited.get(node.uniqueId),
          onStart: (node, index) => reporter.nodeStarted({ index, total: plan.nodes.length, node }),
          onFinish: (node, result, index) => reporter.nodeFinished({ index, total: plan.nodes.length, node, result }),
        });
      } finally {
        await unitTests.close();
      }
      const endHooks = await runProjectHooks('on-run-end', project, adapter, { schemas, results });
      if (endHooks) reporter.info(`ran ${endHooks} on-run-end hook${endHooks === 1 ? '' : 's'}`);
    } finally {
      await locks.release();
    }
  } finally {
    stopListening();
    await adapter.close();
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  writeRunResults(
    project,
    command,
    results,
    elapsedSeconds,
    {
      select: options.select ?? [],
      exclude: options.exclude ?? [],
      full_refresh: options.fullRefresh ?? false,
      event_time_start: options.eventTimeStart ?? null,
      event_time_end: options.eventTimeEnd ?? null,
      indirect_selection: options.indirectSelection ?? 'eager',
      store_failures: options.storeFailures ?? false,
      threads: options.threads ?? null,
      target: project.target.name,
      // Absolute, so tspipe retry loads the same seeds from any folder.
      ...(options.seedPaths?.length ? { seed_paths: project.config.seedPaths.map((p) => resolve(project.config.projectDir, p)) } : {}),
      state: options.state ?? null,
      defer: options.defer ?? false,
      favor_state: options.favorState ?? false,
    },
    adapter.description,
    writer,
  );
  reporter.runFinished({ command, results, elapsedSeconds });
  const failed = results.some((r) => r.status === 'error' || r.status === 'fail' || r.status === 'skipped' || r.status === 'partial success');
  return { plan, results, exitCode: failed ? 1 : 0, elapsedSeconds, project };
}

async function runOne(
  planned: PlannedNode,
  project: LoadedProject,
  adapter: DbAdapter,
  writer: ReturnType<typeof artifactWriterFor>,
  options: RunOptions,
  deps: RunDeps & { unitTests?: UnitTestDatabases; locks: RunLocks },
): Promise<NodeResult> {
  const node = project.manifest.nodes[planned.uniqueId]!;
  // A test writes only when it stores its failing rows (in its own relation, replaced each time).
  const writesNothing =
    (node.resourceType === 'test' && !storesFailures(node, options.storeFailures)) ||
    (node.resourceType === 'model' && node.config.materialized === 'ephemeral');
  if (writesNothing) return runNode(planned, project, adapter, writer, options, deps);
  // The relation this node writes is locked from just before writing until the node is done.
  const startedAt = new Date();
  let unlock: () => Promise<void>;
  try {
    unlock = await deps.locks.lockRelation({ schema: node.relation.schema, name: node.relation.identifier });
  } catch (error) {
    const err = error as TspipeError;
    return finished(node, startedAt, { status: 'error', message: err.message, where: node.originalFilePath, hint: err.hint, attempts: 1 });
  }
  try {
    // A failure here shows again, retried and explained, in the node's own statements.
    await cleanLeftoversOf(adapter, new Relation(node.relation.schema, node.relation.identifier)).catch(() => undefined);
    return await runNode(planned, project, adapter, writer, options, deps);
  } finally {
    await unlock();
  }
}

async function runNode(
  planned: PlannedNode,
  project: LoadedProject,
  adapter: DbAdapter,
  writer: ReturnType<typeof artifactWriterFor>,
  options: RunOptions,
  deps: RunDeps & { unitTests?: UnitTestDatabases },
): Promise<NodeResult> {
  const node = project.manifest.nodes[planned.uniqueId]!;
  if (node.resourceType === 'seed') {
    const startedAt = new Date();
    try {
      // A seed's hooks run around its load, each on its own (the load commits by itself).
      const context = { manifest: project.manifest, engine: project.parsed.engine, templates: project.parsed.templates };
      const render = (sql: string) => renderForNode(node, context, sql, new WarehouseSession(adapter));
      await runHooks(hooksOf(node.config, 'pre'), render, adapter);
      const loaded = await loadSeed(adapter, node, project.config.projectDir, { fullRefresh: options.fullRefresh ?? false });
      // grants, as dbt applies them to seeds too (dbt-postgres indexes only models).
      for (const step of relationConfigSteps(node.config, Relation.of(node.relation), false, node.originalFilePath)) await adapter.exec(step.sql);
      await runHooks(hooksOf(node.config, 'post'), render, adapter);
      return finished(node, startedAt, { status: 'success', ...describeSeedLoad(loaded), rowsAffected: loaded.rows, attempts: 1 });
    } catch (error) {
      const err = error as TspipeError;
      return finished(node, startedAt, { status: 'error', message: err.message, where: err.where || node.originalFilePath, hint: err.hint, attempts: 1 });
    }
  }
  if (node.resourceType === 'test') {
    return executeTest(
      adapter,
      node,
      { manifest: project.manifest, engine: project.parsed.engine, templates: project.parsed.templates },
      {
        artifacts: writer,
        storeFailuresFlag: options.storeFailures,
        unitTestDatabase: deps.unitTests?.get,
        onRetry: (attempt, delayMs, error) =>
          deps.reporter.nodeRetrying({ node: planned, attempt, delayMs, error: String((error as Error)?.message ?? error) }),
      },
    );
  }
  const modelRun: ModelRunContext = {
    adapter,
    compile: { manifest: project.manifest, engine: project.parsed.engine, templates: project.parsed.templates },
    artifacts: writer,
    fullRefresh: options.fullRefresh ?? false,
    audit: deps.audit,
    onRetry: (attempt, delayMs, error) => deps.reporter.nodeRetrying({ node: planned, attempt, delayMs, error: String((error as Error)?.message ?? error) }),
    eventTime: readEventTimeFlags(options.eventTimeStart, options.eventTimeEnd),
    batchesToRetry: (id) => options.batchesToRetry?.[id]?.map(([start, end]) => ({ start: parseTimestamp(start)!, end: parseTimestamp(end)! })),
    now: options.now,
  };
  const microbatch = node.config.materialized === 'incremental' && node.config.incremental_strategy === 'microbatch';
  // A snapshot compiles and runs like a model; its materialization is `snapshot` (materialize/snapshot.ts).
  return microbatch ? executeMicrobatch(node as ModelNode, modelRun) : executeModel(node as ModelNode, modelRun);
}

/** Schemas are created once, before parallel work, so two models never race to create one. */
async function prepareSchemas(adapter: DbAdapter, project: LoadedProject, plan: ExecutionPlan, storeFailuresFlag?: boolean): Promise<string[]> {
  const nodes = plan.nodes.map((n) => project.manifest.nodes[n.uniqueId]!);
  const tests = nodes.filter((n): n is TestNode => n.resourceType === 'test');
  if (tests.length) await prepareFailureSchemas(adapter, tests, storeFailuresFlag);
  const built = nodes.filter((n) => n.resourceType !== 'test') as (ModelNode | SeedNode)[];
  const schemas = [...new Set(built.map((n) => n.relation.schema))].sort();
  for (const schema of schemas) await createSchema(adapter, schema);
  return schemas;
}

/** Two runs creating one schema at once: the loser's "if not exists" check raced, and the schema is there. */
async function createSchema(adapter: DbAdapter, schema: string): Promise<void> {
  try {
    await adapter.exec(`create schema if not exists ${quoteIdentifier(schema)}`);
  } catch (error) {
    const code = (error as DatabaseError).code;
    if (code !== '23505' && code !== '42P06') throw error;
  }
}
