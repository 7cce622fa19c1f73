/** The runner on a real PostgreSQL: parallel threads, fail-fast, transient errors retried. */
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const postgres = TEST_DATABASES.find((db) => db.name === 'postgres')!;

describe.skipIf(!postgres.available)(`runner on postgres${postgres.skipNote}`, () => {
  let project: TestProject | undefined;
  afterEach(async () => {
    await project?.cleanup();
    project = undefined;
  });

  it('runs independent models at the same time with --threads', async () => {
    project = await createProject(postgres, {
      'models/slow_a.sql': "{{ config(materialized='table') }}select 1 as id from pg_sleep(1)",
      'models/slow_b.sql': "{{ config(materialized='table') }}select 2 as id from pg_sleep(1)",
      'models/after_both.sql': "select * from {{ ref('slow_a') }} union all select * from {{ ref('slow_b') }}",
    });
    const outcome = await project.run('run', { threads: 2 });
    expect(outcome.exitCode).toBe(0);
    const interval = (name: string) => {
      const r = outcome.results.find((x) => x.uniqueId.endsWith(`.${name}`))!;
      return [Date.parse(r.startedAt), Date.parse(r.completedAt)] as const;
    };
    const [aStart, aEnd] = interval('slow_a');
    const [bStart, bEnd] = interval('slow_b');
    expect(aStart < bEnd && bStart < aEnd).toBe(true); // overlapping
    const [afterStart] = interval('after_both');
    expect(afterStart).toBeGreaterThanOrEqual(Math.max(aEnd, bEnd));
  });

  it('stops starting nodes after the first failure with --fail-fast', async () => {
    project = await createProject(postgres, {
      'models/broken.sql': "{{ config(materialized='table') }}select 1/0 as id",
      'models/later_a.sql': "select * from {{ ref('broken') }}",
      'models/zz_independent.sql': 'select 1 as id from pg_sleep(0.5)',
    });
    const outcome = await project.run('run', { failFast: true, threads: 1 });
    expect(outcome.exitCode).toBe(1);
    const status = Object.fromEntries(outcome.results.map((r) => [r.uniqueId.split('.').pop(), r.status]));
    expect(status.broken).toBe('error');
    expect(status.later_a).toBe('skipped');
    expect(status.zz_independent).toBe('skipped');
  });

  it('retries a model whose backend is terminated mid-run (a transient error) and succeeds', async () => {
    project = await createProject(postgres, {
      'models/flaky.sql': `{{ config(materialized='table') }}
select 1 as id, (select case when nextval('public.flaky_attempts') = 1 then pg_terminate_backend(pg_backend_pid()) else true end) as ok`,
    });
    await project.withDb((db) => db.exec('create sequence public.flaky_attempts'));
    const outcome = await project.run('run');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.results[0]!.attempts).toBe(2);
    expect(outcome.reporter.events.some((e) => e.type === 'nodeRetrying')).toBe(true);
    expect(await project.query('select id from flaky')).toEqual([{ id: 1 }]);
  });
});
