// Generate, seed (vs psql \copy of the same file into the same server) and build
// the gaming pipeline, with wall time, rows/s and peak memory per stage.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { timed } from './process-stats.mjs';
import { formatSeconds, summarize } from './stats.mjs';
import { freshDatabase, psql } from './postgres.mjs';

const TSPIPE = resolve('bin/tspipe.js');
const ROOT = resolve('.');

function pipelineCopy(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const entry of ['project.yml', 'models', 'macros', 'tests/assertions']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  return dir;
}

const SEED_HEADER = [
  '| events | `tspipe seed` | of which the seed node (COPY, lineage, swap) | `psql \\copy` (same file, same server) | ratio (rows/s vs psql) | ratio of the node alone | one COPY stream (`copy_streams: 1`) | tspipe peak RSS |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
];

function seedSection(rows) {
  return [
    '### Seed: raw landing of events.csv',
    '',
    ...rows,
    '',
    '`tspipe seed` is timed as a user runs it: process start-up, project load, connection and run lock included; the node column is its `execution_time` in run_results.json (the COPY streams into a staging table, lineage columns, rejects, the swap). It runs with its defaults (`--threads 4`: one COPY stream per 8 MiB of file, up to 4); the one-stream column is the same command on a copy of the project with `+copy_streams: 1`. psql copies into an empty table made before its timer starts. Runs alternate psql, tspipe, tspipe with one stream.',
    '',
  ];
}

/** The seed rows of one size: `runs` alternating psql \\copy, tspipe seed, tspipe seed on one stream. */
function measureSeed({ project, count, url, runs, workDir }) {
  const single = join(workDir, `pipeline-${count}-one-stream`);
  rmSync(single, { recursive: true, force: true });
  cpSync(project, single, { recursive: true });
  const yml = join(single, 'project.yml');
  writeFileSync(yml, readFileSync(yml, 'utf8').replace('+raw_landing: true', '+raw_landing: true\n    +copy_streams: 1'));
  const eventsFile = join(project, 'seeds', 'events.csv');
  const header = execFileSync('head', ['-1', eventsFile], { encoding: 'utf8' }).trim();
  const columns = header
    .split(',')
    .map((c) => `"${c}" text`)
    .join(', ');
  const copyTimes = [];
  const seedTimes = [];
  const nodeTimes = [];
  const singleTimes = [];
  let seedRss;
  let streams;
  const seed = (dir) => timed('node', [TSPIPE, 'seed', '--select', 'events', '--project-dir', dir, '--database-url', url]);
  for (let i = 0; i < runs; i++) {
    psql(url, `drop table if exists psql_copy; create table psql_copy (${columns})`);
    // The same file for both: generated without malformed lines, since COPY in
    // PostgreSQL 15 stops at the first one (tspipe would reject it and go on).
    copyTimes.push(timed('psql', [url, '-c', `\\copy psql_copy from '${eventsFile}' with (format csv, header)`]).seconds);
    const run = seed(project);
    seedTimes.push(run.seconds);
    const result = JSON.parse(readFileSync(join(project, 'target', 'run_results.json'), 'utf8')).results[0];
    nodeTimes.push(result.execution_time);
    streams = /on (\d+) COPY streams/.exec(result.message ?? '')?.[1] ?? '1';
    seedRss = run.peakRssMb;
    singleTimes.push(seed(single).seconds);
  }
  psql(url, 'drop table if exists psql_copy');
  const copy = summarize(copyTimes);
  const ours = summarize(seedTimes);
  const node = summarize(nodeTimes);
  const one = summarize(singleTimes);
  console.log(`seed ${count}: ${formatSeconds(ours)} (${streams} streams), one stream ${formatSeconds(one)}, vs psql ${formatSeconds(copy)}`);
  return [
    `| ${count.toLocaleString('en-US')} | ${formatSeconds(ours)} (${streams} streams) | ${formatSeconds(node)} | ${formatSeconds(copy)} | ${(copy.median / ours.median).toFixed(2)}x (target 1.0x) | ${(copy.median / node.median).toFixed(2)}x | ${formatSeconds(one)}: ${(copy.median / one.median).toFixed(2)}x | ${seedRss?.toFixed(0)} MB |`,
  ];
}

/**
 * `npm run bench -- --only seed`: the seed subsection alone (1M events, 5 runs), for
 * run.mjs to put in place of the one in BENCHMARKS.md.
 */
export async function benchSeedOnly({ workDir, adminUrl }) {
  if (!adminUrl) throw new Error('the seed benchmark needs PostgreSQL: set TSPIPE_BENCH_DATABASE_URL (or TSPIPE_TEST_DATABASE_URL)');
  const count = 1_000_000;
  const project = pipelineCopy(join(workDir, `pipeline-${count}`));
  timed('node', [
    TSPIPE,
    'generate',
    '--users',
    String(count / 20),
    '--games',
    '200',
    '--events',
    String(count),
    '--seed',
    '7',
    '--dirt-malformed',
    '0',
    '--out',
    join(project, 'seeds'),
  ]);
  const url = freshDatabase(adminUrl, 'tspipe_bench');
  try {
    return seedSection([...SEED_HEADER, ...measureSeed({ project, count, url, runs: 5, workDir })]);
  } finally {
    psql(adminUrl, 'drop database if exists tspipe_bench with (force)');
  }
}

export async function benchData({ full, workDir, adminUrl }) {
  const events = full ? [1_000_000, 5_000_000] : [1_000_000];
  const runs = 3;
  const lines = ['## Data: generate, seed, build', ''];
  const generateRows = ['| events | generate | rows/s | peak RSS |', '| --- | --- | --- | --- |'];
  const seedRows = [...SEED_HEADER];
  const buildRows = [
    '| events | database | `tspipe build` (seeds, 21 models, tests) | time with a node running | engine overhead (start-up, parse, scheduling) | most models and seeds at once (`--threads 2`) | peak RSS |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];

  for (const count of events) {
    const project = pipelineCopy(join(workDir, `pipeline-${count}`));
    const users = Math.round(count / 20);
    const generateArgs = [
      TSPIPE,
      'generate',
      '--users',
      String(users),
      '--games',
      '200',
      '--events',
      String(count),
      '--seed',
      '7',
      '--dirt-malformed',
      '0',
      '--out',
      join(project, 'seeds'),
    ];
    const gen = summarize(Array.from({ length: runs }, () => timed('node', generateArgs)).map((r) => r.seconds));
    const genRss = timed('node', generateArgs).peakRssMb;
    const totalRows = count + users + 200;
    generateRows.push(
      `| ${count.toLocaleString('en-US')} | ${formatSeconds(gen)} | ${Math.round(totalRows / gen.median).toLocaleString('en-US')} | ${genRss?.toFixed(0)} MB |`,
    );
    console.log(`generate ${count}: ${formatSeconds(gen)}`);

    if (!adminUrl) continue;
    const url = freshDatabase(adminUrl, 'tspipe_bench');
    seedRows.push(...measureSeed({ project, count, url, runs, workDir }));
    const build = timed('node', [TSPIPE, 'build', '--project-dir', project, '--database-url', url, '--threads', '2', '--log-format', 'json']);
    const busy = busySeconds(build.stdout);
    buildRows.push(
      `| ${count.toLocaleString('en-US')} | PostgreSQL 15 | ${build.seconds.toFixed(2)} s | ${busy.toFixed(2)} s | ${(build.seconds - busy).toFixed(2)} s (${(((build.seconds - busy) / build.seconds) * 100).toFixed(0)}%, target under 10%) | ${mostAtOnce(build.stdout)} | ${build.peakRssMb?.toFixed(0)} MB |`,
    );
    console.log(`build ${count} on PostgreSQL: ${build.seconds.toFixed(2)} s`);
    psql(adminUrl, 'drop database if exists tspipe_bench with (force)');
  }

  const demo = pipelineCopy(join(workDir, 'pipeline-demo'));
  cpSync(join(ROOT, 'seeds'), join(demo, 'seeds'), { recursive: true });
  const demoBuild = timed('node', [TSPIPE, 'build', '--project-dir', demo]);
  buildRows.push(
    `| demo (90,000) | PGlite (embedded, first run incl. initdb) | ${demoBuild.seconds.toFixed(2)} s | | | 1 (PGlite runs one at a time) | ${demoBuild.peakRssMb?.toFixed(0)} MB |`,
  );
  const demoAgain = timed('node', [TSPIPE, 'build', '--project-dir', demo]);
  buildRows.push(
    `| demo (90,000) | PGlite (embedded, existing database) | ${demoAgain.seconds.toFixed(2)} s | | | 1 | ${demoAgain.peakRssMb?.toFixed(0)} MB |`,
  );

  lines.push('### Generate (`tspipe generate`, users = events / 20, 200 games)', '', ...generateRows, '');
  if (adminUrl) {
    lines.push(...seedSection(seedRows));
  } else lines.push('Seed and PostgreSQL build skipped: set TSPIPE_BENCH_DATABASE_URL (or TSPIPE_TEST_DATABASE_URL).', '');
  lines.push('### Pipeline build', '', ...buildRows, '');
  return lines;
}

function nodeIntervals(jsonLog, { withTests = true } = {}) {
  return jsonLog
    .split('\n')
    .filter((line) => line.includes('"node_finished"'))
    .map((line) => JSON.parse(line))
    .filter((event) => event.startedAt && event.completedAt && (withTests || !event.uniqueId.startsWith('test.')))
    .map((event) => [Date.parse(event.startedAt), Date.parse(event.completedAt)])
    .sort((a, b) => a[0] - b[0]);
}

/**
 * Most models and seeds executing at the same moment: shows that --threads runs
 * independent nodes in parallel (a build's tests run inside their model's run).
 */
function mostAtOnce(jsonLog) {
  const edges = nodeIntervals(jsonLog, { withTests: false }).flatMap(([s, e]) => [
    [s, 1],
    [e, -1],
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let most = 0;
  for (const [, change] of edges) most = Math.max(most, (running += change));
  return most;
}

/** Seconds during which at least one node was executing (the union of node intervals). */
function busySeconds(jsonLog) {
  const intervals = nodeIntervals(jsonLog);
  let total = 0;
  let [start, end] = intervals[0] ?? [0, 0];
  for (const [s, e] of intervals.slice(1)) {
    if (s > end) {
      total += end - start;
      [start, end] = [s, e];
    } else end = Math.max(end, e);
  }
  return (total + end - start) / 1000;
}
