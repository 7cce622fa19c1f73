// Start-up of one Airflow task: `tspipe run --select <one model> --dry-run` on a
// 1,000-model project (everything a task does before its SQL), next to `--version`.
import { join, resolve } from 'node:path';
import { timed } from './process-stats.mjs';
import { formatSeconds, summarize } from './stats.mjs';
import { writeSyntheticProject } from './synthetic-project.mjs';

const TSPIPE = resolve('bin/tspipe.js');

export async function benchStartup({ workDir }) {
  const dir = writeSyntheticProject(join(workDir, 'startup-1000'), 1000);
  const runs = 5;
  const version = summarize(Array.from({ length: runs }, () => timed('node', [TSPIPE, '--version']).seconds));
  const cold = timed('node', [TSPIPE, 'run', '--select', 'model_500', '--dry-run', '--project-dir', dir]).seconds;
  const warm = summarize(Array.from({ length: runs }, () => timed('node', [TSPIPE, 'run', '--select', 'model_500', '--dry-run', '--project-dir', dir]).seconds));
  console.log(`startup: --version ${formatSeconds(version)}, run --select one model ${formatSeconds(warm)}`);
  return [
    '## Start-up of one Airflow task',
    '',
    'Each Airflow task runs `tspipe run --select <node>`; this is its cost before any SQL, on a 1,000-model project.',
    '',
    '| command | time | target |',
    '| --- | --- | --- |',
    `| \`tspipe --version\` (Node + CLI) | ${formatSeconds(version)} | |`,
    `| \`tspipe run --select model_500 --dry-run\`, first run (no parse cache) | ${cold.toFixed(2)} s | |`,
    `| \`tspipe run --select model_500 --dry-run\` | ${formatSeconds(warm)} | under 1 s |`,
    '',
  ];
}
