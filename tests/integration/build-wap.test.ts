/** `tspipe build`: seeds, models and tests in one walk, with write-audit-publish. */
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const FILES = {
  'seeds/statuses.csv': 'id,status\n1,open\n2,closed\n',
  'models/base.sql': "{{ config(materialized='table') }}select id, status from {{ ref('statuses') }}",
  'models/mid.sql':
    "{{ config(materialized='table') }}select id, case when id = 2 then '{{ var(\"closed_as\", \"closed\") }}' else status end as status from {{ ref('base') }}",
  'models/child.sql': "select count(*) as n from {{ ref('mid') }}",
  'models/independent.sql': "{{ config(materialized='table') }}select 42 as answer",
  'models/schema.yml': `version: 2
models:
  - name: base
    columns:
      - name: id
        data_tests: [unique, not_null]
  - name: mid
    columns:
      - name: status
        data_tests:
          - accepted_values:
              values: ['open', 'closed']
      - name: id
        data_tests:
          - not_null:
              config:
                severity: warn
`,
};

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`tspipe build with write-audit-publish on ${db.name}${db.skipNote}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('keeps the published table when its tests fail on the staged data, skips descendants, builds the rest', async () => {
      project = await createProject(db, FILES);
      const first = await project.run('build');
      expect(first.exitCode).toBe(0);
      const statusOf = (outcome: typeof first) => Object.fromEntries(outcome.results.map((r) => [r.uniqueId.split('.').slice(2).join('.'), r.status]));
      expect(statusOf(first)).toMatchObject({ statuses: 'success', base: 'success', mid: 'success', child: 'success', independent: 'success' });
      expect(Object.values(statusOf(first)).filter((s) => s === 'pass')).toHaveLength(4);
      // a model's children wait for its tests
      const order = first.reporter.events.filter((e) => e.type === 'nodeFinished').map((e) => String(e.uniqueId).split('.').slice(2).join('.'));
      expect(order.indexOf('accepted_values_mid_status__open__closed')).toBeLessThan(order.indexOf('child'));
      // the audited tests report the time they ran inside the model's build, not ~0s when reported
      const result = (name: string) => first.results.find((r) => r.uniqueId.split('.').slice(2).join('.') === name)!;
      const audit = result('accepted_values_mid_status__open__closed');
      expect(Date.parse(audit.startedAt)).toBeLessThan(Date.parse(result('mid').completedAt));
      // it ran (and finished) inside the model's build; on a fast server that can take under the clock's 1 ms
      expect(Date.parse(audit.completedAt)).toBeLessThanOrEqual(Date.parse(result('mid').completedAt));
      expect(audit.executionTime).toBeGreaterThanOrEqual(0);
      expect(audit.executionTime).toBeCloseTo((Date.parse(audit.completedAt) - Date.parse(audit.startedAt)) / 1000, 3);

      const second = await project.run('build', { vars: { closed_as: 'CLOSED' } });
      expect(second.exitCode).toBe(1);
      const status = statusOf(second);
      expect(status.mid).toBe('error');
      expect(status.accepted_values_mid_status__open__closed).toBe('fail');
      expect(status.child).toBe('skipped');
      expect(status.independent).toBe('success');
      const mid = second.results.find((r) => r.uniqueId.endsWith('.mid'))!;
      expect(mid.message).toMatch(/not published/);
      const test = second.results.find((r) => r.uniqueId.includes('accepted_values'))!;
      expect(test.failures).toBe(1);
      // the previous table is untouched
      expect(await project.query('select status from mid order by id')).toEqual([{ status: 'open' }, { status: 'closed' }]);

      const retried = await project.retry();
      expect(retried!.exitCode).toBe(0);
      expect(await project.query('select n::int as n from child')).toEqual([{ n: 2 }]);
    });
  });
}
