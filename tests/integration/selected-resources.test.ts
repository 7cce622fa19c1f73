/**
 * dbt's selected_resources: the unique ids the command selected, seen by models and by
 * on-run-end hooks; empty while parsing. A template reading it is never served from
 * the compile cache, since the same files give other SQL under another --select.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const FILES = {
  'dbt_project.yml': `name: sel
version: '1'
profile: sel
on-run-end:
  - "create table if not exists {{ target.schema }}.run_end_saw as select '{{ selected_resources | sort | join(',') }}'::text as ids"
models:
  sel:
    +materialized: table
`,
  'models/a.sql': 'select 1 as id',
  'models/b.sql': "select '{{ selected_resources | sort | join(',') }}'::text as ids, {{ selected_resources | length }} as n",
};

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`selected_resources on ${db.name}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('lists what the command selected, for models and on-run-end hooks, and follows a new --select', async () => {
      project = await createProject(db, FILES);
      const schema = (await project.run('run', { select: ['b'] })).project.target.schema;
      expect(await project.query(`select ids from "${schema}".b`)).toEqual([{ ids: 'model.sel.b' }]);
      expect(await project.query(`select ids from "${schema}".run_end_saw`)).toEqual([{ ids: 'model.sel.b' }]);

      const both = await project.run('run');
      expect(both.exitCode).toBe(0);
      expect(await project.query(`select ids from "${schema}".b`)).toEqual([{ ids: 'model.sel.a,model.sel.b' }]);
    }, 120_000);
  });
}
