// Runs `deps` then `build` with dbt-core or tspipe in a project folder and reads what
// each wrote: run_results.json (status per node) and manifest.json (relations).
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify, parse } from 'yaml';

const run = promisify(execFile);

/** A profiles.yml for the project's profile, pointing at `url`, in its own folder. */
export function writeProfile(projectDir, url, schema) {
  const project = parse(readFileSync(join(projectDir, 'dbt_project.yml'), 'utf8'), { uniqueKeys: false });
  const { hostname, port, username, password, pathname } = new URL(url);
  const output = {
    type: 'postgres',
    host: hostname,
    port: Number(port || 5432),
    user: username,
    password: password || '',
    dbname: pathname.slice(1),
    schema,
    threads: 4,
  };
  const dir = join(projectDir, '..', '.compat-profiles');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'profiles.yml'), stringify({ [project.profile ?? 'default']: { target: 'compat', outputs: { compat: output } } }));
  return dir;
}

async function timed(file, args, options) {
  const started = performance.now();
  try {
    const { stdout } = await run(file, args, { ...options, maxBuffer: 256 * 2 ** 20 });
    return { seconds: (performance.now() - started) / 1000, ok: true, output: stdout };
  } catch (error) {
    // a failed test exits 1: still a run whose results count
    return { seconds: (performance.now() - started) / 1000, ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}` };
  }
}

function varsArgs(vars) {
  return vars ? ['--vars', JSON.stringify(vars)] : [];
}

export async function runDbt(bin, dir, { env, vars, before = [] }) {
  const deps = await timed(bin, ['deps'], { cwd: dir, env });
  if (!deps.ok) throw new Error(`dbt deps failed in ${dir}:\n${deps.output.slice(-3000)}`);
  for (const step of before) await timed(bin, [...step.args, ...varsArgs(step.vars)], { cwd: dir, env });
  const build = await timed(bin, ['build', ...varsArgs(vars)], { cwd: dir, env });
  return readRun(dir, { deps: deps.seconds, build: build.seconds }, build);
}

export async function runTspipe(root, dir, { env, vars, target, before = [] }) {
  const cli = join(root, 'bin/tspipe.js');
  const targetArgs = target ? ['--target', target] : [];
  const deps = await timed(process.execPath, [cli, 'deps', '--project-dir', dir], { env });
  if (!deps.ok) return failedRun({ deps: deps.seconds }, deps.output);
  for (const step of before) await timed(process.execPath, [cli, ...step.args, '--project-dir', dir, ...varsArgs(step.vars), ...targetArgs], { env });
  const build = await timed(process.execPath, [cli, 'build', '--project-dir', dir, ...varsArgs(vars), ...targetArgs], { env });
  const result = readRun(dir, { deps: deps.seconds, build: build.seconds }, build);
  return { ...result, pgliteDir: join(dir, '.tspipe/pglite') };
}

/** Compiled SQL that reads the clock or draws random numbers gives other rows on another run. */
function nondeterministicSql(dir, node) {
  const path = node.compiled_path ? join(dir, 'target', node.compiled_path.replace(/^target\//, '')) : undefined;
  try {
    return /\b(now\(\)|current_timestamp|current_date|localtimestamp|clock_timestamp|random\(\))/i.test(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
}

/** Nodes whose rows change from run to run: their own SQL, or any node upstream, is nondeterministic. */
function nondeterministicNodes(dir, nodes) {
  const memo = new Map();
  const visit = (id) => {
    if (memo.has(id)) return memo.get(id);
    memo.set(id, false);
    const node = nodes[id];
    const result = !!node && (nondeterministicSql(dir, node) || (node.depends_on?.nodes ?? []).some(visit));
    memo.set(id, result);
    return result;
  };
  return visit;
}

function failedRun(seconds, output) {
  return { seconds, statuses: new Map(), relations: [], passed: 0, total: 0, output };
}

function readRun(dir, seconds, build) {
  let results;
  let manifest;
  try {
    results = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
  } catch {
    return failedRun(seconds, build.output);
  }
  const statuses = new Map(results.results.filter((r) => r.status !== 'no-op').map((r) => [r.unique_id, r.status]));
  const relations = [];
  const nondeterministic = nondeterministicNodes(dir, manifest.nodes);
  for (const [id, node] of Object.entries(manifest.nodes)) {
    if (!['model', 'seed', 'snapshot'].includes(node.resource_type) || !statuses.has(id) || !node.relation_name) continue;
    relations.push({ id, schema: node.schema, identifier: node.alias ?? node.name, nondeterministic: nondeterministic(id) });
  }
  // a test over rows that change from run to run may pass in one run and warn in another
  const overChangingRows = new Set(
    Object.entries(manifest.nodes)
      .filter(([id, node]) => node.resource_type === 'test' && statuses.has(id) && (node.depends_on?.nodes ?? []).some(nondeterministic))
      .map(([id]) => id),
  );
  const passed = [...statuses.values()].filter((s) => s === 'success' || s === 'pass').length;
  return { seconds, statuses, relations, overChangingRows, passed, total: statuses.size, output: build.output };
}
