/**
 * dbt-postgres's `indexes` and `grants` configs: indexes on tables (again after a
 * rebuild, kept by an incremental model), privileges granted after each build and
 * revoked once the config no longer lists them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const READER = 'tspipe_test_reader';

const orders = (grants: string) =>
  `{{ config(materialized='table', indexes=[{'columns': ['id'], 'unique': True}, {'columns': ['status', 'id'], 'type': 'btree'}], grants=${grants}) }}
select * from (values (1, 'new'), (2, 'paid')) v(id, status)`;

const events = (grants: string) =>
  `{{ config(materialized='incremental', unique_key='id', indexes=[{'columns': ['id']}], grants=${grants}) }}
select 1 as id, 'login' as kind`;

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`indexes and grants on ${db.name}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('indexes tables, grants privileges and revokes the ones the config dropped', async () => {
      project = await createProject(db, {
        'models/orders.sql': orders(`{'select': ['${READER}']}`),
        'models/events.sql': events(`{'select': ['${READER}'], 'insert': ['${READER}']}`),
        'models/order_list.sql': `{{ config(materialized='view', grants={'select': ['${READER}']}) }}select id from {{ ref('orders') }}`,
        'seeds/codes.csv': 'code\na\n',
        'seeds/seeds.yml': `version: 2\nseeds:\n  - name: codes\n    config: {grants: {select: [${READER}]}}\n`,
      });
      // Roles belong to the whole server: made once, kept.
      await project.query(`do $$ begin if not exists (select 1 from pg_roles where rolname = '${READER}') then create role ${READER}; end if; end $$`);
      const indexes = (table: string) =>
        project!.query<{ def: string }>(
          `select regexp_replace(indexdef, 'INDEX \\S+ ON \\S+', 'INDEX ON') as def from pg_indexes where tablename = '${table}' order by 1`,
        );
      const grants = (table: string) =>
        project!.query<{ p: string }>(
          `select privilege_type as p from information_schema.role_table_grants where table_name = '${table}' and grantee = '${READER}' order by 1`,
        );

      expect((await project.run('build')).exitCode).toBe(0);
      expect(await grants('codes')).toEqual([{ p: 'SELECT' }]);
      const expectedIndexes = [{ def: 'CREATE INDEX ON USING btree (status, id)' }, { def: 'CREATE UNIQUE INDEX ON USING btree (id)' }];
      expect(await indexes('orders')).toEqual(expectedIndexes);
      expect(await indexes('events')).toEqual([{ def: 'CREATE INDEX ON USING btree (id)' }]);
      expect(await grants('orders')).toEqual([{ p: 'SELECT' }]);
      expect(await grants('events')).toEqual([{ p: 'INSERT' }, { p: 'SELECT' }]);
      expect(await grants('order_list')).toEqual([{ p: 'SELECT' }]);

      // A rebuilt table gets them again; the incremental table keeps its index, loses the privilege no longer listed.
      await project.write('models/events.sql', events(`{'select': ['${READER}']}`));
      await project.write('models/orders.sql', orders('{}'));
      expect((await project.run('run')).exitCode).toBe(0);
      expect(await indexes('orders')).toEqual(expectedIndexes);
      expect(await indexes('events')).toEqual([{ def: 'CREATE INDEX ON USING btree (id)' }]);
      expect(await grants('orders')).toEqual([]);
      expect(await grants('events')).toEqual([{ p: 'SELECT' }]);
    }, 120_000);

    it('says what is wrong with an index config, at the model', async () => {
      project = await createProject(db, { 'models/bad.sql': "{{ config(materialized='table', indexes=[{'unique': True}]) }}select 1 as id" });
      const outcome = await project.run('run');
      expect(outcome.results[0]).toMatchObject({ status: 'error', where: 'models/bad.sql' });
      expect(outcome.results[0]!.message).toMatch(/^indexes: each index needs columns: a list of column names/);
    });
  });
}
