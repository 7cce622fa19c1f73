// Side by side with dbt-core: `dbt parse` vs `tspipe parse` (and `tspipe compile`) of the same synthetic
// project, and `dbt seed` vs `tspipe seed` (typed, dbt-style) of the same events.csv
// into a fresh database. dbt-core and dbt-postgres come from PyPI into bench/.dbt-venv
// (bench/setup-dbt.sh); when that fails the section says why instead of giving numbers.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { timed } from './process-stats.mjs';
import { formatSeconds, summarize } from './stats.mjs';
import { writeSyntheticProject } from './synthetic-project.mjs';
import { freshDatabase, psql } from './postgres.mjs';
import { moveTargetAside } from './cold-target.mjs';

const TSPIPE = resolve('bin/tspipe.js');
const SETUP = resolve('bench/setup-dbt.sh');
const DBT = resolve('bench/.dbt-venv/bin/dbt');
const PROFILE = 'synthetic'; // the profile name in the synthetic dbt_project.yml
const SEED_DATABASE = 'tspipe_bench_dbt';

/** Runs bench/setup-dbt.sh; returns { seconds } or { error }. */
function installDbt() {
  const started = process.hrtime.bigint();
  const result = spawnSync('bash', [SETUP], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status === 0 && existsSync(DBT)) return { seconds };
  const output = `${result.stderr ?? ''}\n${result.stdout ?? ''}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.includes('is ignored: it is neither a file nor a directory'));
  // The most telling line: a Python exception, then pip's ERROR, then any error.
  const reason =
    output.find((line) => /^[A-Z]\w*Error: /.test(line)) ??
    output.find((line) => /^ERROR: (?!Ignored)/.test(line)) ??
    output.findLast((line) => /error|failed|not found|no python/i.test(line)) ??
    output.at(-1) ??
    result.error?.message ??
    `exit ${result.status}`;
  return { error: reason.replaceAll('|', '\\|').slice(0, 300) };
}

function dbtVersions(env) {
  const out = execFileSync(DBT, ['--version'], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { core: out.match(/installed:\s*(\S+)/)?.[1] ?? '?', postgres: out.match(/postgres:\s*(\S+)/)?.[1] ?? '?' };
}

/** A profiles.yml in its own DBT_PROFILES_DIR; the database name comes from an env var per run. */
function writeProfiles(dir, adminUrl) {
  const url = new URL(adminUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  mkdirSync(dir, { recursive: true });
  const database = decodeURIComponent(url.pathname.slice(1)) || 'postgres';
  writeFileSync(
    join(dir, 'profiles.yml'),
    [
      `${PROFILE}:`,
      '  target: bench',
      '  outputs:',
      '    bench:',
      '      type: postgres',
      `      host: '${url.hostname || '127.0.0.1'}'`,
      `      port: ${url.port || 5432}`,
      `      user: '${decodeURIComponent(url.username) || 'postgres'}'`,
      `      password: '${decodeURIComponent(url.password)}'`,
      `      dbname: "{{ env_var('TSPIPE_BENCH_DBT_DBNAME', '${database}') }}"`,
      '      schema: bench',
      '      threads: 4',
      '',
    ].join('\n'),
  );
  return { DBT_PROFILES_DIR: dir, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', DBT_VERSION_CHECK: 'false', DBT_USE_COLORS: 'false' };
}

function dbt(args, dir, env) {
  return timed(DBT, [...args, '--project-dir', dir], { env, cwd: dir }).seconds;
}

function tspipe(args, dir) {
  return timed('node', [TSPIPE, ...args, '--project-dir', dir]).seconds;
}

/** `dbt parse`, `tspipe parse` and `tspipe compile`, cold and warm, of copies of one project, interleaved. */
function benchParse(size, runs, workDir, env) {
  const dbtDir = writeSyntheticProject(join(workDir, `dbt-parse-${size}`), size, { dbt: true });
  const tspipeDir = join(workDir, `dbt-parse-${size}-tspipe`);
  rmSync(tspipeDir, { recursive: true, force: true });
  cpSync(dbtDir, tspipeDir, { recursive: true });
  const times = { dbtCold: [], dbtWarm: [], parseCold: [], parseWarm: [], compileCold: [], compileWarm: [] };
  const coldAndWarm = (measure, cold, warm) => {
    cold.push(measure());
    measure(); // the first warm run may still save caches
    warm.push(measure());
  };
  for (let run = 0; run < runs; run++) {
    moveTargetAside(dbtDir, workDir);
    times.dbtCold.push(dbt(['parse', '--no-partial-parse'], dbtDir, env));
    dbt(['parse'], dbtDir, env); // writes target/partial_parse.msgpack
    times.dbtWarm.push(dbt(['parse'], dbtDir, env));
    for (const command of ['parse', 'compile']) {
      moveTargetAside(tspipeDir, workDir);
      coldAndWarm(() => tspipe([command], tspipeDir), times[`${command}Cold`], times[`${command}Warm`]);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([key, values]) => [key, summarize(values)]));
}

/** `dbt seed` vs `tspipe seed` (typed) of the same events.csv, each into a fresh database. */
function benchSeed(events, runs, dbtRuns, workDir, env, adminUrl) {
  const generated = join(workDir, `dbt-seed-gen-${events}`);
  rmSync(generated, { recursive: true, force: true });
  execFileSync(
    'node',
    [TSPIPE, 'generate', '--users', '5000', '--games', '100', '--events', String(events), '--seed', '7', '--dirt-malformed', '0', '--out', generated],
    { stdio: 'pipe' },
  );
  const dbtDir = join(workDir, 'dbt-seed');
  const tspipeDir = join(workDir, 'dbt-seed-tspipe');
  for (const dir of [dbtDir, tspipeDir]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'seeds'), { recursive: true });
    cpSync(join(generated, 'events.csv'), join(dir, 'seeds', 'events.csv'));
  }
  writeFileSync(join(dbtDir, 'dbt_project.yml'), `name: seed_bench\nversion: '1.0'\nconfig-version: 2\nprofile: ${PROFILE}\nseed-paths: [seeds]\n`);
  writeFileSync(join(tspipeDir, 'project.yml'), 'name: seed_bench\nversion: 1\nseed-paths: [seeds]\n');
  // The generator adds duplicate events on top of --events; one record per line.
  const rows = readFileSync(join(generated, 'events.csv'), 'utf8').trimEnd().split('\n').length - 1;
  const seedEnv = { ...env, TSPIPE_BENCH_DBT_DBNAME: SEED_DATABASE };
  const times = { dbt: [], tspipe: [] };
  for (let run = 0; run < runs; run++) {
    if (run < dbtRuns) {
      const url = freshDatabase(adminUrl, SEED_DATABASE);
      times.dbt.push(dbt(['seed'], dbtDir, seedEnv));
      checkRows(url, rows, 'dbt seed');
    }
    const url = freshDatabase(adminUrl, SEED_DATABASE);
    times.tspipe.push(tspipe(['seed', '--database-url', url], tspipeDir));
    checkRows(url, rows, 'tspipe seed');
  }
  psql(adminUrl, `drop database if exists ${SEED_DATABASE} with (force)`);
  return { rows, dbt: summarize(times.dbt), tspipe: summarize(times.tspipe) };
}

function checkRows(url, expected, who) {
  const schema = psql(url, "select table_schema from information_schema.tables where table_name = 'events' limit 1");
  const rows = schema ? Number(psql(url, `select count(*) from "${schema}".events`)) : 0;
  if (rows !== expected) throw new Error(`${who} loaded ${rows} rows into events, expected ${expected}`);
}

export async function benchDbt({ full, workDir, adminUrl, sizes = full ? [1000, 10000] : [1000], seedEvents = 100_000, runs = 3, dbtSeedRuns = 1 }) {
  const lines = ['## Side by side with dbt-core', ''];
  const install = installDbt();
  if (install.error) {
    console.log(`dbt: not installed (${install.error})`);
    return [...lines, `dbt-core not installed: ${install.error}`, ''];
  }
  const env = writeProfiles(join(workDir, 'dbt-profiles'), adminUrl);
  const versions = dbtVersions(env);
  lines.push(
    `dbt-core ${versions.core} and dbt-postgres ${versions.postgres} from PyPI in \`bench/.dbt-venv\` (\`bench/setup-dbt.sh\`, ${install.seconds.toFixed(1)} s this run${install.seconds < 1 ? ': already installed' : ''}), on the same machine in the same run, interleaved with tspipe.`,
    '',
    '### Parse: `dbt parse` vs `tspipe parse` and `tspipe compile`',
    '',
    `The synthetic project of the compile section written as a dbt project (\`dbt_project.yml\`), the same files for both. dbt cold: \`dbt parse --no-partial-parse\`; dbt warm: \`dbt parse\` with \`target/partial_parse.msgpack\`. tspipe cold: no \`target/\`; warm: the same command again. \`tspipe parse\` does what \`dbt parse\` does (read, render, check, write \`manifest.json\`); \`tspipe compile\` also writes every model's compiled SQL. Ratios: \`dbt parse\` time over \`tspipe parse\` time.${full ? '' : ' 10,000 models with `--full` (dbt takes minutes).'}`,
    '',
    '| models | `dbt parse` cold | `dbt parse` warm | `tspipe parse` cold | `tspipe parse` warm | `tspipe compile` cold | `tspipe compile` warm | ratio cold | ratio warm | target |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  try {
    for (const size of sizes) {
      // dbt parse of 10,000 models takes minutes cold: one interleaved round there.
      const t = benchParse(size, size >= 10_000 ? 1 : runs, workDir, env);
      const cold = t.dbtCold.median / t.parseCold.median;
      const warm = t.dbtWarm.median / t.parseWarm.median;
      lines.push(
        `| ${size.toLocaleString('en-US')} | ${formatSeconds(t.dbtCold)} | ${formatSeconds(t.dbtWarm)} | ${formatSeconds(t.parseCold)} | ${formatSeconds(t.parseWarm)} | ${formatSeconds(t.compileCold)} | ${formatSeconds(t.compileWarm)} | ${cold.toFixed(1)}x | ${warm.toFixed(1)}x | 30x |`,
      );
      console.log(
        `dbt parse ${size}: cold ${formatSeconds(t.dbtCold)}, warm ${formatSeconds(t.dbtWarm)}; tspipe parse ${formatSeconds(t.parseCold)}, ${formatSeconds(t.parseWarm)} (${cold.toFixed(1)}x, ${warm.toFixed(1)}x); tspipe compile ${formatSeconds(t.compileCold)}, ${formatSeconds(t.compileWarm)}`,
      );
    }
  } catch (error) {
    lines.push('', `dbt parse failed: ${String(error.message).split('\n').slice(0, 3).join(' ')}`);
    console.log(`dbt parse failed: ${error.message}`);
  }
  lines.push('', '### Seed: `dbt seed` vs `tspipe seed`', '');
  if (!adminUrl) return [...lines, 'Skipped: set TSPIPE_BENCH_DATABASE_URL (or TSPIPE_TEST_DATABASE_URL).', ''];
  try {
    const s = benchSeed(seedEvents, runs, Math.min(dbtSeedRuns, runs), workDir, env, adminUrl);
    const ratio = s.dbt.median / s.tspipe.median;
    lines.push(
      `\`events.csv\` of \`tspipe generate --events ${seedEvents} --users 5000 --games 100 --seed 7\` (7 columns, with the generator's duplicate events), each run into a fresh database (${s.dbt.runs} run${s.dbt.runs > 1 ? 's' : ''} of \`dbt seed\`, which takes minutes, ${s.tspipe.runs} of \`tspipe seed\`). tspipe as a typed dbt-style seed (no \`raw_landing\`), so both infer the column types and create one table.`,
      '',
      '| rows | `dbt seed` | `tspipe seed` | rows/s dbt | rows/s tspipe | ratio | target |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      `| ${s.rows.toLocaleString('en-US')} | ${formatSeconds(s.dbt)} | ${formatSeconds(s.tspipe)} | ${Math.round(s.rows / s.dbt.median).toLocaleString('en-US')} | ${Math.round(s.rows / s.tspipe.median).toLocaleString('en-US')} | ${ratio.toFixed(1)}x | 20x |`,
    );
    console.log(`dbt seed ${seedEvents}: ${formatSeconds(s.dbt)} vs tspipe ${formatSeconds(s.tspipe)} (${ratio.toFixed(1)}x)`);
  } catch (error) {
    lines.push(`Seed comparison failed: ${String(error.message).split('\n').slice(0, 3).join(' ')}`);
    console.log(`dbt seed failed: ${error.message}`);
  }
  lines.push('');
  return lines;
}
