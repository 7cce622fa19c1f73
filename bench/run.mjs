// `npm run bench`: runs the benchmarks and rewrites BENCHMARKS.md with the machine,
// the date, versions, and each figure as the median of several runs (min-max).
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { benchCompile } from './compile.bench.mjs';
import { benchData, benchSeedOnly } from './data.bench.mjs';
import { benchStartup } from './startup.bench.mjs';
import { benchDbt } from './dbt.bench.mjs';
import { emptyTrash } from './cold-target.mjs';
import { benchAirflowParallel, spliceSection } from './airflow-parallel.bench.mjs';

const full = process.argv.includes('--full');
const sections = [];
const workDir = join(tmpdir(), 'tspipe-bench');
const adminUrl =
  process.env.TSPIPE_BENCH_DATABASE_URL || process.env.TSPIPE_TEST_DATABASE_URL || (pgReachable() ? 'postgres://postgres@127.0.0.1:5432/postgres' : undefined);

// `npm run bench -- --only seed|airflow-parallel`: that section alone, put in place in
// BENCHMARKS.md (the other sections keep their last full run).
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
if (only === 'seed') {
  const section = await benchSeedOnly({ workDir, adminUrl });
  const text = readFileSync('BENCHMARKS.md', 'utf8');
  const start = text.indexOf(section[0]);
  const end = text.indexOf('\n###', start + 1);
  if (start < 0 || end < 0) throw new Error(`BENCHMARKS.md has no "${section[0]}" subsection to replace`);
  const dated = [
    ...section,
    `(This subsection: \`npm run bench -- --only seed\` on ${new Date().toISOString().slice(0, 10)}, load average ${loadavg()[0].toFixed(1)} at the end.)`,
    '',
  ];
  writeFileSync('BENCHMARKS.md', text.slice(0, start) + dated.join('\n') + text.slice(end));
  console.log('wrote the seed section of BENCHMARKS.md');
  emptyTrash(workDir);
  process.exit(0);
} else if (only === 'airflow-parallel') {
  const section = await benchAirflowParallel({ workDir, adminUrl });
  // A skipped run keeps the last measurement in BENCHMARKS.md.
  if (section.some((line) => line.startsWith('Skipped:'))) {
    console.error(section.join('\n'));
    process.exit(2);
  }
  writeFileSync('BENCHMARKS.md', spliceSection(readFileSync('BENCHMARKS.md', 'utf8'), section));
  console.log(section.join('\n'));
  process.exit(0);
} else if (only !== undefined) {
  console.error(`bench: unknown section ${only} (known: seed, airflow-parallel)`);
  process.exit(2);
}
sections.push(await benchCompile({ full, workDir }));
sections.push(await benchStartup({ workDir, adminUrl }));
sections.push(await benchData({ full, workDir, adminUrl }));
sections.push(await benchDbt({ full, workDir, adminUrl }));
sections.push(await benchAirflowParallel({ workDir, adminUrl }));
emptyTrash(workDir);

function pgReachable() {
  try {
    execFileSync('pg_isready', ['-q', '-h', '127.0.0.1', '-p', '5432']);
    return true;
  } catch {
    return false;
  }
}

const pkg = JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./package.json"))']).toString());
const header = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench${full ? ' -- --full' : ''}\` on ${new Date().toISOString().slice(0, 10)}.`,
  `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, tspipe ${pkg.version}.`,
  'Each figure is the median of several runs, with min-max in brackets. Ratios compare with a baseline measured in the same run.',
  '',
];
writeFileSync('BENCHMARKS.md', [...header, ...sections.flat(), ''].join('\n'));
console.log('wrote BENCHMARKS.md');
