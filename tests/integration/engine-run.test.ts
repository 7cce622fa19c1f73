import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const SHOP_FIXTURE = path.resolve(__dirname, '../fixtures/shop_dbt');

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`engine on ${db.name}${db.skipNote}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('builds a dbt project unchanged: seeds, staging views, mart tables, macros, loops, vars', async () => {
      project = await createProject(db, {}, SHOP_FIXTURE);
      const outcome = await project.run('build');
      expect(outcome.results.map((r) => [r.uniqueId, r.status])).toEqual(
        expect.arrayContaining([
          ['seed.shop.raw_customers', 'success'],
          ['model.shop.stg_payments', 'success'],
          ['model.shop.orders', 'success'],
          ['model.shop.customers', 'success'],
        ]),
      );
      expect(outcome.exitCode).toBe(0);
      const kinds = await project.query<{ relname: string; relkind: string }>(
        "select relname, relkind::text from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = 'public' and relkind in ('r','v') order by relname",
      );
      expect(kinds).toEqual([
        { relname: 'customers', relkind: 'r' },
        { relname: 'orders', relkind: 'r' },
        { relname: 'raw_customers', relkind: 'r' },
        { relname: 'raw_orders', relkind: 'r' },
        { relname: 'raw_payments', relkind: 'r' },
        { relname: 'stg_customers', relkind: 'v' },
        { relname: 'stg_orders', relkind: 'v' },
        { relname: 'stg_payments', relkind: 'v' },
      ]);
      const [order9] = await project.query<{ amount: string; gift_card_amount: string; bank_transfer_amount: string }>(
        'select amount::text, gift_card_amount::text, bank_transfer_amount::text from orders where order_id = 9',
      );
      expect(order9).toEqual({ amount: '23.00', gift_card_amount: '23.00', bank_transfer_amount: '0.00' });
      const [customer] = await project.query<{ number_of_orders: string; clv: string }>(
        'select number_of_orders::text, customer_lifetime_value::text as clv from customers where customer_id = 1',
      );
      expect(customer).toEqual({ number_of_orders: '2', clv: '33.00' });
      // seed types inferred as dbt does
      const types = await project.query<{ column_name: string; data_type: string }>(
        "select column_name, data_type from information_schema.columns where table_name = 'raw_orders' order by ordinal_position",
      );
      expect(types.map((t) => t.data_type)).toEqual(['integer', 'integer', 'date', 'text']);
      // artifacts
      const results = JSON.parse(readFileSync(path.join(project.dir, 'target/run_results.json'), 'utf8'));
      const built = results.results.filter((r: { unique_id: string }) => !r.unique_id.startsWith('test.'));
      expect(built).toHaveLength(8);
      const tests = results.results.filter((r: { unique_id: string }) => r.unique_id.startsWith('test.'));
      expect(tests.length).toBeGreaterThanOrEqual(16);
      expect(tests.every((r: { status: string }) => r.status === 'pass')).toBe(true);
      expect(results.results.find((r: { unique_id: string }) => r.unique_id === 'model.shop.orders').adapter_response.rows_affected).toBe(10);
      expect(existsSync(path.join(project.dir, 'target/compiled/models/marts/orders.sql'))).toBe(true);
      const manifest = JSON.parse(readFileSync(path.join(project.dir, 'target/manifest.json'), 'utf8'));
      expect(manifest.nodes['model.shop.orders'].depends_on.nodes).toEqual(['model.shop.stg_orders', 'model.shop.stg_payments']);
      expect(manifest.nodes['model.shop.orders'].columns.status.description).toContain('return_pending');
    });

    it('swaps a rebuilt table atomically and keeps views that depend on it', async () => {
      project = await createProject(db, {
        'models/base.sql': "{{ config(materialized='table') }}select generate_series(1, {{ var('n', 3) }}) as id",
      });
      expect((await project.run('run')).exitCode).toBe(0);
      await project.withDb(async (conn) => {
        await conn.exec(
          'create schema reporting; create view reporting.base_ids as select id from public.base; create view reporting.base_count as select count(*) as n from reporting.base_ids',
        );
        await conn.exec("comment on view reporting.base_ids is 'hand-made view'");
      });
      expect((await project.run('run', { vars: { n: 5 } })).exitCode).toBe(0);
      const [row] = await project.query<{ n: string }>('select n::text from reporting.base_count');
      expect(row!.n).toBe('5');
      const [comment] = await project.query<{ c: string }>("select obj_description('reporting.base_ids'::regclass, 'pg_class') as c");
      expect(comment!.c).toBe('hand-made view');
      const leftovers = await project.query("select relname from pg_class where relname like '%tspipe%'");
      expect(leftovers).toEqual([]);
    });

    it('a failing model keeps the previous table, skips its descendants and lets independent branches finish', async () => {
      project = await createProject(db, {
        'models/good.sql': "{{ config(materialized='table') }}select 1 as id",
        'models/bad.sql': "{{ config(materialized='table') }}select {{ var('bad_expr', '1') }} as id",
        'models/after_bad.sql': "select * from {{ ref('bad') }}",
        'models/after_good.sql': "select * from {{ ref('good') }}",
      });
      expect((await project.run('run')).exitCode).toBe(0);
      const outcome = await project.run('run', { vars: { bad_expr: '1/0' } });
      expect(outcome.exitCode).toBe(1);
      const status = Object.fromEntries(outcome.results.map((r) => [r.uniqueId.split('.').pop(), r.status]));
      expect(status).toEqual({ good: 'success', bad: 'error', after_bad: 'skipped', after_good: 'success' });
      const bad = outcome.results.find((r) => r.uniqueId.endsWith('.bad'))!;
      expect(bad.message).toMatch(/division by zero/);
      expect(bad.where).toMatch(/target\/compiled\/models\/bad\.sql/);
      expect(await project.query('select id from bad')).toEqual([{ id: 1 }]);
    });

    it('incremental models: first build, append, delete+insert and merge on unique_key, full refresh', async () => {
      const model = (strategy: string) =>
        `{{ config(materialized='incremental', unique_key='id', incremental_strategy='${strategy}') }}
select id, 'v{{ var("version") }}' as label from generate_series({{ var("from") }}, {{ var("to") }}) as id
{% if is_incremental() %}where id > 1{% endif %}`;
      project = await createProject(db, {
        'models/events_append.sql': `{{ config(materialized='incremental') }}
select id, 'v{{ var("version") }}' as label from generate_series({{ var("from") }}, {{ var("to") }}) as id
{% if is_incremental() %}where id > (select max(id) from {{ this }}){% endif %}`,
        'models/events_delete_insert.sql': model('delete+insert'),
        'models/events_merge.sql': model('merge'),
      });
      expect((await project.run('run', { vars: { version: 1, from: 1, to: 3 } })).exitCode).toBe(0);
      const second = await project.run('run', { vars: { version: 2, from: 2, to: 5 } });
      expect(second.exitCode).toBe(0);
      const rows = async (table: string) => project!.query<{ id: number; label: string }>(`select id, label from ${table} order by id`);
      expect(await rows('events_append')).toEqual([
        { id: 1, label: 'v1' },
        { id: 2, label: 'v1' },
        { id: 3, label: 'v1' },
        { id: 4, label: 'v2' },
        { id: 5, label: 'v2' },
      ]);
      const upserted = [
        { id: 1, label: 'v1' },
        { id: 2, label: 'v2' },
        { id: 3, label: 'v2' },
        { id: 4, label: 'v2' },
        { id: 5, label: 'v2' },
      ];
      expect(await rows('events_delete_insert')).toEqual(upserted);
      expect(await rows('events_merge')).toEqual(upserted);
      // the same run again is idempotent with a unique key
      await project.run('run', { vars: { version: 2, from: 2, to: 5 } });
      expect(await rows('events_merge')).toEqual(upserted);
      const refreshed = await project.run('run', { vars: { version: 3, from: 1, to: 2 }, fullRefresh: true });
      expect(refreshed.exitCode).toBe(0);
      expect(await rows('events_merge')).toEqual([
        { id: 1, label: 'v3' },
        { id: 2, label: 'v3' },
      ]);
    });

    it('inlines ephemeral models as CTEs, also into a query that has its own WITH', async () => {
      project = await createProject(db, {
        'models/numbers.sql': "{{ config(materialized='ephemeral') }}select generate_series(1, 4) as n",
        'models/evens.sql': "{{ config(materialized='ephemeral') }}select n from {{ ref('numbers') }} where n % 2 = 0",
        'models/report.sql':
          "{{ config(materialized='table') }}with doubled as (select n * 2 as d from {{ ref('evens') }}) select sum(d) as total from doubled",
      });
      const outcome = await project.run('run');
      expect(outcome.plan.nodes.map((n) => n.name)).toEqual(['report']);
      expect(outcome.exitCode).toBe(0);
      expect(await project.query('select total::int as total from report')).toEqual([{ total: 12 }]);
      expect(await project.query("select relname from pg_class where relname in ('numbers', 'evens')")).toEqual([]);
    });

    it('puts models in their configured schemas, creating them', async () => {
      project = await createProject(db, {
        'project.yml': 'name: test_project\nmodels:\n  test_project:\n    clean:\n      +schema: clean\n      +materialized: table\n',
        'models/clean/users.sql': 'select 1 as user_id',
        'models/kpi.sql': "{{ config(schema='kpi') }}select count(*) as n from {{ ref('users') }}",
      });
      expect((await project.run('run')).exitCode).toBe(0);
      expect(await project.query('select n::int as n from kpi.kpi')).toEqual([{ n: 1 }]);
      expect(await project.query("select table_type from information_schema.tables where table_schema = 'clean' and table_name = 'users'")).toEqual([
        { table_type: 'BASE TABLE' },
      ]);
    });
  });
}
