// `npm run compat`: real dbt projects (bench/compat/projects.mjs) run by dbt-core and by
// tspipe, unchanged (`deps` then `build`), on PostgreSQL and on tspipe's embedded
// database. Node-by-node statuses and every model's and seed's rows (a checksum) must
// equal dbt-core's. Writes COMPAT.md; exits 1 on any difference.
//
//   npm run compat                 every project
//   npm run compat -- --ci         the slice .ci/run runs (projects marked ci)
//   npm run compat -- dbt-date     one project
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { exportRepository } from './export-project.mjs';
import { startHubMirror } from './hub-mirror.mjs';
import { gitMirrorEnv, mirrorOf } from './mirrors.mjs';
import { PROJECTS } from './projects.mjs';
import { runDbt, runTspipe, writeProfile } from './runners.mjs';
import { checksumsPglite, checksumsPostgres, placeholders } from './checksums.mjs';
import { compareRuns } from './compare.mjs';
import { generateJaffleData } from './jaffle-data.mjs';
import { freshDatabase } from '../postgres.mjs';
import { ensureDbt } from './ensure-dbt.mjs';

const root = resolve(new URL('../..', import.meta.url).pathname);
const args = process.argv.slice(2);
const ci = args.includes('--ci');
const named = args.filter((a) => !a.startsWith('--'));
const adminUrl = process.env.TSPIPE_COMPAT_DATABASE_URL || process.env.TSPIPE_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const selected = PROJECTS.filter((p) => (named.length ? named.includes(p.name) : ci ? p.ci : true));

const dbt = ensureDbt(root);
// The CI slice works apart (folder and databases), so it can run beside a full run.
const work = join(tmpdir(), ci ? 'tspipe-compat-ci' : 'tspipe-compat');
const prefix = ci ? 'compat_ci' : 'compat';
rmSync(work, { recursive: true, force: true });
const hub = await startHubMirror();
const env = { ...process.env, ...gitMirrorEnv(), DBT_PACKAGE_HUB_URL: hub.url, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', DO_NOT_TRACK: '1' };
const rows = [];
let failed = false;
try {
  for (const project of selected) {
    const mirror = mirrorOf(project.repo);
    if (!mirror) {
      console.log(`== ${project.name}: skipped, no mirror of ${project.repo} under ${process.env.TSPIPE_COMPAT_MIRRORS || '/work/.mirror'}`);
      rows.push({ project, skipped: `no mirror of ${project.repo}` });
      continue;
    }
    console.log(`== ${project.name}`);
    const source = join(work, project.name, 'source');
    const exported = exportRepository(mirror, source);
    if (project.data === 'jafgen') await generateJaffleData(dbt.venv, join(source, project.dir, 'seeds', 'jaffle-data'));
    const copy = (variant) => {
      const dir = join(work, project.name, variant);
      cpSync(source, dir, { recursive: true });
      return join(dir, project.dir);
    };
    const slug = project.name.replace(/[^a-z0-9]/g, '_');
    const schema = `compat_${slug}`;
    const dbtDb = freshDatabase(adminUrl, `${prefix}_${slug}_dbt`);
    const tspipeDb = freshDatabase(adminUrl, `${prefix}_${slug}_tspipe`);
    const dbtDir = copy('dbt');
    const dbtRun = await runDbt(dbt.bin, dbtDir, {
      env: { ...env, DBT_PROFILES_DIR: writeProfile(dbtDir, dbtDb, schema) },
      vars: project.vars,
      before: project.before,
    });
    const pgDir = copy('tspipe-pg');
    const pgRun = await runTspipe(root, pgDir, {
      env: { ...env, DBT_PROFILES_DIR: writeProfile(pgDir, tspipeDb, schema) },
      vars: project.vars,
      before: project.before,
    });
    const embeddedDir = copy('tspipe-embedded');
    const embeddedRun = await runTspipe(root, embeddedDir, { env, vars: project.vars, before: project.before, target: 'embedded' });
    // Each tool's own manifest says where it put each node (the embedded target has its own schema).
    const schemasOf = (run) => new Set(run.relations.map((r) => r.schema));
    const sums = {
      dbt: await checksumsPostgres(dbtDb, dbtRun.relations, placeholders(new URL(dbtDb).pathname.slice(1), schemasOf(dbtRun), schema)),
      pg: await checksumsPostgres(tspipeDb, pgRun.relations, placeholders(new URL(tspipeDb).pathname.slice(1), schemasOf(pgRun), schema)),
      embedded: await checksumsPglite(root, embeddedRun.pgliteDir, embeddedRun.relations, placeholders('postgres', schemasOf(embeddedRun), 'public')),
    };
    const pg = compareRuns(dbtRun, pgRun, sums.dbt, sums.pg);
    const embedded = compareRuns(dbtRun, embeddedRun, sums.dbt, sums.embedded);
    failed ||= !pg.equal || !embedded.equal;
    rows.push({ project, commit: exported.commit, missing: exported.missing, dbtRun, pgRun, embeddedRun, pg, embedded });
    for (const [label, result] of [
      ['PostgreSQL', pg],
      ['embedded', embedded],
    ]) {
      console.log(`  ${label}: ${result.equal ? 'same as dbt-core' : `${result.differences.length} differences`}`);
      for (const difference of result.differences.slice(0, 40)) console.log(`    ${difference}`);
    }
  }
} finally {
  await hub.close();
}

writeFileSync(ci ? join(work, 'COMPAT.md') : join(root, 'COMPAT.md'), report(rows));
console.log(ci ? `wrote ${join(work, 'COMPAT.md')}` : 'wrote COMPAT.md');
process.exit(failed ? 1 : 0);

function report(rows) {
  const seconds = (s) => (s === undefined ? '-' : `${s.toFixed(1)} s`);
  const passed = (run) => `${run.passed}/${run.total}`;
  const lines = [
    '# Compatibility with dbt-core',
    '',
    `Written by \`npm run compat\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB.`,
    `dbt-core ${dbt.versions.core} with dbt-postgres ${dbt.versions.postgres} (PyPI, \`bench/.dbt-venv\`) and tspipe, on PostgreSQL 127.0.0.1, each project run unchanged with \`deps\` then \`build\`.`,
    "Packages come from local mirrors of their repositories: a hub on 127.0.0.1 serves their release tags (DBT_PACKAGE_HUB_URL) and git URLs are rewritten to the mirrors (git's url.insteadOf), for both tools alike.",
    '"passed": nodes whose status is success or pass. "same": every node has dbt-core\'s status, and every model and seed has dbt-core\'s rows (a checksum of the rows as text, so types count too; relation names printed inside values are compared without their database and schema, which differ between the runs; a model whose compiled SQL, or an upstream one, reads the clock or random() is compared by its columns and row count, and a test over it by having run (pass, warn or fail); tests that share a name are compared as the multiset of their statuses; unit tests dbt-core skipped after a sibling failed are not compared, since its order is a Python set\'s).',
    '',
    '| project | nodes | passed under dbt-core | tspipe on PostgreSQL | tspipe embedded | same as dbt-core | dbt-core build | tspipe build (PostgreSQL) | speed-up | tspipe build (embedded) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    if (row.skipped) {
      lines.push(`| ${row.project.name} | skipped: ${row.skipped} | | | | | | | | |`);
      continue;
    }
    const same = row.pg.equal && row.embedded.equal ? 'yes' : `no (${row.pg.differences.length} on PostgreSQL, ${row.embedded.differences.length} embedded)`;
    const speedup = row.pgRun.seconds.build ? `${(row.dbtRun.seconds.build / row.pgRun.seconds.build).toFixed(1)}x` : '-';
    lines.push(
      `| ${row.project.name} (${row.project.repo}@${row.commit}) | ${row.dbtRun.total} | ${passed(row.dbtRun)} | ${passed(row.pgRun)} | ${passed(row.embeddedRun)} | ${same} | ${seconds(row.dbtRun.seconds.build)} | ${seconds(row.pgRun.seconds.build)} | ${speedup} | ${seconds(row.embeddedRun.seconds.build)} |`,
    );
  }
  lines.push(
    '',
    'deps took (dbt-core / tspipe): ' +
      rows
        .filter((r) => !r.skipped)
        .map((r) => `${r.project.name} ${seconds(r.dbtRun.seconds.deps)} / ${seconds(r.pgRun.seconds.deps)}`)
        .join(', ') +
      '.',
  );
  for (const row of rows.filter((r) => !r.skipped && r.missing.length)) {
    lines.push(
      '',
      `${row.project.name}: the mirror lacks ${row.missing.join(', ')}${row.project.data === 'jafgen' ? "; the seeds were generated with jafgen (the shop's documented generator), one year" : ''}.`,
    );
  }
  const differing = rows.filter((r) => !r.skipped && (!r.pg.equal || !r.embedded.equal));
  for (const row of differing) {
    lines.push('', `## ${row.project.name}: differences`, '');
    for (const [label, result] of [
      ['PostgreSQL', row.pg],
      ['embedded', row.embedded],
    ]) {
      for (const difference of result.differences) lines.push(`- ${label}: ${difference}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
