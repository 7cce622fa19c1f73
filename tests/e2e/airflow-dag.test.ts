/**
 * The generated DAG file under a real Apache Airflow 3 (the venv of airflow/setup.sh).
 * First with a stand-in tspipe command that logs its calls and fails when a marker
 * file says so, so Airflow's own behaviour is what is tested: parsing, edges,
 * templating, retries, upstream_failed, clearing and resuming a run. Then the
 * pipeline's own DAG, written by `tspipe airflow` and run by the real CLI against
 * PostgreSQL, compared with `tspipe build`, with the same failures and recovery.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdapter } from '../../src/adapter/open-adapter.js';
import { airflowDagInput } from '../../src/api/airflow.js';
import { generate } from '../../src/api/generate.js';
import type { ListedNode } from '../../src/api/list-nodes.js';
import { loadProject } from '../../src/api/load-project.js';
import { emitAirflowDag, planAirflowTasks, type AirflowDagInput, type AirflowDagNode } from '../../src/emit/airflow-dag.js';
import { airflow, createAirflowHome, REPO_ROOT, waitFor, writeExecutable, type AirflowHome } from '../support/airflow.js';
import { runCli, TSPIPE_BIN } from '../support/cli.js';
import { TEST_DATABASES, type CreatedDatabase } from '../support/databases.js';
import { pipelineProjectFiles } from '../support/pipeline-files.js';

/** Two seeds, a fan-in, tests on two models; `raw_orders` contains `orders` on purpose (see the clear test). */
const SHOP: AirflowDagNode[] = [
  { uniqueId: 'seed.shop.raw_customers', name: 'raw_customers', resourceType: 'seed', dependsOn: [] },
  { uniqueId: 'seed.shop.raw_orders', name: 'raw_orders', resourceType: 'seed', dependsOn: [] },
  { uniqueId: 'model.shop.customers', name: 'customers', resourceType: 'model', dependsOn: ['seed.shop.raw_customers'] },
  { uniqueId: 'model.shop.orders', name: 'orders', resourceType: 'model', dependsOn: ['seed.shop.raw_orders'] },
  {
    uniqueId: 'model.shop.customer_orders',
    name: 'customer_orders',
    resourceType: 'model',
    dependsOn: ['model.shop.customers', 'model.shop.orders'],
  },
  {
    uniqueId: 'test.shop.not_null_orders_id',
    name: 'not_null_orders_id',
    resourceType: 'test',
    dependsOn: ['model.shop.orders'],
    attachedNode: 'model.shop.orders',
  },
  {
    uniqueId: 'test.shop.unique_customer_orders_customer_id',
    name: 'unique_customer_orders_customer_id',
    resourceType: 'test',
    dependsOn: ['model.shop.customer_orders'],
    attachedNode: 'model.shop.customer_orders',
  },
];

function shopDag(projectName: string, overrides: Partial<AirflowDagInput> = {}): AirflowDagInput {
  return {
    projectName,
    schedule: null,
    maxActiveTasks: 2,
    retries: 1,
    retryDelaySeconds: 1,
    tags: ['tspipe', 'e2e'],
    description: 'The shop pipeline, run by a stand-in tspipe.',
    testBehavior: 'after_each',
    nodes: SHOP,
    ...overrides,
  };
}

/** Logs `dag task try verb node url=set|unset args...` per call; fails on fail.<dag>.<node> or once on fail-once.<dag>.<node>. */
const STAND_IN = `#!/usr/bin/env bash
set -u
verb=$1; shift
node=all
[ "\${1:-}" = --select ] && node=$2
key="$AIRFLOW_CTX_DAG_ID.$node"
url=unset; [ -n "\${TSPIPE_DATABASE_URL:-}" ] && url=set
echo "$AIRFLOW_CTX_DAG_ID $AIRFLOW_CTX_TASK_ID $AIRFLOW_CTX_TRY_NUMBER $verb $node url=$url args=$*" >> calls.log
echo "tspipe stand-in: $verb $node on \${TSPIPE_DATABASE_URL:-no database}"
if [ -e "fail-once.$key" ]; then rm "fail-once.$key"; echo "failing once" >&2; exit 1; fi
if [ -e "fail.$key" ]; then echo "failing" >&2; exit 1; fi
exit 0
`;

const DATABASE_URL = 'postgres://airflow_user:s3cret-pw@127.0.0.1:5432/test';

interface Call {
  dag: string;
  task: string;
  tryNumber: number;
  verb: string;
  node: string;
  url: string;
  args: string;
}

interface DagBagReport {
  import_errors: Record<string, string>;
  dags: Record<
    string,
    {
      tasks: string[];
      edges: [string, string][];
      retries: Record<string, number>;
      operators: string[];
      bash_commands: Record<string, string>;
      schedule: string | null;
      catchup: boolean;
      max_active_tasks: number;
      max_active_runs: number;
      tags: string[];
      params: Record<string, unknown>;
      defaults: { project_dir: string; command: string; target: string } | null;
    }
  >;
}

interface ImportTiming {
  import_errors: object;
  tasks: number;
  cold_seconds: number;
  cold_cpu_seconds: number;
  warm_seconds: number;
  warm_cpu_seconds: number;
}

interface RunStates {
  runs: { run_id: string; state: string; logical_date: string; tasks: Record<string, { state: string | null; try_number: number }> }[];
}

const skipNote = airflow.available ? '' : ` (skipped: ${airflow.skipReason})`;

describe.skipIf(!airflow.available)(`generated DAG under a real Airflow, stand-in tspipe command${skipNote}`, () => {
  let af: AirflowHome;
  let project: string;

  const calls = async (dag: string): Promise<Call[]> => {
    const text = await readFile(join(project, 'calls.log'), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line.startsWith(`${dag} `))
      .map((line) => {
        const [d, task, tryNumber, verb, node, url, ...args] = line.split(' ');
        return { dag: d, task, tryNumber: Number(tryNumber), verb, node, url: url.replace(/^url=/, ''), args: args.join(' ').replace(/^args=/, '') };
      });
  };
  const states = async (dag: string) => (await af.script<RunStates>('run_states.py', [dag])).runs;
  const writeDag = (input: AirflowDagInput, dir = af.dagsDir) => writeFile(join(dir, `${input.projectName}.py`), emitAirflowDag(input));

  beforeAll(async () => {
    af = await createAirflowHome();
    project = join(af.home, 'project');
    await writeExecutable(join(af.home, 'fake-tspipe'), STAND_IN);
    await mkdir(project);
    // Airflow Variables, as an operator of a cluster would set them.
    const variables = join(af.home, 'variables.json');
    await writeFile(
      variables,
      JSON.stringify({
        tspipe_project_dir: project,
        tspipe_command: join(af.home, 'fake-tspipe'),
        tspipe_target: 'airflow_e2e',
        tspipe_database_url: DATABASE_URL,
      }),
    );
    const imported = await af.cli(['variables', 'import', variables]);
    expect(imported.code, imported.stderr).toBe(0);
  }, 300_000);

  afterAll(async () => {
    await af?.cleanup();
  });

  it('loads in a DagBag with no import errors; task ids and edges equal the graph', async () => {
    // Outside the dags folder: this @daily DAG must not be picked up by the scheduler later.
    const input = shopDag('shop_load', { schedule: '@daily', retries: 3, maxActiveTasks: 4 });
    await writeDag(input, af.home);
    const report = await af.script<DagBagReport>('dagbag_report.py', [join(af.home, 'shop_load.py')]);
    expect(report.import_errors).toEqual({});
    const dag = report.dags.shop_load;
    const plan = planAirflowTasks(input.nodes, input.testBehavior);
    expect(dag.tasks).toEqual(plan.tasks.map((t) => t.taskId));
    expect(dag.edges).toEqual(plan.edges);
    expect(dag.operators).toEqual(['airflow.providers.standard.operators.bash.BashOperator']);
    expect(dag.retries).toEqual(Object.fromEntries(plan.tasks.map((t) => [t.taskId, t.verb === 'test' ? 0 : 3])));
    // @daily on CronDataIntervalTimetable (one-day data intervals), which reads back expanded.
    expect(dag).toMatchObject({ schedule: '0 0 * * *', timetable: 'CronDataIntervalTimetable', catchup: false, max_active_tasks: 4, max_active_runs: 1 });
    expect(dag.params).toEqual({ full_refresh: false });
    expect(dag.tags).toEqual(['e2e', 'tspipe']);
    for (const command of Object.values(dag.bash_commands)) expect(command).not.toMatch(/database_url|DATABASE_URL/);
  });

  it("runs the project's own tspipe with node, not npx, unless the project has none", async () => {
    // The committed DAG sits in the tspipe package (the gaming pipeline): its tasks run bin/tspipe.js.
    const committed = await af.script<DagBagReport>('dagbag_report.py', [join(REPO_ROOT, 'airflow', 'dags', 'gaming_kpis.py')]);
    expect(committed.import_errors).toEqual({});
    expect(committed.dags.gaming_kpis.defaults).toMatchObject({ project_dir: REPO_ROOT, command: `node ${join(REPO_ROOT, 'bin', 'tspipe.js')}` });
    // A project folder with node_modules/tspipe (an npm dependency) runs that; one without falls back to npx.
    const dir = await mkdtemp(join(tmpdir(), 'tspipe-own-bin-'));
    try {
      await mkdir(join(dir, 'airflow', 'dags'), { recursive: true });
      await writeFile(join(dir, 'airflow', 'dags', 'shop_bin.py'), emitAirflowDag(shopDag('shop_bin')));
      const dagFile = join(dir, 'airflow', 'dags', 'shop_bin.py');
      expect((await af.script<DagBagReport>('dagbag_report.py', [dagFile])).dags.shop_bin.defaults?.command).toBe('npx tspipe');
      await mkdir(join(dir, 'node_modules', 'tspipe', 'bin'), { recursive: true });
      await writeFile(join(dir, 'node_modules', 'tspipe', 'bin', 'tspipe.js'), '');
      expect((await af.script<DagBagReport>('dagbag_report.py', [dagFile])).dags.shop_bin.defaults?.command).toBe(
        `node ${join(dir, 'node_modules', 'tspipe', 'bin', 'tspipe.js')}`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs with `airflow dags test`; a task failing on its first try is retried and the run succeeds', async () => {
    const input = shopDag('shop_retry');
    await writeDag(input);
    await writeFile(join(project, 'fail-once.shop_retry.orders'), '');
    const result = await af.cli(['dags', 'test', 'shop_retry', '2024-01-01T00:00:00+00:00', '-c', '{"full_refresh": true}']);
    expect(result.code, result.stdout.slice(-3000)).toBe(0);

    const [run] = await states('shop_retry');
    expect(run.state).toBe('success');
    const plan = planAirflowTasks(input.nodes, input.testBehavior);
    for (const task of plan.tasks) expect(run.tasks[task.taskId]?.state, task.taskId).toBe('success');
    expect(run.tasks.orders.try_number).toBe(2);

    const log = await calls('shop_retry');
    const tries = (task: string) => log.filter((c) => c.task === task).map((c) => c.tryNumber);
    expect(tries('orders')).toEqual([1, 2]);
    for (const task of plan.tasks.filter((t) => t.taskId !== 'orders')) expect(tries(task.taskId), task.taskId).toEqual([1]);
    // Every task started after its upstream tasks' last try.
    const first = (task: string) => log.findIndex((c) => c.task === task);
    const last = (task: string) => log.map((c) => c.task).lastIndexOf(task);
    for (const [up, down] of plan.edges) expect(first(down), `${up} >> ${down}`).toBeGreaterThan(last(up));
    // Variables reached the command line; the URL only the environment.
    const orders = log.find((c) => c.task === 'orders')!;
    expect(orders).toMatchObject({ verb: 'run', node: 'orders', url: 'set', args: '--select orders --target airflow_e2e --full-refresh' });
    // A test task selects its tests by name, not the model (which would pull in other models' tests).
    expect(log.find((c) => c.task === 'test_orders')).toMatchObject({ verb: 'test', args: '--select not_null_orders_id --target airflow_e2e' });
    expect(log.find((c) => c.task === 'raw_orders')).toMatchObject({ verb: 'seed', node: 'raw_orders' });
  }, 300_000);

  it("build: a node's tests run in its task (by name, no others); a failing one stops what is downstream, after its retries", async () => {
    const input = shopDag('shop_build', { testBehavior: 'build' });
    await writeDag(input);
    await writeFile(join(project, 'fail.shop_build.orders'), '');
    const result = await af.cli(['dags', 'test', 'shop_build', '2024-01-01T00:00:00+00:00']);
    expect(result.code).not.toBe(0);
    const [run] = await states('shop_build');
    expect(stateMap(run.tasks)).toEqual({
      customer_orders: 'upstream_failed',
      customers: 'success',
      orders: 'failed',
      raw_customers: 'success',
      raw_orders: 'success',
    });
    // A build task keeps the node's retries: a lost connection is worth another try.
    expect(run.tasks.orders.try_number).toBe(2);
    const orders = (await calls('shop_build')).filter((c) => c.task === 'orders');
    expect(orders.map((c) => [c.tryNumber, c.verb, c.args])).toEqual([
      [1, 'build', '--select orders not_null_orders_id --indirect-selection empty --target airflow_e2e'],
      [2, 'build', '--select orders not_null_orders_id --indirect-selection empty --target airflow_e2e'],
    ]);
  }, 300_000);

  describe('recovery: a task that keeps failing, fixed, then cleared', () => {
    const logicalDate = '2024-01-02T00:00:00+00:00';
    const rerun = ['customer_orders', 'orders', 'test_customer_orders', 'test_orders'];

    it('marks its downstream tasks upstream_failed while independent branches succeed', async () => {
      await writeDag(shopDag('shop_recover'));
      await writeFile(join(project, 'fail.shop_recover.orders'), '');
      const result = await af.cli(['dags', 'test', 'shop_recover', logicalDate]);
      expect(result.code).not.toBe(0);

      const [run] = await states('shop_recover');
      expect(run.state).toBe('failed');
      expect(stateMap(run.tasks)).toEqual({
        customer_orders: 'upstream_failed',
        customers: 'success',
        orders: 'failed',
        raw_customers: 'success',
        raw_orders: 'success',
        test_customer_orders: 'upstream_failed',
        test_orders: 'upstream_failed',
      });
      expect(run.tasks.orders.try_number).toBe(2);
    }, 300_000);

    it('clearing it after the fix completes the same run without re-running what succeeded', async () => {
      await rm(join(project, 'fail.shop_recover.orders'));
      const before = (await calls('shop_recover')).length;
      // -t is a substring match in Airflow 3.3 (apache/airflow#72941): -f keeps the
      // succeeded raw_orders out; -s/-e keep other runs out.
      const cleared = await af.cli(['tasks', 'clear', 'shop_recover', '-t', 'orders', '-d', '-f', '-s', logicalDate, '-e', logicalDate, '-y']);
      expect(cleared.code, cleared.stderr).toBe(0);
      const [queued] = await states('shop_recover');
      expect(queued.state).toBe('queued');
      expect(rerun.map((t) => queued.tasks[t].state)).toEqual([null, null, null, null]);

      const scheduler = await af.startScheduler();
      try {
        await waitFor(async () => ['success', 'failed'].includes((await states('shop_recover'))[0].state), 240_000, 2000);
      } finally {
        await scheduler.stop();
      }
      const runs = await states('shop_recover');
      expect(runs).toHaveLength(1);
      expect(runs[0].run_id).toBe(queued.run_id);
      expect(runs[0].state).toBe('success');
      expect(Object.values(stateMap(runs[0].tasks)).every((s) => s === 'success')).toBe(true);
      const after = (await calls('shop_recover')).slice(before);
      expect(after.map((c) => c.task).sort()).toEqual(rerun);

      // Under the scheduler, task logs go to files, and the database URL is masked there.
      const logDir = join(af.home, 'logs', 'dag_id=shop_recover', `run_id=${queued.run_id}`, 'task_id=orders');
      const attempts = (await readdir(logDir)).sort();
      const text = await readFile(join(logDir, attempts[attempts.length - 1]), 'utf8');
      expect(text).toContain('tspipe stand-in: run orders on ***');
      expect(text).not.toContain('s3cret-pw');
    }, 400_000);
  });

  it('imports the DAG of a 1,000-model project in under a second', async () => {
    const input = shopDag('bench_1000', { nodes: syntheticGraph(50, 1000), schedule: '@daily' });
    await writeDag(input, af.home);
    const timing = await af.script<ImportTiming>('import_time.py', [join(af.home, 'bench_1000.py')]);
    const seconds = (n: number) => `${n.toFixed(3)} s`;
    console.log(
      `DAG import, ${timing.tasks} tasks: first parse ${seconds(timing.cold_seconds)} (CPU ${seconds(timing.cold_cpu_seconds)}), ` +
        `later parses ${seconds(timing.warm_seconds)} (CPU ${seconds(timing.warm_cpu_seconds)})`,
    );
    expect(timing.import_errors).toEqual({});
    expect(timing.tasks).toBe(50 + 1000 + 500);
    // CPU time: other test files share the two cores, which inflates wall time only.
    expect(timing.cold_cpu_seconds).toBeLessThan(1);
  }, 120_000);
});

function stateMap(tasks: RunStates['runs'][number]['tasks']): Record<string, string | null> {
  return Object.fromEntries(Object.entries(tasks).map(([task, ti]) => [task, ti.state]));
}

/** Seeds, then models each reading one to three earlier nodes, and a test on every other model. */
function syntheticGraph(seeds: number, models: number): AirflowDagNode[] {
  let state = 42;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const nodes: AirflowDagNode[] = [];
  for (let i = 0; i < seeds; i++) nodes.push({ uniqueId: `seed.big.seed_${i}`, name: `seed_${i}`, resourceType: 'seed', dependsOn: [] });
  for (let i = 0; i < models; i++) {
    const deps = new Set<string>();
    for (let k = 1 + Math.floor(random() * 3); k > 0; k--) deps.add(nodes[Math.floor(random() * nodes.length)].uniqueId);
    nodes.push({ uniqueId: `model.big.model_${i}`, name: `model_${i}`, resourceType: 'model', dependsOn: [...deps] });
  }
  for (let i = 0; i < models; i += 2) {
    const model = `model.big.model_${i}`;
    nodes.push({ uniqueId: `test.big.not_null_model_${i}`, name: `not_null_model_${i}`, resourceType: 'test', dependsOn: [model], attachedNode: model });
  }
  return nodes;
}

// ---- The pipeline's own DAG, written and run by the real tspipe CLI ------------------

const postgres = TEST_DATABASES.find((d) => d.name === 'postgres')!;
const realSkip = !airflow.available ? airflow.skipReason : !postgres.available ? `no PostgreSQL: ${postgres.skipReason}` : '';

/** Fails on its first execution in a database holding this sequence (nextval is not rolled back), then passes. */
const FLAKY_SEQUENCE = 'tspipe_e2e.flaky_attempts';
const failsOnFirstTry = (sql: string) =>
  `select model.* from (\n${sql}\n) as model\n` + `where coalesce((select 1 / (nextval(to_regclass('${FLAKY_SEQUENCE}')) - 1)), 1) is not null\n`;
/** A bug: a column that does not exist. */
const broken = (sql: string) => `select model.* from (\n${sql}\n) as model\nwhere model.no_such_column is null\n`;

interface TableCounts {
  [table: string]: number;
}

/** The lines `airflow dags test` printed while one task's tspipe command ran (tasks log to its output in that mode). */
function taskLog(stdout: string, taskId: string): string {
  const lines: string[] = [];
  let current = '';
  for (const line of stdout.split('\n')) {
    const started = line.match(/Running command: .* (?:seed|run|snapshot|test|build) --select (\w+)/);
    if (started) current = started[1];
    if (current === taskId) lines.push(line);
  }
  return lines.join('\n');
}

async function kpiRowCounts(url: string): Promise<TableCounts> {
  const db = await openAdapter({ kind: 'postgres', url, maxConnections: 1 });
  try {
    const tables = await db.query<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'kpi' order by 1");
    const counts: TableCounts = {};
    for (const { name } of tables.rows) {
      counts[name] = Number((await db.query<{ n: string }>(`select count(*) as n from kpi."${name.replace(/"/g, '""')}"`)).rows[0].n);
    }
    return counts;
  } finally {
    await db.close();
  }
}

async function sql<Row>(url: string, text: string): Promise<Row[]> {
  const db = await openAdapter({ kind: 'postgres', url, maxConnections: 1 });
  try {
    return (await db.query<Row & Record<string, unknown>>(text)).rows;
  } finally {
    await db.close();
  }
}

async function exec(url: string, text: string): Promise<void> {
  const db = await openAdapter({ kind: 'postgres', url, maxConnections: 1 });
  await db.exec(text).finally(() => db.close());
}

describe.skipIf(realSkip !== '')(`the pipeline's DAG under a real Airflow, real tspipe CLI on PostgreSQL${realSkip ? ` (skipped: ${realSkip})` : ''}`, () => {
  const dagId = 'gaming_kpis';
  let af: AirflowHome;
  let dir: string;
  let airflowDb: CreatedDatabase;
  let buildDb: CreatedDatabase;
  let built: TableCounts;
  let input: AirflowDagInput;
  const states = async () => (await af.script<RunStates>('run_states.py', [dagId])).runs;
  // Logical dates are written as run_states.py prints them.
  const runOf = async (logicalDate: string) => (await states()).find((r) => r.logical_date === logicalDate)!;
  const tspipe = (args: string[]) => runCli(args, { cwd: dir, env: { TSPIPE_DATABASE_URL: '' } });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tspipe-airflow-pipeline-'));
    const files = pipelineProjectFiles();
    // Retries as the project has them (2), a short delay so the test stays quick.
    files['project.yml'] = files['project.yml'].replace(/retry_delay_seconds: \d+/, 'retry_delay_seconds: 1');
    files['models/clean/clean_sessions.sql'] = failsOnFirstTry(files['models/clean/clean_sessions.sql']);
    for (const [file, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), text);
    }
    await generate({ out: join(dir, 'seeds'), users: 200, games: 10, events: 3000, seed: 5 });

    // No scheduled runs: only the runs the tests make (the DAG keeps its @daily schedule).
    [af, airflowDb, buildDb] = await Promise.all([createAirflowHome({ AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE: 'False' }), postgres.create(), postgres.create()]);
    // The reference: `tspipe build` of the same project into its own database (no sequence: nothing fails).
    const build = await tspipe(['build', '--database-url', buildDb.url!]);
    expect(build.code, build.stdout.slice(-3000) + build.stderr).toBe(0);
    built = await kpiRowCounts(buildDb.url!);
    await exec(airflowDb.url!, `create schema tspipe_e2e; create sequence ${FLAKY_SEQUENCE}`);

    const variables = join(af.home, 'variables.json');
    await writeFile(
      variables,
      JSON.stringify({
        tspipe_command: `'${process.execPath}' '${TSPIPE_BIN}'`,
        tspipe_project_dir: dir,
        tspipe_database_url: airflowDb.url,
      }),
    );
    const imported = await af.cli(['variables', 'import', variables]);
    expect(imported.code, imported.stderr).toBe(0);
    const project = loadProject({ projectDir: dir }, {});
    input = airflowDagInput(project.config, project.manifest);
  }, 400_000);

  afterAll(async () => {
    await af?.cleanup();
    await airflowDb?.cleanup();
    await buildDb?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('`tspipe airflow` writes the DAG; a DagBag loads it with no import errors; its tasks and edges are the graph', async () => {
    const file = join(af.dagsDir, `${dagId}.py`);
    const written = await tspipe(['airflow', '--out', file]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toMatch(/^Wrote .*gaming_kpis\.py \(DAG gaming_kpis: \d+ tasks, \d+ edges\)/);
    expect((await tspipe(['airflow', '--out', file, '--check'])).code).toBe(0);

    const report = await af.script<DagBagReport>('dagbag_report.py', [file]);
    expect(report.import_errors).toEqual({});
    const dag = report.dags[dagId];
    const plan = planAirflowTasks(input.nodes, input.testBehavior);
    expect(dag.tasks).toEqual(plan.tasks.map((t) => t.taskId));
    expect(dag.edges).toEqual(plan.edges);
    expect(dag).toMatchObject({ schedule: '0 0 * * *', timetable: 'CronDataIntervalTimetable', catchup: false, max_active_tasks: 4, tags: ['gaming', 'kpi'] });
    // Microbatch models get the run's data interval, the others do not.
    expect(dag.bash_commands.clean_events).toContain('--event-time-start {{ data_interval_start.isoformat() }}');
    expect(dag.bash_commands.user_kpis).not.toContain('--event-time-start');

    // The same graph as `tspipe ls` shows it: seed, snapshot and model edges, and every test in exactly one task.
    const listed = (await tspipe(['ls', '-o', 'json'])).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ListedNode);
    const builds = new Map(listed.filter((n) => ['seed', 'model', 'snapshot'].includes(n.resource_type)).map((n) => [n.unique_id, n.name]));
    const graphEdges = listed.flatMap((n) =>
      builds.has(n.unique_id) ? n.depends_on.nodes.filter((d) => builds.has(d)).map((d) => [builds.get(d)!, n.name]) : [],
    );
    // Test names: what a test task selects, and what a build task selects after its node.
    const selected = (task: string) => dag.bash_commands[task].match(/ (test|build) --select ([^{-]*)/);
    const testNames = dag.tasks.flatMap((t) => {
      const match = selected(t);
      if (!match) return [];
      const names = match[2].trim().split(' ');
      return match[1] === 'build' ? names.slice(1) : names;
    });
    const testTasks = dag.tasks.filter((t) => selected(t)?.[1] === 'test');
    expect(dag.tasks.filter((t) => selected(t)?.[1] === 'build').length).toBeGreaterThan(10);
    expect(dag.edges.filter(([, down]) => !testTasks.includes(down))).toEqual(graphEdges.sort());
    expect(testNames.sort()).toEqual(
      listed
        .filter((n) => n.resource_type === 'test')
        .map((n) => n.name)
        .sort(),
    );
  });

  it('`airflow dags test` runs the whole DAG: a model failing its first try is retried, the KPI tables equal `tspipe build`', async () => {
    // After the generated data's last day (at most 2025-06-30): the first run builds the
    // microbatch tables from `begin` up to its data interval's end, so everything.
    const logicalDate = '2025-07-01T00:00:00+00:00';
    const result = await af.cli(['dags', 'test', dagId, logicalDate]);
    expect(result.code, result.stdout.slice(-4000)).toBe(0);
    const run = await runOf(logicalDate);
    expect(run.state).toBe('success');
    expect(Object.entries(run.tasks).filter(([, ti]) => ti.state !== 'success')).toEqual([]);
    expect(Object.keys(run.tasks).sort()).toEqual(planAirflowTasks(input.nodes, input.testBehavior).tasks.map((t) => t.taskId));
    expect(run.tasks.clean_sessions.try_number, taskLog(result.stdout + result.stderr, 'clean_sessions')).toBe(2);
    expect(taskLog(result.stdout + result.stderr, 'clean_sessions')).toContain('division by zero');
    expect(run.tasks.user_kpis.try_number).toBe(1);
    expect(Object.keys(built).length).toBeGreaterThanOrEqual(7);
    expect(await kpiRowCounts(airflowDb.url!)).toEqual(built);
  }, 600_000);

  it("a day's run (`dags test` with a logical date) rebuilds that day's batch only; clean and KPI tables equal `tspipe build`", async () => {
    const [{ day }] = await sql<{ day: string }>(airflowDb.url!, 'select (max(event_time)::date - 3)::text as day from clean.events');
    const logicalDate = `${day}T00:00:00+00:00`;
    const result = await af.cli(['dags', 'test', dagId, logicalDate, '--mark-success-pattern', '^(events|games|users|test_.*)$']);
    const output = result.stdout + result.stderr;
    expect(result.code, output.slice(-4000)).toBe(0);
    for (const task of ['clean_events', 'clean_sessions', 'daily_status']) {
      const log = taskLog(output, task);
      expect(log, task).toMatch(/--event-time-start \d{4}-\d{2}-\d{2}T00:00:00\+00:00 --event-time-end \d{4}-\d{2}-\d{2}T00:00:00\+00:00/);
      expect(log, task).toMatch(/OK ran 1 batch of/);
    }
    const rows = async (url: string, table: string) =>
      (await sql<{ r: string }>(url, `select to_jsonb(t)::text as r from ${table} as t order by 1`)).map((x) => x.r);
    for (const table of ['clean.events', 'clean.sessions', 'kpi.daily_status', 'kpi.monthly_kpis', 'kpi.user_kpis', 'kpi.game_kpis']) {
      expect(await rows(airflowDb.url!, table), table).toEqual(await rows(buildDb.url!, table));
    }
  }, 600_000);

  describe('recovery: a model that keeps failing, fixed, then cleared', () => {
    const logicalDate = '2024-03-02T00:00:00+00:00';
    // With test_behavior build, the tests of these models run in the models' own tasks.
    const downstream = ['location_kpis', 'user_distribution', 'user_status_summary'];
    const userKpis = join('models', 'kpi', 'user_kpis.sql');
    let original: string;
    let failedRun: RunStates['runs'][number];
    let relationsBefore: Record<string, number>;
    // A rebuilt table is a new relation (tspipe swaps in a fresh one): its oid changes.
    const relationOids = async () =>
      (
        await sql<{ game_kpis: number; user_kpis: number }>(
          airflowDb.url!,
          "select 'kpi.game_kpis'::regclass::oid::int as game_kpis, 'kpi.user_kpis'::regclass::oid::int as user_kpis",
        )
      )[0];

    it('marks its downstream tasks upstream_failed while an independent branch succeeds', async () => {
      original = await readFile(join(dir, userKpis), 'utf8');
      await writeFile(join(dir, userKpis), broken(original));
      // The whole DAG ran above: to keep this short, the tasks upstream of user_kpis are marked
      // successful (their tables are there), and one independent branch, game_kpis, runs for real.
      const run = ['user_kpis', ...downstream, 'game_kpis'];
      const result = await af.cli(['dags', 'test', dagId, logicalDate, '--mark-success-pattern', `(?!(${run.join('|')})$).*`]);
      expect(result.code).not.toBe(0);
      failedRun = await runOf(logicalDate);
      expect(failedRun.state).toBe('failed');
      expect(failedRun.tasks.user_kpis, taskLog(result.stdout + result.stderr, 'user_kpis')).toMatchObject({ state: 'failed', try_number: 3 });
      expect(taskLog(result.stdout + result.stderr, 'user_kpis')).toContain('column model.no_such_column does not exist');
      for (const task of downstream) expect(failedRun.tasks[task].state, task).toBe('upstream_failed');
      const others = Object.entries(failedRun.tasks).filter(([task]) => task !== 'user_kpis' && !downstream.includes(task));
      expect(others.filter(([, ti]) => ti.state !== 'success')).toEqual([]);
      expect(taskLog(result.stdout + result.stderr, 'game_kpis')).toMatch(/OK created table kpi\.game_kpis/);
      relationsBefore = await relationOids();
    }, 600_000);

    it('clearing it after the fix completes the same run without re-running what succeeded', async () => {
      await writeFile(join(dir, userKpis), original);
      // -t is a substring match in Airflow 3.3 (user_kpis only here: no test_user_kpis task with build); -d adds the rest.
      const cleared = await af.cli(['tasks', 'clear', dagId, '-t', 'user_kpis', '-d', '-f', '-s', logicalDate, '-e', logicalDate, '-y']);
      expect(cleared.code, cleared.stderr).toBe(0);
      const scheduler = await af.startScheduler();
      try {
        await waitFor(async () => ['success', 'failed'].includes((await runOf(logicalDate)).state), 300_000, 2000);
      } finally {
        await scheduler.stop();
      }
      const run = await runOf(logicalDate);
      expect(run.run_id).toBe(failedRun.run_id);
      expect(run.state).toBe('success');
      expect(Object.entries(run.tasks).filter(([, ti]) => ti.state !== 'success')).toEqual([]);
      const rerun = Object.keys(run.tasks).filter((task) => run.tasks[task].try_number !== failedRun.tasks[task].try_number);
      expect(rerun.sort()).toEqual(['user_kpis', ...downstream].sort());
      // game_kpis, which succeeded in this run, was not rebuilt; user_kpis was.
      const relationsAfter = await relationOids();
      expect(relationsAfter.game_kpis).toBe(relationsBefore.game_kpis);
      expect(relationsAfter.user_kpis).not.toBe(relationsBefore.user_kpis);
      expect(await kpiRowCounts(airflowDb.url!)).toEqual(built);
    }, 600_000);
  });
});
