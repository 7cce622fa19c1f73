// The pipeline's DAG run by a real Airflow scheduler (LocalExecutor, N tasks at once)
// against `tspipe build --threads N`, both on one PostgreSQL database, the tables dropped
// between runs. The DAG's time is its first task's start to its last task's end, from
// Airflow's task instance records; trigger-to-done (scheduler pick-up included) is shown too.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, readFileSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { timed } from './process-stats.mjs';
import { formatSeconds, summarize } from './stats.mjs';
import { freshDatabase, psql } from './postgres.mjs';

const ROOT = resolve('.');
const TSPIPE = join(ROOT, 'bin/tspipe.js');
const VENV = process.env.TSPIPE_AIRFLOW_VENV || join(ROOT, 'airflow', '.venv');
const HEADING = '## Airflow: the DAG against `tspipe build` with the same parallelism';

export async function benchAirflowParallel({ workDir, adminUrl, events = 1_000_000, threads = 2 }) {
  const loadAtStart = loadavg()[0];
  const runLine = () => `Run on ${new Date().toISOString().slice(0, 10)} by \`npm run bench -- --only airflow-parallel\`; machine: ${machine(loadAtStart)}.`;
  const lines = [HEADING, '', runLine(), ''];
  if (!existsSync(join(VENV, 'bin', 'airflow'))) return [...lines, `Skipped: no Airflow venv at ${VENV} (run \`bash airflow/setup.sh\`).`, ''];
  if (!adminUrl) return [...lines, 'Skipped: no PostgreSQL (set TSPIPE_BENCH_DATABASE_URL).', ''];

  const project = join(workDir, 'airflow-parallel');
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project, { recursive: true });
  for (const entry of ['project.yml', 'models', 'macros', 'tests/assertions']) cpSync(join(ROOT, entry), join(project, entry), { recursive: true });
  // max_active_tasks of the DAG is the pg target's threads: N for both sides.
  const yml = readFileSync(join(project, 'project.yml'), 'utf8');
  writeFileSync(join(project, 'project.yml'), yml.replace(/(\n  pg:\n(?:    .*\n)*?    threads: )\d+/, `$1${threads}`));
  // Tasks run the project's own tspipe (as an npm dependency would be), not npx.
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(ROOT, join(project, 'node_modules', 'tspipe'), 'dir');
  const users = Math.round(events / 20);
  execFileSync('node', [
    TSPIPE,
    'generate',
    '--users',
    String(users),
    '--games',
    '200',
    '--events',
    String(events),
    '--seed',
    '7',
    '--out',
    join(project, 'seeds'),
  ]);
  execFileSync('node', [TSPIPE, 'airflow', '--project-dir', project], { env: { ...process.env, TSPIPE_DATABASE_URL: '' } });

  const url = freshDatabase(adminUrl, 'tspipe_bench_airflow');
  const dropProjectSchemas = () =>
    psql(
      url,
      "do $$ declare s text; begin for s in select nspname from pg_namespace where nspname not like 'pg\\_%' and nspname not in ('information_schema', 'public') loop execute format('drop schema %I cascade', s); end loop; end $$",
    );
  const build = () => {
    dropProjectSchemas();
    return timed('node', [TSPIPE, 'build', '--threads', String(threads), '--project-dir', project, '--database-url', url]).seconds;
  };

  const builds = [build()];
  console.log(`airflow-parallel: tspipe build --threads ${threads}: ${builds[0].toFixed(1)} s`);
  dropProjectSchemas();
  const dag = await runDag(project, url, threads);
  console.log(`airflow-parallel: DAG ${dag.taskSeconds.toFixed(1)} s first start to last end, ${dag.triggerSeconds.toFixed(1)} s trigger to done`);
  builds.push(build());
  const buildSeconds = (builds[0] + builds[1]) / 2;
  const ratio = dag.taskSeconds / buildSeconds;
  const testBehavior = /\n {2}test_behavior: (\w+)/.exec(yml)?.[1] ?? 'build';
  const busy = dag.walls.reduce((a, b) => a + b, 0);
  const { all, critical_path: path } = dag.timings;
  const phases = (t) =>
    `${t.schedule.toFixed(1)} s | ${t.queue.toFixed(1)} s | ${t.start.toFixed(1)} s | ${t.prepare.toFixed(1)} s | ${t.tspipe.toFixed(1)} s (${t.sql.toFixed(1)} s) | ${t.finish.toFixed(1)} s`;
  lines.push(
    `The gaming pipeline at ${events.toLocaleString('en-US')} events (${dag.tasks} tasks: \`test_behavior: ${testBehavior}\`), ` +
      `Airflow ${dag.airflowVersion}, LocalExecutor with a real scheduler (\`max_active_tasks\` ${threads}, \`parallelism\` ${2 * threads}: tasks running at once are bounded by \`max_active_tasks\`, SQLite metadata, ` +
      '`airflow/scripts/set_config.py --low-latency` as `airflow/setup.sh` applies it), ' +
      `tasks calling the project's own \`node node_modules/tspipe/bin/tspipe.js\`. \`tspipe build\` ran before and after the DAG (the mean is shown); the tables were dropped before each run.`,
    '',
    '| N | `tspipe build --threads N` | DAG, first task start to last task end | ratio (target 1.3x or less) | DAG, trigger to run done | task wall time, median (min-max) | sum of task wall times / N |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| ${threads} | ${buildSeconds.toFixed(1)} s (${builds.map((b) => b.toFixed(1)).join(', ')}) | ${dag.taskSeconds.toFixed(1)} s | ${ratio.toFixed(2)}x | ${dag.triggerSeconds.toFixed(1)} s | ${formatSeconds(summarize(dag.walls))} | ${(busy / threads).toFixed(1)} s |`,
    '',
    `The ${threads} task slots were busy ${Math.round((100 * busy) / threads / dag.taskSeconds)}% of the DAG's time (sum of task wall times / N over first start to last end); ` +
      `at most ${dag.mostAtOnce} tasks ran at once. ` +
      "Where the time went, by `airflow/scripts/task_timings.py` from Airflow's task instance records and task logs: " +
      "schedule = the last upstream task's end (or the run's start) to the scheduler marking the task scheduled; queue = to handing it to the executor (waits here while all slots are busy); " +
      "start = to the task's start (a free executor slot, the supervisor, the execution API's call); prepare = to the command's start (the DAG file parsed in the task process, templates); " +
      "tspipe = the command (in brackets: the time tspipe reports for its nodes, i.e. connecting and SQL; the rest is Node's and tspipe's start-up); finish = to the task's end. " +
      'The critical path runs back from the task that ended last through the upstream task that ended last.',
    '',
    '| | schedule | queue | start | prepare | tspipe (its nodes) | finish |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| critical path (${path.tasks.length} tasks: ${path.tasks.join(', ')}) | ${phases(path)} |`,
    `| all ${dag.tasks} tasks, summed | ${phases(all)} |`,
    '',
  );
  // The load average when the runs are over, as the line says (it was read before them).
  lines[2] = runLine();
  return lines;
}

async function runDag(project, url, threads) {
  const home = mkdtempSync(join(tmpdir(), 'tspipe-bench-airflow-'));
  const apiPort = await freePort();
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AIRFLOW') && !k.startsWith('TSPIPE_'))),
    AIRFLOW_HOME: home,
    AIRFLOW__CORE__DAGS_FOLDER: join(project, 'airflow', 'dags'),
    AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
    AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION: 'False',
    AIRFLOW__CORE__EXECUTOR: 'LocalExecutor',
    // LocalExecutor worker processes. max_active_tasks (N) is what bounds the tasks running at
    // once; N more workers take the next task while a finished task's supervisor still holds
    // its worker (up to [workers] min_heartbeat_interval, see set_config.py). Airflow's default is 32.
    AIRFLOW__CORE__PARALLELISM: String(2 * threads),
    AIRFLOW__CORE__EXECUTION_API_SERVER_URL: `http://127.0.0.1:${apiPort}/execution/`,
    AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE: 'False',
    TSPIPE_DATABASE_URL: url,
  };
  const airflow = (args) =>
    execFileSync(join(VENV, 'bin', 'airflow'), args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  // A helper of airflow/scripts/ run with the venv's Python: its JSON report is its last line.
  const script = (name, ...args) =>
    JSON.parse(
      execFileSync(join(VENV, 'bin', 'python'), [join(ROOT, 'airflow/scripts', name), ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .trim()
        .split('\n')
        .pop(),
    );
  const children = [];
  try {
    airflow(['db', 'migrate']);
    // The settings airflow/setup.sh gives a user's Airflow (written into the airflow.cfg the migration made).
    execFileSync(join(VENV, 'bin', 'python'), [join(ROOT, 'airflow/scripts/set_config.py'), join(home, 'airflow.cfg'), '--low-latency']);
    airflow(['dags', 'reserialize']);
    const airflowVersion = airflow(['version']).trim().split('\n').pop();
    for (const [args, log] of [
      [['api-server', '--apps', 'execution', '-H', '127.0.0.1', '-p', String(apiPort)], 'api-server.log'],
      [['scheduler'], 'scheduler.log'],
    ]) {
      const fd = openSync(join(home, log), 'a');
      children.push(spawn(join(VENV, 'bin', 'airflow'), args, { env, detached: true, stdio: ['ignore', fd, fd] }));
    }
    for (
      let i = 0;
      i < 90 &&
      !(await fetch(`http://127.0.0.1:${apiPort}/execution/health`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    )
      await sleep(1000);
    const started = performance.now();
    airflow(['dags', 'trigger', 'gaming_kpis', '-l', '2024-03-01T00:00:00+00:00']);
    let run;
    for (;;) {
      await sleep(1000);
      run = script('run_states.py', 'gaming_kpis').runs[0];
      if (run && ['success', 'failed'].includes(run.state)) break;
    }
    const triggerSeconds = (performance.now() - started) / 1000;
    if (run.state !== 'success') throw new Error(`the DAG run failed: ${JSON.stringify(run.tasks)} (logs in ${home})`);
    const timings = script('task_timings.py', 'gaming_kpis', run.run_id);
    console.log(`airflow-parallel: phases summed over all tasks ${JSON.stringify(timings.all)}`);
    console.log(`airflow-parallel: critical path ${JSON.stringify(timings.critical_path)}`);
    const tis = Object.values(run.tasks);
    const starts = tis.map((t) => Date.parse(t.start_date));
    const ends = tis.map((t) => Date.parse(t.end_date));
    const walls = tis.map((t) => (Date.parse(t.end_date) - Date.parse(t.start_date)) / 1000);
    // The most task instances between start and end at one moment: what max_active_tasks bounds.
    const events = [...starts.map((t) => [t, 1]), ...ends.map((t) => [t, -1])].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let running = 0;
    let mostAtOnce = 0;
    for (const [, step] of events) mostAtOnce = Math.max(mostAtOnce, (running += step));
    return {
      airflowVersion,
      tasks: tis.length,
      taskSeconds: (Math.max(...ends) - Math.min(...starts)) / 1000,
      triggerSeconds,
      walls,
      timings,
      mostAtOnce,
    };
  } finally {
    for (const child of children) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // gone already
      }
    }
    await sleep(3000);
    for (const child of children) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    // TSPIPE_BENCH_KEEP_AIRFLOW_HOME=1 keeps the task logs and the metadata database to study.
    if (process.env.TSPIPE_BENCH_KEEP_AIRFLOW_HOME === '1') console.log(`airflow-parallel: Airflow home kept in ${home}`);
    else rmSync(home, { recursive: true, force: true });
  }
}

function machine(loadAtStart) {
  return `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end (shared with other work)`;
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Replaces this section of BENCHMARKS.md (or appends it), leaving every other section as it is. */
export function spliceSection(markdown, sectionLines) {
  const start = markdown.indexOf(HEADING);
  const text = sectionLines.join('\n');
  if (start < 0) return `${markdown.trimEnd()}\n\n${text}\n`;
  const next = markdown.indexOf('\n## ', start + HEADING.length);
  return markdown.slice(0, start) + text + (next < 0 ? '\n' : `\n${markdown.slice(next + 1)}`);
}
