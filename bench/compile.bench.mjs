// Compile benchmark: `tspipe compile` of synthetic projects, cold (no target/) and
// warm (content-hash caches in target/), as a user runs it (a fresh process).
// TSPIPE_BASELINE_BIN=/other/checkout/bin/tspipe.js adds that build's figures, measured
// in the same run and interleaved, for before/after comparisons on a busy machine.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { moveTargetAside } from './cold-target.mjs';
import { formatSeconds, summarize } from './stats.mjs';
import { writeSyntheticProject } from './synthetic-project.mjs';

const TSPIPE = resolve('bin/tspipe.js');
const BASELINE = process.env.TSPIPE_BASELINE_BIN;

function timeCompile(bin, dir, { cold, workDir }) {
  if (cold) moveTargetAside(dir, workDir);
  const started = process.hrtime.bigint();
  execFileSync('node', [bin, 'compile', '--project-dir', dir], { stdio: 'pipe' });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Cold then warm runs of each build, interleaved so both see the same machine load. */
function measure(bins, dir, runs, workDir) {
  const times = bins.map(() => ({ cold: [], warm: [] }));
  for (let run = 0; run < runs; run++) {
    bins.forEach((bin, i) => {
      times[i].cold.push(timeCompile(bin, dir, { cold: true, workDir }));
      timeCompile(bin, dir, { cold: false });
      times[i].warm.push(timeCompile(bin, dir, { cold: false }));
    });
  }
  return times.map(({ cold, warm }) => ({ cold: summarize(cold), warm: summarize(warm) }));
}

export async function benchCompile({ full, workDir }) {
  const sizes = [1000, 10000];
  const runs = full ? 5 : 3;
  const bins = BASELINE ? [TSPIPE, BASELINE] : [TSPIPE];
  const lines = [
    '## Compile',
    '',
    '`tspipe compile` in a fresh process (start-up included) of a synthetic project: chains and fan-ins of refs, a macro and a config block per model, YAML tests on every tenth model. Cold: no `target/` (moved aside, see bench/cold-target.mjs); warm: a second compile, served by `target/project_snapshot.json` and `target/compile_cache.json`.',
    '',
    `| models | cold | warm | ${BASELINE ? 'baseline cold | baseline warm | ' : ''}load avg | target |`,
    `| --- | --- | --- | ${BASELINE ? '--- | --- | ' : ''}--- | --- |`,
  ];
  for (const size of sizes) {
    const dir = writeSyntheticProject(join(workDir, `compile-${size}`), size);
    const [mine, baseline] = measure(bins, dir, runs, workDir);
    const extra = baseline ? `${formatSeconds(baseline.cold)} | ${formatSeconds(baseline.warm)} | ` : '';
    lines.push(
      `| ${size.toLocaleString('en-US')} | ${formatSeconds(mine.cold)} | ${formatSeconds(mine.warm)} | ${extra}${loadavg()[0].toFixed(1)} | ${size === 10000 ? 'under 2 s cold, 0.5 s warm' : ''} |`,
    );
    console.log(
      `compile ${size}: cold ${formatSeconds(mine.cold)}, warm ${formatSeconds(mine.warm)}${baseline ? ` (baseline cold ${formatSeconds(baseline.cold)}, warm ${formatSeconds(baseline.warm)})` : ''}`,
    );
  }
  lines.push('');
  return lines;
}
