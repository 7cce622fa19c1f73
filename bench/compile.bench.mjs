// Compile benchmark: `tspipe compile` of synthetic projects, cold (no cache) and
// warm (content-hash cache in target/), as a user runs it (a fresh process).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatSeconds, summarize } from './stats.mjs';
import { writeSyntheticProject } from './synthetic-project.mjs';

const TSPIPE = resolve('bin/tspipe.js');

function timeCompile(dir, { cold }) {
  if (cold) rmSync(join(dir, 'target'), { recursive: true, force: true });
  const started = process.hrtime.bigint();
  execFileSync('node', [TSPIPE, 'compile', '--project-dir', dir], { stdio: 'pipe' });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export async function benchCompile({ full, workDir }) {
  const sizes = full ? [1000, 10000] : [1000, 10000];
  const runs = full ? 5 : 3;
  const lines = ['## Compile', '', '`tspipe compile` in a fresh process (start-up included) of a synthetic project: chains and fan-ins of refs, a macro and a config block per model, YAML tests on every tenth model.', '', '| models | cold | warm | target (cold) |', '| --- | --- | --- | --- |'];
  for (const size of sizes) {
    const dir = writeSyntheticProject(join(workDir, `compile-${size}`), size);
    const cold = summarize(Array.from({ length: runs }, () => timeCompile(dir, { cold: true })));
    timeCompile(dir, { cold: false });
    const warm = summarize(Array.from({ length: runs }, () => timeCompile(dir, { cold: false })));
    lines.push(`| ${size.toLocaleString('en-US')} | ${formatSeconds(cold)} | ${formatSeconds(warm)} | ${size === 10000 ? 'under 2 s cold, 0.5 s warm' : ''} |`);
    console.log(`compile ${size}: cold ${formatSeconds(cold)}, warm ${formatSeconds(warm)}`);
  }
  lines.push('');
  return lines;
}
