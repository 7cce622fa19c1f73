// Start-up of one Airflow task: `tspipe run --select <one model>` on a 10,000-model
// project, everything a task does besides its SQL: start-up, project load (from the
// snapshot once warm), selection, connection, run lock, artifacts. Measured as a
// real run on PostgreSQL (wall time minus the node's own execution_time from
// run_results.json), and as --dry-run (no database), next to `--version`.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { timed } from './process-stats.mjs';
import { freshDatabase, psql } from './postgres.mjs';
import { formatSeconds, summarize } from './stats.mjs';
import { writeSyntheticProject } from './synthetic-project.mjs';

const TSPIPE = resolve('bin/tspipe.js');
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
    '## Start-up of one Airflow task',
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
  console.log(summary);
  return [...rows, ''];
}
