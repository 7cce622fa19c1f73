/**
 * The pipeline's DAG under Airflow's CeleryExecutor: Redis as the broker, two Celery
 * workers, Airflow's metadata in a PostgreSQL database of its own, one PostgreSQL for the
 * data. One DAG run; Airflow's task instance records (hostname, start and end) show tasks
 * of that run executed by both workers at overlapping times, and the KPI tables equal a
 * plain `tspipe build`. The tasks run the project's own tspipe (no tspipe_command).
 *
 * Skipped, with the reason, without the Airflow venv with the Celery provider
 * (`bash airflow/setup.sh --celery`), a Redis on 127.0.0.1:6379 or PostgreSQL;
 * TSPIPE_REQUIRE_AIRFLOW=1 makes a missing venv or provider a failure.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdapter } from '../../src/adapter/open-adapter.js';
import { generate } from '../../src/api/generate.js';
import { AIRFLOW_SCRIPTS, airflow, createAirflowHome, REPO_ROOT, waitFor, type AirflowHome } from '../support/airflow.js';
import { runCli } from '../support/cli.js';
import { TEST_DATABASES, type CreatedDatabase } from '../support/databases.js';
import { pipelineProjectFiles } from '../support/pipeline-files.js';

const REDIS = { host: '127.0.0.1', port: 6379 };
const postgres = TEST_DATABASES.find((d) => d.name === 'postgres')!;

function celeryProviderInstalled(): boolean {
  const lib = join(airflow.venv, 'lib');
  if (!existsSync(lib)) return false;
  return readdirSync(lib).some((python) => existsSync(join(lib, python, 'site-packages', 'airflow', 'providers', 'celery')));
}

/** Redis answers PING within a second. */
function redisAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(REDIS.port, REDIS.host);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(String(data).startsWith('+PONG')));
  });
}

async function skipReason(): Promise<string> {
  if (!airflow.available) return airflow.skipReason;
  if (!celeryProviderInstalled()) {
    const reason = `no Celery provider in ${airflow.venv}: run \`bash airflow/setup.sh --celery\``;
    if (process.env.TSPIPE_REQUIRE_AIRFLOW === '1') throw new Error(`TSPIPE_REQUIRE_AIRFLOW=1 but ${reason}`);
    return reason;
  }
  if (!(await redisAnswers())) return `no Redis answering on ${REDIS.host}:${REDIS.port}`;
  if (!postgres.available) return `no PostgreSQL: ${postgres.skipReason}`;
  return '';
}

const skip = await skipReason();

interface TaskInstance {
  state: string | null;
  try_number: number;
  hostname: string | null;
  start_date: string | null;
  end_date: string | null;
}
interface RunStates {
  runs: { run_id: string; state: string; logical_date: string; tasks: Record<string, TaskInstance> }[];
}

/** Every kpi table as an order-independent digest of its rows. */
async function kpiDigests(url: string): Promise<Record<string, string>> {
  const db = await openAdapter({ kind: 'postgres', url, maxConnections: 1 });
  try {
    const tables = await db.query<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'kpi' order by 1");
    const digests: Record<string, string> = {};
    for (const { name } of tables.rows) {
      const table = `kpi."${name.replace(/"/g, '""')}"`;
      const { rows } = await db.query<{ n: string; digest: string | null }>(
        `select count(*) as n, md5(string_agg(t::text, E'\\n' order by t::text)) as digest from ${table} t`,
      );
      digests[name] = `${rows[0]!.n} rows ${rows[0]!.digest}`;
    }
    return digests;
  } finally {
    await db.close();
  }
}

describe.skipIf(skip !== '')(`the pipeline's DAG under CeleryExecutor, two workers, Redis, PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const dagId = 'gaming_kpis';
  let af: AirflowHome;
  let dir: string;
  let metadataDb: CreatedDatabase;
  let dataDb: CreatedDatabase;
  let buildDb: CreatedDatabase;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tspipe-airflow-celery-'));
    const files = pipelineProjectFiles();
    // The tests as one task after everything: half the tasks (each costs seconds of Airflow's
    // own start-up on a worker), the same spread of models over the workers.
    files['project.yml'] = files['project.yml'].replace(/test_behavior: \w+/, 'test_behavior: after_all');
    for (const [file, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), text);
    }
    // The project depends on tspipe as an npm package would be installed (npm link): the
    // DAG's default command is then `node <project>/node_modules/tspipe/bin/tspipe.js`.
    await mkdir(join(dir, 'node_modules'));
    await symlink(REPO_ROOT, join(dir, 'node_modules', 'tspipe'), 'dir');
    await generate({ out: join(dir, 'seeds'), users: 200, games: 10, events: 3000, seed: 7 });
    [metadataDb, dataDb, buildDb] = await Promise.all([postgres.create(), postgres.create(), postgres.create()]);

    const metadataUrl = metadataDb.url!.replace(/^postgres(ql)?:\/\//, 'postgresql+psycopg2://');
    // A queue of its own, so a Celery worker of anything else on this Redis takes none of these tasks.
    const queue = `tspipe_e2e_${randomBytes(4).toString('hex')}`;
    af = await createAirflowHome({
      AIRFLOW__CORE__EXECUTOR: 'CeleryExecutor',
      AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: metadataUrl,
      AIRFLOW__CELERY__BROKER_URL: `redis://${REDIS.host}:${REDIS.port}/0`,
      AIRFLOW__CELERY__RESULT_BACKEND: `db+${metadataUrl}`,
      AIRFLOW__OPERATORS__DEFAULT_QUEUE: queue,
      AIRFLOW__CORE__DAGS_FOLDER: join(dir, 'airflow', 'dags'),
      AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE: 'False',
      // Each worker records its own name as the task instances' hostname (one machine here).
      AIRFLOW__CORE__HOSTNAME_CALLABLE: 'worker_hostname.hostname',
      PYTHONPATH: AIRFLOW_SCRIPTS,
    });
    const tspipe = (args: string[]) => runCli(args, { cwd: dir, env: { TSPIPE_DATABASE_URL: '' } });
    const written = await tspipe(['airflow']);
    expect(written.code, written.stderr).toBe(0);
    const build = await tspipe(['build', '--database-url', buildDb.url!]);
    expect(build.code, build.stdout.slice(-3000) + build.stderr).toBe(0);

    const variables = join(af.home, 'variables.json');
    await writeFile(variables, JSON.stringify({ tspipe_database_url: dataDb.url }));
    expect((await af.cli(['variables', 'import', variables])).code).toBe(0);
    // Airflow 3 schedules only serialized DAGs; the dag-processor would do this too.
    const serialized = await af.cli(['dags', 'reserialize']);
    expect(serialized.code, serialized.stderr).toBe(0);

    for (const name of ['worker-1', 'worker-2']) {
      // One task at a time each: two tasks at once means both workers are busy.
      await af.startProcess(
        ['celery', 'worker', '-H', name, '-c', '1', '-q', queue, '--skip-serve-logs', '--without-gossip', '--without-mingle'],
        `${name}.log`,
        {
          TSPIPE_WORKER_NAME: name,
        },
      );
    }
  }, 400_000);

  afterAll(async () => {
    await af?.cleanup();
    await Promise.all([metadataDb?.cleanup(), dataDb?.cleanup(), buildDb?.cleanup()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs one DAG run on both workers at once; the KPI tables equal `tspipe build`', async () => {
    const logicalDate = '2024-03-01T00:00:00+00:00';
    const triggered = await af.cli(['dags', 'trigger', dagId, '-l', logicalDate]);
    expect(triggered.code, triggered.stderr).toBe(0);
    const runOf = async () => (await af.script<RunStates>('run_states.py', [dagId])).runs[0];
    const scheduler = await af.startScheduler();
    try {
      await waitFor(async () => ['success', 'failed'].includes((await runOf())?.state ?? ''), 300_000, 2000);
    } finally {
      await scheduler.stop();
    }
    const run = await runOf();
    expect(Object.entries(run.tasks).filter(([, ti]) => ti.state !== 'success')).toEqual([]);
    expect(run.state).toBe('success');

    const tasks = Object.entries(run.tasks).map(([id, ti]) => ({ id, host: ti.hostname, start: Date.parse(ti.start_date!), end: Date.parse(ti.end_date!) }));
    const perWorker: Record<string, string[]> = {};
    for (const t of tasks) (perWorker[t.host ?? 'none'] ??= []).push(t.id);
    expect(Object.keys(perWorker).sort()).toEqual(['worker-1', 'worker-2']);
    const overlapping = tasks.flatMap((a) =>
      tasks.filter((b) => a.host === 'worker-1' && b.host === 'worker-2' && a.start < b.end && b.start < a.end).map((b) => [a.id, b.id]),
    );
    console.log(
      `Celery: ${tasks.length} tasks, worker-1 ran ${perWorker['worker-1']!.length}, worker-2 ran ${perWorker['worker-2']!.length}; ` +
        `${overlapping.length} pairs ran at overlapping times on different workers (e.g. ${overlapping[0]?.join(' & ')})`,
    );
    expect(overlapping.length).toBeGreaterThan(0);

    const built = await kpiDigests(buildDb.url!);
    expect(Object.keys(built).length).toBeGreaterThanOrEqual(7);
    expect(await kpiDigests(dataDb.url!)).toEqual(built);
  }, 400_000);
});
