import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { runTests, type TestOptions } from '../../src/api/test.js';
import { Relation } from '../../src/compile/relation.js';
import { auditModel, isTestNodeResult } from '../../src/datatests/index.js';
import { RecordingReporter } from '../../src/execute/reporter.js';
import type { ModelNode } from '../../src/parse/manifest.js';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const SHOP_FIXTURE = path.resolve(__dirname, '../fixtures/shop_dbt');

const FILES = {
  'project.yml': 'name: dt\ndata_tests:\n  dt:\n    +tags: [dq]\n',
  'seeds/raw_users.csv': 'id,name,status,age,country_id\n1,Ann,active,30,1\n2,Bob,active,40,2\n3,Cid,churned,25,9\n4,Dee,unknown,,1\n4,Eve,active,50,2\n',
  'seeds/raw_countries.csv': 'country_id,country\n1,France\n2,Germany\n',
  'models/users.sql': "{{ config(materialized='table') }}select * from {{ ref('raw_users') }}",
  'models/countries.sql': "{{ config(materialized='table') }}select * from {{ ref('raw_countries') }}",
  'models/schema.yml': `version: 2
models:
  - name: users
    data_tests:
      - unique_combination_of_columns: {combination_of_columns: [id, name]}
      - row_count: {min: 5, max: 5}
      - row_count: {max: 3, name: too_many_users}
      - equal_row_count: {compare_model: "ref('raw_users')"}
      - equal_row_count: {compare_model: "ref('countries')", name: users_as_many_as_countries}
      - expression_is_true: {expression: "age is null or age < 100"}
      - has_rows
    columns:
      - name: id
        data_tests:
          - not_null
          - unique: {config: {store_failures: true}}
      - name: status
        data_tests:
          - accepted_values: {values: [active, churned]}
          - accepted_values: {values: [active, churned, unknown], name: status_known}
      - name: name
        data_tests:
          - accepted_values: {values: [Ann], warn_if: '> 2', error_if: '> 10', name: names_warn_threshold}
          - accepted_values: {values: [Ann], error_if: '> 3', warn_if: '> 100', name: names_error_threshold}
          - accepted_values: {values: [Ann, Bob, Cid, Dee], error_if: '> 1', name: names_below_threshold}
          - accepted_values: {values: [x], limit: 2, name: names_limited}
      - name: age
        data_tests:
          - not_null: {severity: warn}
          - not_null: {where: "name <> 'Dee'", name: age_known_except_dee}
          - expression_is_true: {expression: '>= 18'}
          - accepted_values: {values: [25, 30, 40, 50], quote: false}
          - is_positive
      - name: country_id
        data_tests:
          - relationships: {to: "ref('countries')", field: country_id}
          - relationships: {to: "ref('countries')", field: country_id, where: "id <> 3", name: countries_known_except_cid}
  - name: countries
    data_tests: [has_rows]
`,
  'macros/is_positive.sql': '{% test is_positive(model, column_name) %}\nselect * from {{ model }} where {{ column_name }} <= 0\n{% endtest %}\n',
  'tests/generic/has_rows.sql': '{% test has_rows(model) %}\nselect 1 as no_rows where not exists (select 1 from {{ model }})\n{% endtest %}\n',
  'tests/assert_no_orphans.sql':
    "select u.* from {{ ref('users') }} u where not exists (select 1 from {{ ref('countries') }} c where c.country_id = u.country_id) and u.id <> 3\n",
  'tests/assert_no_churn.sql': "{{ config(severity='warn', tags=['churn']) }}\nselect * from {{ ref('users') }} where status = 'churned'\n",
};

/** The statuses and failure counts expected from FILES' data. */
const EXPECTED: Record<string, [string, number]> = {
  unique_combination_of_columns_users_id__name: ['pass', 0],
  row_count_users_5__5: ['pass', 0],
  too_many_users: ['fail', 1],
  equal_row_count_users_ref_raw_users_: ['pass', 0],
  users_as_many_as_countries: ['fail', 1],
  expression_is_true_users_age_is_null_or_age_100: ['pass', 0],
  has_rows_users_: ['pass', 0],
  has_rows_countries_: ['pass', 0],
  not_null_users_id: ['pass', 0],
  unique_users_id: ['fail', 1],
  accepted_values_users_status__active__churned: ['fail', 1],
  status_known: ['pass', 0],
  names_warn_threshold: ['warn', 4],
  names_error_threshold: ['fail', 4],
  names_below_threshold: ['warn', 1],
  names_limited: ['fail', 2],
  not_null_users_age: ['warn', 1],
  age_known_except_dee: ['pass', 0],
  expression_is_true_users_age___18: ['pass', 0],
  accepted_values_users_age__False__25__30__40__50: ['pass', 0],
  is_positive_users_age: ['pass', 0],
  relationships_users_country_id__country_id__ref_countries_: ['fail', 1],
  countries_known_except_cid: ['pass', 0],
  assert_no_orphans: ['pass', 0],
  assert_no_churn: ['warn', 1],
};

function envFor(project: TestProject): NodeJS.ProcessEnv {
  const spec = project.created.spec;
  return spec.kind === 'pglite' ? { ...process.env, TSPIPE_PGLITE_DIR: spec.dataDir, TSPIPE_DATABASE_URL: '' } : { ...process.env };
}

async function test(project: TestProject, options: Partial<TestOptions> = {}) {
  const reporter = new RecordingReporter();
  const outcome = await runTests({ ...project.options, ...options }, { reporter, env: envFor(project) });
  const byName = Object.fromEntries(outcome.results.map((r) => [r.uniqueId.replace(/^test\.\w+\./, ''), r]));
  return { ...outcome, byName };
}

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`data tests on ${db.name}${db.skipNote}`, () => {
    let project: TestProject;
    beforeAll(async () => {
      project = await createProject(db, FILES);
      // The data is made to fail some tests: load and build it without them (a build would not publish).
      const built = await project.run('build', { exclude: ['resource_type:test'] });
      expect(built.exitCode).toBe(0);
    });
    afterAll(async () => {
      await project?.cleanup();
    });

    it('runs every generic, custom and singular test, passing and failing, with thresholds, where and limit', async () => {
      const outcome = await test(project);
      const got = Object.fromEntries(Object.entries(outcome.byName).map(([name, r]) => [name, [r.status, r.failures]]));
      expect(got).toEqual(EXPECTED);
      expect(outcome.exitCode).toBe(1);

      const unique = outcome.byName.unique_users_id!;
      expect(isTestNodeResult(unique) && unique.failingRows).toEqual([{ unique_field: 4, n_records: 2 }]);
      expect(unique.message).toBe('Got 1 failing row, configured to fail if != 0');
      expect(unique.compiledPath).toBe('target/compiled/models/schema.yml/unique_users_id.sql');
      expect(readFileSync(path.join(project.dir, unique.compiledPath!), 'utf8')).toContain('from "public"."users"');
      const results = JSON.parse(readFileSync(path.join(project.dir, 'target/run_results.json'), 'utf8'));
      expect(results.metadata.command).toBe('test');
      expect(results.results.find((r: { unique_id: string }) => r.unique_id === 'test.dt.names_warn_threshold')).toMatchObject({
        status: 'warn',
        failures: 4,
        message: 'Got 4 failing rows, configured to warn if > 2',
      });
      expect(new Set(results.results.map((r: { status: string }) => r.status))).toEqual(new Set(['pass', 'fail', 'warn']));
    });

    it('keeps failing rows with store_failures, replaced on each run', async () => {
      const table = Relation.of({ schema: 'public_test_failures', identifier: 'unique_users_id' }).toString();
      expect(await project.query(`select unique_field, n_records::int as n from ${table}`)).toEqual([{ unique_field: 4, n: 2 }]);
      await project.withDb((conn) => conn.exec("update public.users set id = 5 where name = 'Eve'"));
      const outcome = await test(project, { select: ['unique_users_id'] });
      expect(outcome.byName.unique_users_id!.status).toBe('pass');
      expect(await project.query(`select * from ${table}`)).toEqual([]);
      // --store-failures stores every selected test, even a passing one
      await test(project, { select: ['not_null_users_id'], storeFailures: true });
      expect(await project.query('select count(*)::int as n from public_test_failures.not_null_users_id')).toEqual([{ n: 0 }]);
      await project.withDb((conn) => conn.exec("update public.users set id = 4 where name = 'Eve'"));
    });

    it('selects tests by model, test type, tag and indirect selection; warnings alone exit 0', async () => {
      const names = async (options: Partial<TestOptions>) => Object.keys((await test(project, options)).byName).sort();
      expect(await names({ select: ['test_type:singular'] })).toEqual(['assert_no_churn', 'assert_no_orphans']);
      expect(await names({ select: ['countries'], indirectSelection: 'cautious' })).toEqual(['has_rows_countries_']);
      expect(await names({ select: ['countries'] })).toEqual([
        'assert_no_orphans',
        'countries_known_except_cid',
        'has_rows_countries_',
        'relationships_users_country_id__country_id__ref_countries_',
        'users_as_many_as_countries',
      ]);
      const warnOnly = await test(project, { select: ['tag:churn', 'not_null_users_age'] });
      expect(Object.keys(warnOnly.byName).sort()).toEqual(['assert_no_churn', 'not_null_users_age']);
      expect(warnOnly.exitCode).toBe(0);
    });

    it('audits a staged relation inside a transaction, reading it instead of the published table', async () => {
      const loaded = loadProject(project.options, envFor(project));
      const users = loaded.manifest.nodes['model.dt.users'] as ModelNode;
      const context = { manifest: loaded.manifest, engine: loaded.parsed.engine };
      const outcomes = await project.withDb((conn) =>
        conn.transaction(async (tx) => {
          await tx.exec("create table public.users__staged as select * from public.users where name <> 'Eve'");
          const staged = await auditModel(tx, users, { schema: 'public', identifier: 'users__staged' }, context);
          // the transaction is still usable after a test that errors
          await tx.exec('drop table public.users__staged');
          return staged;
        }),
      );
      const got = Object.fromEntries(outcomes.map((o) => [o.name, [o.status, o.failures]]));
      // staged data: no duplicate id, 4 rows; error-severity tests on users and its parents only
      expect(got).toMatchObject({ unique_users_id: ['pass', 0], row_count_users_5__5: ['fail', 1], equal_row_count_users_ref_raw_users_: ['fail', 1] });
      expect(got).not.toHaveProperty('relationships_users_country_id__country_id__ref_countries_');
      expect(got).not.toHaveProperty('not_null_users_age');
      expect(await project.query('select count(*)::int as n from public.users')).toEqual([{ n: 5 }]);
    });
  });

  describe.skipIf(!db.available)(`dbt fixture tests on ${db.name}${db.skipNote}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('passes every schema.yml test of the shop project after a build', async () => {
      project = await createProject(db, {}, SHOP_FIXTURE);
      expect((await project.run('build')).exitCode).toBe(0);
      const outcome = await test(project);
      expect(outcome.results).toHaveLength(16);
      expect(outcome.results.filter((r) => r.status !== 'pass')).toEqual([]);
      expect(outcome.exitCode).toBe(0);
      expect(outcome.byName.relationships_orders_customer_id__customer_id__ref_customers_!.status).toBe('pass');
    });
  });
}
