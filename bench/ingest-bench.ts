/**
 * Raw landing load vs `psql \copy` of the same file into the same server, and on
 * PGlite vs a plain COPY of the file. Each load runs in its own child process so
 * its peak RSS is its own. Runs alternate (baseline, tspipe, ...) to share noise.
 *
 *   npx tsc -p tsconfig.json --outDir node_modules/.cache/tspipe-bench
 *   node node_modules/.cache/tspipe-bench/bench/ingest-bench.js [--lines 1000000] [--runs 3] [--pglite]
 *
 * PostgreSQL: TSPIPE_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 * which needs `psql` on the PATH. Works in schema tspipe_bench (dropped at the end) and
 * writes the generated file to bench/out/.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openAdapter } from '../src/adapter/open-adapter.js';
import type { ConnectionSpec } from '../src/contract/index.js';
import { loadSeed } from '../src/ingest/load-seed.js';
import type { SeedNode } from '../src/parse/manifest.js';

const COLUMNS = ['event_id', 'game_id', 'user_id', 'event_time', 'event_type', 'duration_seconds', 'device_type'];
const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1]! : fallback;
};
const pgUrl = process.env.TSPIPE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const outDir = path.resolve(process.cwd(), 'bench/out');
const SCHEMA = 'tspipe_bench';

interface Measure {
  seconds: number;
  rows: number;
  maxRssMb: number;
}

/** A seeded 7-column events file like the generator's, without dirt (psql must load it). */
async function writeEventsFile(file: string, lines: number): Promise<void> {
  const out = createWriteStream(file);
  let state = 12345;
  const rnd = (m: number): number => (state = (state * 1103515245 + 12345) & 0x7fffffff) % m;
  const types = ['login', 'start_game', 'finish_game', 'purchase'];
  const devices = ['mobile', 'web', 'console'];
  const durations = ['30', '60', '90', ''];
  let buf = `${COLUMNS.join(',')}\n`;
  for (let i = 1; i <= lines; i++) {
    const time = new Date(Date.UTC(2023, 0, 1) + rnd(730) * 86_400_000 + rnd(86_400) * 1000).toISOString().slice(0, 19);
    buf += `${i},${100 + rnd(50)},${1 + rnd(20_000)},${time},${types[rnd(4)]},${durations[rnd(4)]},${devices[rnd(3)]}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      buf = '';
    }
  }
  await new Promise<void>((resolve) => out.end(buf, () => resolve()));
}

function seedNode(file: string): SeedNode {
  return {
    uniqueId: 'seed.bench.events',
    resourceType: 'seed',
    name: 'events',
    packageName: 'bench',
    originalFilePath: path.basename(file),
    fqn: ['bench', 'events'],
    description: '',
    columns: {},
    checksum: '',
    config: { enabled: true, materialized: 'seed', tags: [], raw_landing: true },
    relation: { schema: SCHEMA, identifier: 'events' },
    dependsOn: [],
    tests: [],
  } as SeedNode;
}

/** Child mode: one load, then print what it measured. */
async function runOne(kind: 'tspipe' | 'copy', spec: ConnectionSpec, file: string): Promise<void> {
  const adapter = await openAdapter(spec);
  try {
    await adapter.exec(`create schema if not exists ${SCHEMA}`);
    let rows: number;
    const started = performance.now();
    if (kind === 'tspipe') {
      rows = (await loadSeed(adapter, seedNode(file), path.dirname(file))).rows;
    } else {
      const { createReadStream } = await import('node:fs');
      await adapter.exec(`drop table if exists ${SCHEMA}.plain; create table ${SCHEMA}.plain (${COLUMNS.map((c) => `${c} text`).join(', ')})`);
      rows = await adapter.copyFrom(
        { table: `${SCHEMA}.plain`, columns: COLUMNS, options: { header: true } },
        createReadStream(file, { highWaterMark: 1 << 20 }),
      );
    }
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(JSON.stringify({ seconds, rows, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  } finally {
    await adapter.close();
  }
}

function child(kind: 'tspipe' | 'copy', spec: ConnectionSpec, file: string): Measure {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', kind, JSON.stringify(spec), file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${kind} load failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Measure;
}

function psql(sql: string): void {
  execFileSync('psql', [pgUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { stdio: ['ignore', 'ignore', 'pipe'] });
}

function psqlCopy(file: string): Measure {
  psql(
    `create schema if not exists ${SCHEMA}; drop table if exists ${SCHEMA}.psql_copy; create table ${SCHEMA}.psql_copy (${COLUMNS.map((c) => `${c} text`).join(', ')})`,
  );
  const started = performance.now();
  psql(`\\copy ${SCHEMA}.psql_copy from '${file}' (format csv, header true)`);
  return { seconds: (performance.now() - started) / 1000, rows: 0, maxRssMb: 0 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function report(label: string, lines: number, runs: Measure[], baseline?: number): void {
  const secs = runs.map((r) => r.seconds);
  const rate = lines / median(secs);
  const ratio = baseline ? `  ${(baseline / median(secs)).toFixed(2)}x baseline rows/s` : '';
  const rss = runs[0]!.maxRssMb ? `  peak RSS ${Math.max(...runs.map((r) => r.maxRssMb)).toFixed(0)} MB` : '';
  console.log(
    `${label.padEnd(28)} median ${median(secs).toFixed(2)} s (min ${Math.min(...secs).toFixed(2)}, max ${Math.max(...secs).toFixed(2)})  ${Math.round(rate).toLocaleString('en-US')} rows/s${ratio}${rss}`,
  );
}

async function main(): Promise<void> {
  if (args[0] === '--child') return runOne(args[1] as 'tspipe' | 'copy', JSON.parse(args[2]!) as ConnectionSpec, args[3]!);
  const lines = Number(flag('lines', '1000000'));
  const runs = Number(flag('runs', '3'));
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `events-${lines}.csv`);
  if (!existsSync(file)) await writeEventsFile(file, lines);
  console.log(`file ${file}: ${lines.toLocaleString('en-US')} records, ${(statSync(file).size / 1e6).toFixed(1)} MB; ${runs} runs each`);

  if (!args.includes('--no-postgres')) {
    const pg: ConnectionSpec = { kind: 'postgres', url: pgUrl, maxConnections: 2 };
    const base: Measure[] = [];
    const ours: Measure[] = [];
    for (let i = 0; i < runs; i++) {
      base.push(psqlCopy(file));
      ours.push(child('tspipe', pg, file));
    }
    psql(`drop schema if exists ${SCHEMA} cascade`);
    report('postgres: psql \\copy', lines, base);
    report('postgres: tspipe raw landing', lines, ours, median(base.map((m) => m.seconds)));
  }
  if (args.includes('--pglite')) {
    const dir = mkdtempSync(path.join(tmpdir(), 'tspipe-bench-pglite-'));
    try {
      const spec: ConnectionSpec = { kind: 'pglite', dataDir: path.join(dir, 'db') };
      const base: Measure[] = [];
      const ours: Measure[] = [];
      for (let i = 0; i < runs; i++) {
        base.push(child('copy', spec, file));
        ours.push(child('tspipe', spec, file));
      }
      report('pglite: plain COPY', lines, base);
      report('pglite: tspipe raw landing', lines, ours, median(base.map((m) => m.seconds)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

await main();
