// Airflow: the generated DAG's parse time at 1,000 models, and the start-up of one
// task, `tspipe run --select <one model>` on a 10,000-model project: everything a task
// does besides its SQL (start-up, project load from the snapshot once warm, selection,
// connection, run lock, artifacts). Measured as a real run on PostgreSQL (wall time
// minus the node's own execution_time from run_results.json), and as --dry-run (no
// database), next to `--version`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { timed } from './process-stats.mjs';
import { freshDatabase, psql } from './postgres.mjs';
import { formatSeconds, summarize } from './stats.mjs';
import { writeSyntheticProject } from './synthetic-project.mjs';

const TSPIPE = resolve('bin/tspipe.js');
const AIRFLOW_PYTHON = resolve('airflow/.venv/bin/python');
const MODELS = 10_000;
const DATABASE = 'tspipe_bench_startup';

export async function benchStartup({ workDir, adminUrl }) {
  const dir = writeSyntheticProject(join(workDir, `startup-${MODELS}`), MODELS);
  const runs = 5;
  const tspipe = (args) => timed('node', [TSPIPE, ...args, '--project-dir', dir]);
  const version = summarize(Array.from({ length: runs }, () => timed('node', [TSPIPE, '--version']).seconds));
  const dryRun = ['run', '--select', 'model_1', '--dry-run'];
  const first = tspipe(dryRun).seconds;
  const warm = summarize(Array.from({ length: runs }, () => tspipe(dryRun).seconds));
  const rows = [
    '## Airflow: start-up of one task, DAG import',
    '',
    `Each Airflow task runs \`tspipe run --select <node>\`; this is what it costs besides the SQL, on a ${MODELS.toLocaleString('en-US')}-model project (the one of the compile section).`,
    '',
    '| command | time | target |',
    '| --- | --- | --- |',
    `| \`tspipe --version\` (Node + CLI) | ${formatSeconds(version)} | |`,
    `| \`tspipe run --select model_1 --dry-run\`, first run (parses the project) | ${first.toFixed(2)} s | |`,
    `| \`tspipe run --select model_1 --dry-run\` | ${formatSeconds(warm)} | |`,
  ];
  let summary = `startup: --version ${formatSeconds(version)}, run --select --dry-run ${formatSeconds(warm)}`;
  if (adminUrl) {
    // model_0 builds `model_1`'s parent once; then each run rebuilds the view model_1.
    const url = freshDatabase(adminUrl, DATABASE);
    tspipe(['run', '--select', 'model_0', '--database-url', url]);
    const walls = [];
    const beyondSql = [];
    for (let i = 0; i < runs; i++) {
      const wall = tspipe(['run', '--select', 'model_1', '--database-url', url]).seconds;
      const results = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).results;
      walls.push(wall);
      beyondSql.push(wall - results.reduce((sum, r) => sum + r.execution_time, 0));
    }
    psql(adminUrl, `drop database if exists ${DATABASE} with (force)`);
    const beyond = summarize(beyondSql);
    rows.push(
      `| \`tspipe run --select model_1\` on PostgreSQL, wall time | ${formatSeconds(summarize(walls))} | |`,
      `| the same, besides the model's SQL (wall time minus its \`execution_time\`) | ${formatSeconds(beyond)} | under 1 s |`,
    );
    summary += `, real run beyond SQL ${formatSeconds(beyond)}`;
  } else {
    rows.push('', 'The real run on PostgreSQL was skipped: set TSPIPE_BENCH_DATABASE_URL (or TSPIPE_TEST_DATABASE_URL).');
  }
  const dagImport = benchDagImport(workDir);
  rows.push('', ...dagImport.rows);
  console.log(`${summary}; ${dagImport.summary}`);
  return [...rows, ''];
}

/**
 * What the Airflow dag-processor pays to parse the generated DAG of a 1,000-model
 * project (airflow/scripts/import_time.py: DagBag of that one file). Airflow comes
 * from airflow/setup.sh, run here when its venv is missing.
 */
function benchDagImport(workDir) {
  if (!existsSync(AIRFLOW_PYTHON)) spawnSync('bash', [resolve('airflow/setup.sh')], { stdio: 'pipe' });
  if (!existsSync(AIRFLOW_PYTHON)) return { rows: ['Airflow DAG import skipped: `bash airflow/setup.sh` did not make airflow/.venv.'], summary: 'no Airflow' };
  const project = writeSyntheticProject(join(workDir, 'airflow-1000'), 1000);
  const dag = join(workDir, 'airflow-1000-dag', 'synthetic.py');
  execFileSync('node', [TSPIPE, 'airflow', '--project-dir', project, '--out', dag], { stdio: 'pipe' });
  const home = join(workDir, 'airflow-home');
  mkdirSync(home, { recursive: true });
  const out = execFileSync(AIRFLOW_PYTHON, [resolve('airflow/scripts/import_time.py'), dag, '5'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AIRFLOW_HOME: home, AIRFLOW__CORE__LOAD_EXAMPLES: 'False' },
  });
  const timing = JSON.parse(out.trim().split('\n').at(-1));
  if (Object.keys(timing.import_errors).length) throw new Error(`the generated DAG does not import: ${JSON.stringify(timing.import_errors)}`);
  const seconds = (n) => `${n.toFixed(3)} s`;
  return {
    rows: [
      `Airflow ${airflowVersion()} parses the generated DAG of a 1,000-model project (${timing.tasks.toLocaleString('en-US')} tasks: one per model, one per tested model's tests) with \`airflow/scripts/import_time.py\` (a DagBag of that one file):`,
      '',
      '| parse | wall | CPU |',
      '| --- | --- | --- |',
      `| first in the process (imports the operator modules too) | ${seconds(timing.cold_seconds)} | ${seconds(timing.cold_cpu_seconds)} |`,
      `| later parses, fastest of 5 (what the dag-processor pays each time) | ${seconds(timing.warm_seconds)} | ${seconds(timing.warm_cpu_seconds)} |`,
    ],
    summary: `DAG import of 1,000 models ${seconds(timing.cold_seconds)} first, ${seconds(timing.warm_seconds)} later`,
  };
}

function airflowVersion() {
  return execFileSync(AIRFLOW_PYTHON, ['-c', 'import airflow; print(airflow.__version__)'], { encoding: 'utf8' }).trim();
}
