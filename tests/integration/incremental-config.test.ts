/**
 * dbt's incremental configs beyond the strategy: on_schema_change (fail,
 * append_new_columns, sync_all_columns), merge_update_columns, and
 * incremental_predicates narrowing a delete+insert (`this` in a config value names the
 * model's relation, as dbt's parse-time `this` does).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const incremental = (config: string, first: string, later: string) =>
  `{{ config(materialized='incremental', ${config}) }}\n{% if is_incremental() %}${later}{% else %}${first}{% endif %}`;

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`incremental configs on ${db.name}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('on_schema_change: fail stops, append_new_columns adds, sync_all_columns adds, drops and retypes', async () => {
      const first = 'select 1 as id, 1 as amount, 1 as old_col';
      const later = "select 2 as id, 2.5::numeric(6,2) as amount, 'x'::text as note";
      project = await createProject(db, {
        'models/strict.sql': incremental("unique_key='id', on_schema_change='fail'", first, later),
        'models/appending.sql': incremental(
          "unique_key='id', on_schema_change='append_new_columns'",
          first,
          "select 2 as id, 2 as amount, 1 as old_col, 'x'::text as note",
        ),
        'models/syncing.sql': incremental("unique_key='id', on_schema_change='sync_all_columns'", first, later),
      });
      expect((await project.run('run')).exitCode).toBe(0);
      const second = await project.run('run');
      const byName = Object.fromEntries(second.results.map((r) => [r.uniqueId.split('.').pop(), r]));
      expect(byName.strict).toMatchObject({ status: 'error' });
      expect(byName.strict!.message).toBe(
        "the SELECT's columns no longer match public.strict (added note text, removed old_col, amount integer -> numeric(6,2)), and on_schema_change is fail",
      );
      expect(await project.query('select * from strict')).toEqual([{ id: 1, amount: 1, old_col: 1 }]);

      expect(await project.query('select id, amount, old_col, note from appending order by id')).toEqual([
        { id: 1, amount: 1, old_col: 1, note: null },
        { id: 2, amount: 2, old_col: 1, note: 'x' },
      ]);
      const columns = await project.query<{ name: string; type: string }>(
        `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
         where a.attrelid = 'public.syncing'::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum`,
      );
      expect(columns).toEqual([
        { name: 'id', type: 'integer' },
        { name: 'amount', type: 'numeric(6,2)' },
        { name: 'note', type: 'text' },
      ]);
      expect(await project.query('select id, amount::text, note from syncing order by id')).toEqual([
        { id: 1, amount: '1.00', note: null },
        { id: 2, amount: '2.50', note: 'x' },
      ]);
    });

    it('merge_update_columns updates only those columns; incremental_predicates narrow the delete', async () => {
      project = await createProject(db, {
        'models/orders.sql': incremental(
          "incremental_strategy='merge', unique_key='id', merge_update_columns=['status']",
          "select 1 as id, 'new' as status, 10 as amount",
          "select 1 as id, 'paid' as status, 99 as amount union all select 2, 'new', 5",
        ),
        'models/visits.sql': incremental(
          "incremental_strategy='delete+insert', unique_key='id', incremental_predicates=[\"day >= date '2025-01-02'\", this ~ \".id > 0\"]",
          "select 1 as id, date '2025-01-01' as day union all select 2, date '2025-01-02'",
          "select 1 as id, date '2025-01-03' as day union all select 2, date '2025-01-03'",
        ),
      });
      expect((await project.run('run')).exitCode).toBe(0);
      expect((await project.run('run')).exitCode).toBe(0);
      expect(await project.query('select id, status, amount from orders order by id')).toEqual([
        { id: 1, status: 'paid', amount: 10 },
        { id: 2, status: 'new', amount: 5 },
      ]);
      // id 1's old row is older than the predicate's window: kept beside the new one; id 2's is replaced.
      expect(await project.query('select id, day::text from visits order by id, day')).toEqual([
        { id: 1, day: '2025-01-01' },
        { id: 1, day: '2025-01-03' },
        { id: 2, day: '2025-01-03' },
      ]);
    });
  });
}
