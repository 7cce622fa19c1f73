import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`tspipe retry on ${db.name}${db.skipNote}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('re-runs only what failed or was skipped, then has nothing left to do', async () => {
      project = await createProject(db, {
        'models/ok.sql': "{{ config(materialized='table') }}select 1 as id",
        'models/fragile.sql': "{{ config(materialized='table') }}select {{ var('expr', '1/0') }} as id",
        'models/downstream.sql': "select id from {{ ref('fragile') }} join {{ ref('ok') }} using (id)",
      });
      const first = await project.run('run');
      expect(first.exitCode).toBe(1);
      const retried = await project.retry({ vars: { expr: '1' } });
      expect(retried!.exitCode).toBe(0);
      expect(retried!.results.map((r) => [r.uniqueId, r.status])).toEqual([
        ['model.test_project.fragile', 'success'],
        ['model.test_project.downstream', 'success'],
      ]);
      expect(await project.query('select id from downstream')).toEqual([{ id: 1 }]);
      expect(await project.retry()).toBeUndefined();
    });

    it('says what to do when there is no previous run', async () => {
      project = await createProject(db, { 'models/a.sql': 'select 1' });
      await expect(project.retry()).rejects.toThrow(/no previous run to retry/);
    });
  });
}
