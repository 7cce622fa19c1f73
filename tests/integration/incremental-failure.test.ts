/** A failed incremental run leaves the table exactly as it was (issue 8). */
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`failed incremental run on ${db.name}${db.skipNote}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('keeps every row when the new batch fails halfway', async () => {
      project = await createProject(db, {
        'models/events.sql': `{{ config(materialized='incremental', unique_key='id') }}
select id, 10 / (id - {{ var('poison', 0) }}) as ratio
from generate_series({{ var('from', 1) }}, {{ var('to', 3) }}) as id`,
      });
      expect((await project.run('run')).exitCode).toBe(0);
      const before = await project.query('select id, ratio from events order by id');
      // ids 2..6 replace 2 and 3 and add 4..6, but id 5 divides by zero mid-batch
      const failed = await project.run('run', { vars: { from: 2, to: 6, poison: 5 } });
      expect(failed.exitCode).toBe(1);
      expect(failed.results[0]!.message).toMatch(/division by zero/);
      expect(await project.query('select id, ratio from events order by id')).toEqual(before);
      expect((await project.run('run', { vars: { from: 2, to: 6 } })).exitCode).toBe(0);
      expect(await project.query('select count(*)::int as n from events')).toEqual([{ n: 6 }]);
    });
  });
}
