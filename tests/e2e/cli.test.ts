/**
 * The CLI as a user meets it: the real binary in a subprocess, the README's first
 * command on the embedded database, exit codes, messages without stack traces.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAdapter } from '../../src/adapter/open-adapter.js';
import { TEST_DATABASES } from '../support/databases.js';
import { runCli } from '../support/cli.js';
import { REPO_ROOT } from '../support/pipeline-files.js';

const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function copyOfPipeline(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tspipe-e2e-'));
  temporary.push(dir);
  for (const entry of ['project.yml', 'models', 'macros', 'seeds', 'snapshots', 'tests/assertions']) {
    cpSync(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  return dir;
}

const KPI_COUNTS = `select 'user_kpis' as t, count(*)::int as n from kpi.user_kpis
  union all select 'game_kpis', count(*)::int from kpi.game_kpis
  union all select 'monthly_kpis', count(*)::int from kpi.monthly_kpis
  union all select 'location_kpis', count(*)::int from kpi.location_kpis
  union all select 'clean_events', count(*)::int from clean.events
  order by 1`;

describe('tspipe CLI', () => {
  it('explains itself with --help and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['run', 'build', 'seed', 'compile', 'ls', 'debug', 'generate']) expect(result.stdout).toContain(`tspipe ${command}`);
    expect(result.stdout).toContain('Exit codes');
  });

  it('exits 2 with a usage message for an unknown command', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown command 'frobnicate'.");
  });

  it('parses like dbt parse: the manifest, then nothing to do until a file changes', async () => {
    const dir = copyOfPipeline();
    const first = await runCli(['parse', '--project-dir', dir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Parsed 24 models, \d+ data tests, 3 seeds, 5 sources, \d+ macros in [\d.]+s -> target\/manifest\.json$/m);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.nodes['model.gaming_kpis.user_kpis'].resource_type).toBe('model');
    expect((await runCli(['parse', '--project-dir', dir])).stdout).toContain('(unchanged since the last parse)');
    writeFileSync(path.join(dir, 'models/kpi/extra_model.sql'), "select count(*) as n from {{ ref('user_kpis') }}\n");
    const edited = await runCli(['parse', '--project-dir', dir]);
    expect(edited.stdout).toContain('Parsed 25 models');
    expect(edited.stdout).not.toContain('unchanged');
    const forced = await runCli(['parse', '--project-dir', dir, '--no-partial-parse']);
    expect(forced.stdout).toContain('Parsed 25 models');
    expect(forced.stdout).not.toContain('unchanged');
  });

  it('exits 2 with file:line and a hint, and no stack trace, for a broken project', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tspipe-e2e-broken-'));
    temporary.push(dir);
    mkdirSync(path.join(dir, 'models'));
    writeFileSync(path.join(dir, 'project.yml'), 'name: broken\n');
    writeFileSync(path.join(dir, 'models/customers.sql'), 'select 1 as id\n');
    writeFileSync(path.join(dir, 'models/orders.sql'), "select *\nfrom {{ ref('customer') }}\n");
    const result = await runCli(['run', '--project-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('models/orders.sql:2: ref("customer") names a model or seed that does not exist');
    expect(result.stderr).toContain('hint: did you mean "customers"?');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('build --indirect-selection empty runs the named tests only (as the Airflow DAG calls it)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tspipe-e2e-indirect-'));
    temporary.push(dir);
    mkdirSync(path.join(dir, 'models'));
    writeFileSync(path.join(dir, 'project.yml'), 'name: shop\n');
    writeFileSync(path.join(dir, 'models/customers.sql'), 'select 1 as id\n');
    writeFileSync(path.join(dir, 'models/orders.sql'), 'select 1 as id, 1 as customer_id\n');
    writeFileSync(
      path.join(dir, 'models/schema.yml'),
      [
        'models:',
        '  - name: customers',
        '    columns: [{name: id, tests: [unique]}]',
        '  - name: orders',
        "    columns: [{name: customer_id, tests: [{relationships: {to: ref('customers'), field: id}}]}]",
        '',
      ].join('\n'),
    );
    const plan = async (...args: string[]) => (await runCli(['build', '--project-dir', dir, '--dry-run', ...args])).stdout;
    // eager (the default) takes orders' relationships test along with customers, before orders is built.
    expect(await plan('--select', 'customers')).toContain('test relationships_orders_customer_id__id__ref_customers_');
    const named = await plan('--select', 'customers', 'unique_customers_id', '--indirect-selection', 'empty');
    expect(named).toContain('Plan for target dev: 2 nodes');
    expect(named).toContain('test unique_customers_id  after customers');
    expect(named).not.toContain('relationships');
  });

  it('runs the whole pipeline on the embedded database (the README command)', async () => {
    const dir = copyOfPipeline();
    const result = await runCli(['build', '--project-dir', dir], { timeoutMs: 600_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/START table model kpi\.user_kpis/);
    expect(result.stdout).toMatch(/OK created table kpi\.user_kpis \([\d,]+ rows\) in [\d.]+s/);
    expect(result.stdout).toContain('Completed successfully');
    const db = await openAdapter({ kind: 'pglite', dataDir: path.join(dir, '.tspipe/pglite') });
    try {
      const counts = Object.fromEntries((await db.query<{ t: string; n: number }>(KPI_COUNTS)).rows.map((r) => [r.t, r.n]));
      expect(counts.user_kpis).toBeGreaterThan(2000);
      expect(counts.game_kpis).toBe(50);
      expect(counts.monthly_kpis).toBeGreaterThanOrEqual(24);
    } finally {
      await db.close();
    }
  }, 600_000);

  const postgres = TEST_DATABASES.find((db) => db.name === 'postgres')!;
  it.skipIf(!postgres.available)(
    `builds the same results on PostgreSQL with --database-url${postgres.skipNote}`,
    async () => {
      const dir = copyOfPipeline();
      const created = await postgres.create();
      try {
        const result = await runCli(['build', '--project-dir', dir, '--database-url', created.url!, '--threads', '4'], { timeoutMs: 600_000 });
        expect(result.code).toBe(0);
        const pg = await openAdapter(created.spec);
        const counts = (await pg.query(KPI_COUNTS)).rows;
        await pg.close();
        const local = await runCli(['build', '--project-dir', dir], { timeoutMs: 600_000 });
        expect(local.code).toBe(0);
        const embedded = await openAdapter({ kind: 'pglite', dataDir: path.join(dir, '.tspipe/pglite') });
        const embeddedCounts = (await embedded.query(KPI_COUNTS)).rows;
        await embedded.close();
        expect(counts).toEqual(embeddedCounts);
      } finally {
        await created.cleanup();
      }
    },
    900_000,
  );

  it('says clearly when PostgreSQL is not reachable', async () => {
    const dir = copyOfPipeline();
    const result = await runCli(['run', '--project-dir', dir, '--database-url', 'postgres://postgres@127.0.0.1:1/nowhere']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot connect to postgres:\/\/postgres@127\.0\.0\.1:1\/nowhere.*is PostgreSQL running\?/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
