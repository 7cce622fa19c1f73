/**
 * dbt's store_failures in a dbt project: failing rows go to `<schema>_dbt_test__audit.<test>`;
 * the test's own store_failures / store_failures_as beat --store-failures; `build`
 * keeps them too, and when a test fails a model's audit (the model is rolled back, not
 * published), its failing rows are written again after the rollback, every value as
 * PostgreSQL printed it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const FILES = {
  'dbt_project.yml': `name: keep
version: '1'
profile: keep
models:
  keep:
    +materialized: table
`,
  'models/orders.sql': `select id, amount::numeric(8,2) as amount, day, payload, note from (values
  (1, 10.5, date '2025-01-01', '{"a": [1, "x"]}'::jsonb, null::text),
  (1, 2.25, date '2025-01-02', '[1,2]', 'it''s'),
  (2, 3, date '2025-01-03', 'null', 'y')
) v(id, amount, day, payload, note)`,
  'models/payments.sql': "select * from (values (1, 'card'), (2, 'cash'), (3, 'gold')) v(id, method)",
  'models/schema.yml': `version: 2
models:
  - name: orders
    columns:
      - name: id
        data_tests:
          - unique
          - not_null: {config: {store_failures: false}}
  - name: payments
    columns:
      - name: id
        data_tests: [unique]
      - name: method
        data_tests:
          - accepted_values: {values: [card, cash], config: {severity: warn, store_failures_as: view}}
`,
  // should_store_failures() sees --store-failures (flags.STORE_FAILURES), as dbt-utils' tests use it.
  'tests/big_orders.sql': "select {{ '*' if should_store_failures() else 'id' }} from {{ ref('orders') }} where amount > 5",
};

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`store_failures on ${db.name}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('keeps failing rows where dbt does, also for a build whose audit rolled the model back', async () => {
      project = await createProject(db, FILES);
      const build = await project.run('build', { storeFailures: true });
      const schema = build.project.target.schema;
      const audit = `${schema}_dbt_test__audit`;
      const orders = build.results.find((r) => r.uniqueId === 'model.keep.orders')!;
      expect(orders.status).toBe('error');
      expect(orders.message).toContain(`failing rows kept in ${audit}.unique_orders_id, ${audit}.big_orders`);
      expect(await project.query(`select to_regclass('"${schema}".orders') as t`)).toEqual([{ t: null }]);

      // Written again after the rollback, with the same column types and values.
      expect(await project.query(`select unique_field, n_records::int as n from "${audit}".unique_orders_id`)).toEqual([{ unique_field: 1, n: 2 }]);
      const columns = await project.query(
        `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
         where a.attrelid = '"${audit}".big_orders'::regclass and a.attnum > 0 order by a.attnum`,
      );
      expect(columns).toEqual([
        { name: 'id', type: 'integer' },
        { name: 'amount', type: 'numeric(8,2)' },
        { name: 'day', type: 'date' },
        { name: 'payload', type: 'jsonb' },
        { name: 'note', type: 'text' },
      ]);
      expect(await project.query(`select id, amount::text, day::text, payload::text, note from "${audit}".big_orders`)).toEqual([
        { id: 1, amount: '10.50', day: '2025-01-01', payload: '{"a": [1, "x"]}', note: null },
      ]);
      // store_failures: false beats --store-failures.
      expect(await project.query(`select to_regclass('"${audit}".not_null_orders_id') as t`)).toEqual([{ t: null }]);

      // A passing audit's (empty) failures table commits with the model; a warn test is kept as the view it asks for.
      expect(await project.query(`select count(*)::int as n from "${audit}".unique_payments_id`)).toEqual([{ n: 0 }]);
      const view = `"${audit}".accepted_values_payments_method__card__cash`;
      expect(await project.query(`select c.relkind from pg_class c where c.oid = '${view}'::regclass`)).toEqual([{ relkind: 'v' }]);
      expect(await project.query(`select value_field, n_records::int as n from ${view}`)).toEqual([{ value_field: 'gold', n: 1 }]);

      // Without the flag only what the config asks for is written: the view is replaced, nothing else.
      await project.query(`drop table "${audit}".unique_payments_id`);
      const test = await project.run('test', { select: ['payments'] });
      expect(test.exitCode).toBe(0);
      expect(await project.query(`select to_regclass('"${audit}".unique_payments_id') as t`)).toEqual([{ t: null }]);
      expect(await project.query(`select c.relkind from pg_class c where c.oid = '${view}'::regclass`)).toEqual([{ relkind: 'v' }]);
    }, 120_000);
  });
}
