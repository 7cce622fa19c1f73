// Measures src/jinja on the templates bench/synthetic-project.mjs writes: N models
// (config, ref, var and a macro call each) parsed, compiled and rendered, with
// natives like tspipe's. Not a test: prints the time so BENCHMARKS.md can record it.
//
//   node scripts/measure-jinja.mjs [models=10000] [rounds=5]
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticProject } from '../bench/synthetic-project.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const models = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 5);

const out = mkdtempSync(join(tmpdir(), 'tspipe-jinja-measure-'));
await build({
  entryPoints: [join(root, 'src/jinja/index.ts')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: join(out, 'jinja.mjs'),
  logLevel: 'warning',
});
const { Environment, pyFunction } = await import(join(out, 'jinja.mjs'));

const project = writeSyntheticProject(join(out, 'project'), models);
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.sql')) files.push({ path, source: readFileSync(path, 'utf8') });
  }
};
walk(join(project, 'models'));
const macroSource = readFileSync(join(project, 'macros', 'scaled.sql'), 'utf8');

function renderAll() {
  const env = new Environment();
  const scaled = env.fromString(macroSource, 'macros/scaled.sql').macro('scaled', {});
  const vars = {
    config: pyFunction(['**kwargs'], () => ''),
    ref: pyFunction(['name', 'version=None'], (name) => `"analytics"."${name}"`),
    var: pyFunction(['name', 'default=None'], (name, dflt) => (name === 'scale' ? 2 : dflt)),
    scaled,
  };
  let bytes = 0;
  for (const f of files) bytes += env.fromString(f.source, f.path).render(vars).length;
  return bytes;
}

renderAll(); // warm-up
const times = [];
for (let i = 0; i < rounds; i++) {
  const started = process.hrtime.bigint();
  renderAll();
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(
  `${files.length} templates parsed + compiled + rendered: median ${median.toFixed(0)} ms (${((median * 1000) / files.length).toFixed(1)} µs each; rounds ${times.map((t) => t.toFixed(0)).join(', ')} ms)`,
);
rmSync(out, { recursive: true, force: true });
