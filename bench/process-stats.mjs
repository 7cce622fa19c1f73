// Runs a command in a child process and returns its wall time and peak RSS.
// Node children report their own peak RSS through bench/report-rss.cjs (preloaded).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const PRELOAD = resolve('bench/report-rss.cjs');

export function timed(command, args, { env = {}, cwd } = {}) {
  const rssFile = join(tmpdir(), `tspipe-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env, NODE_OPTIONS: `--require ${PRELOAD}`, TSPIPE_BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  let peakRssMb;
  try {
    peakRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
    rmSync(rssFile);
  } catch {
    peakRssMb = undefined;
  }
  return { seconds, peakRssMb, stdout: result.stdout };
}
