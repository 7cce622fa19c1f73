/**
 * A dbt project with packages, run unchanged: `deps` installs two local packages
 * (one needs the other), then `build` uses their macros, a package model, dispatch
 * with the root project first in the search order, package-scoped vars, root config
 * over a package's own, introspection while compiling (get_columns_in_relation,
 * statement + load_result), a post-hook, on-run-start/end, and a disabled folder.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { depsCommand } from '../../src/api/deps.js';
import { runNodes } from '../../src/api/run-nodes.js';
import { RecordingReporter } from '../../src/execute/reporter.js';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const FIXTURE = path.resolve(__dirname, '../fixtures/dbt_packages_shop');

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`dbt packages on ${db.name}${db.skipNote}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('says to run tspipe deps when packages.yml lists packages that are not installed', async () => {
      project = await createProject(db, {}, FIXTURE);
      await expect(project.run('build')).rejects.toMatchObject({
        message: expect.stringContaining('packages.yml lists 1 package, but 0 are installed'),
        hint: 'run tspipe deps to install them',
      });
    });

    it('installs the packages, then builds with their macros, models, tests and dispatch rules', async () => {
      project = await createProject(db, {}, FIXTURE);
      const deps = await depsCommand({ projectDir: project.dir });
      expect(deps.installed.map((p) => [p.name, p.linked])).toEqual([
        ['finance', true],
        ['utils', true],
      ]);
      expect(lstatSync(path.join(project.dir, 'dbt_packages/utils')).isSymbolicLink()).toBe(true);

      const outcome = await project.run('build');
      const statuses = Object.fromEntries(outcome.results.map((r) => [r.uniqueId, r.status]));
      expect(statuses).toEqual({
        'seed.shop.raw_payments': 'success',
        'model.finance.finance_rates': 'success',
        'model.shop.stg_payments': 'success',
        'model.shop.payments': 'success',
        'model.shop.currencies': 'success',
        'test.shop.not_null_payments_amount': 'pass',
        'test.shop.unique_payments_id': 'pass',
        'test.shop.utils_is_positive_payments_amount': 'pass',
        'test.shop.utils_is_positive_currencies_True__position': 'pass',
      });
      expect(outcome.exitCode).toBe(0);

      // get_columns_in_relation at compile time: every column of stg_payments but quantity
      const columns = await project.query<{ column_name: string }>(
        "select column_name from information_schema.columns where table_schema = 'public' and table_name = 'payments' order by ordinal_position",
      );
      expect(columns.map((c) => c.column_name)).toEqual(['id', 'order_id', 'amount', 'paid_at', 'amount_per_item', 'days_in', 'label', 'joined']);
      const rows = await project.query<Record<string, string | null>>(
        'select id::text, amount::text, amount_per_item::text, days_in::text, label, joined from payments order by id',
      );
      expect(rows).toEqual([
        // the root project's default__safe_ratio (rounded to 3) wins over the package's
        { id: '1', amount: '12.50', amount_per_item: '6.250', days_in: '4', label: 'order_id-10', joined: 'a | b' },
        { id: '2', amount: '3.00', amount_per_item: null, days_in: '5', label: 'order_id-10', joined: 'a | b' },
        { id: '3', amount: '99.99', amount_per_item: '33.330', days_in: '31', label: 'order_id-11', joined: 'a | b' },
      ]);
      // statement + load_result read the package model while compiling
      // graph.nodes while compiling: every model of the project and its packages
      const models = 'currencies,finance_rates,payments,stg_payments';
      expect(await project.query('select currency, position, models from currencies order by position')).toEqual([
        { currency: 'EUR', position: 1, models },
        { currency: 'USD', position: 2, models },
      ]);
      // the root project's models: finance: config and vars: finance: win over the package's own
      const [rates] = await project.query<{ kind: string; rate: string }>(
        "select (select relkind::text from pg_class where relname = 'finance_rates') as kind, (select rate::text from finance_rates where currency = 'EUR') as rate",
      );
      expect(rates).toEqual({ kind: 'r', rate: '1.105' });
      // seed column_types, the disabled folder, the hooks
      const [seedType] = await project.query<{ data_type: string }>(
        "select data_type from information_schema.columns where table_name = 'raw_payments' and column_name = 'amount_cents'",
      );
      expect(seedType!.data_type).toBe('bigint');
      expect(await project.query("select 1 from pg_class where relname = 'hidden'")).toEqual([]);
      expect(await project.query('select event, nodes from public_audit.runs')).toEqual([{ event: 'end', nodes: 9 }]);
      expect(outcome.reporter.events).toContainEqual({ type: 'info', message: 'ran 2 on-run-start hooks' });
    });

    it('enables the optional folder with --vars, through Jinja in dbt_project.yml', async () => {
      project = await createProject(db, {}, FIXTURE);
      await depsCommand({ projectDir: project.dir });
      const outcome = await project.run('run', { select: ['hidden'], vars: { with_optional: true } });
      expect(outcome.results.map((r) => [r.uniqueId, r.status])).toEqual([['model.shop.hidden', 'success']]);
      expect(existsSync(path.join(project.dir, 'target/run_results.json'))).toBe(true);
    });
  });
}

describe('dbt packages without a database', () => {
  it('warns about a property entry for a model that does not exist instead of failing', async () => {
    const reporter = new RecordingReporter();
    const dir = (await createProject(TEST_DATABASES[0]!, {}, FIXTURE)).dir;
    await depsCommand({ projectDir: dir });
    const outcome = await runNodes('run', { projectDir: dir, dryRun: true }, { reporter, env: {} });
    expect(outcome.exitCode).toBe(0);
    expect(reporter.events).toContainEqual({
      type: 'warn',
      message: expect.stringContaining('models/schema.yml describes model "ghost", which does not exist'),
    });
  });
});
