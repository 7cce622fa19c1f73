/** dbt's microbatch incremental strategy: batches, --event-time-start/end, lookback, retry of failed batches. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

// 16 events, 6 hours apart: 4 on each day from 2025-01-01 to 2025-01-04.
const FILES = {
  'models/events_src.sql': `{{ config(materialized='table', event_time='event_time') }}
select id, timestamp '2025-01-01' + id * interval '6 hours' as event_time from generate_series(0, 15) as id`,
  'models/daily.sql': `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_time',
    batch_size='day', begin='2025-01-01') }}
select id, event_time, '{{ var("tag", "a") }}' as tag, '{{ model.batch.id }}' as batch_id,
       1 / (case when event_time::date = date '{{ var("poison", "1900-01-01") }}' then 0 else 1 end) as ok
from {{ ref('events_src') }}`,
  'models/after.sql': "select count(*) as n from {{ ref('daily') }}",
};

const at = (iso: string) => () => new Date(iso);
const batches = (outcome: { results: { uniqueId: string; batchResults?: unknown }[] }) =>
  outcome.results.find((r) => r.uniqueId === 'model.test_project.daily')?.batchResults;

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`microbatch on ${db.name}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('builds from begin, replaces a window atomically, retries only the failed batch', async () => {
      project = await createProject(db, FILES);
      const first = await project.run('run', { now: at('2025-01-05T00:00:00Z') });
      expect(first.exitCode).toBe(0);
      expect(batches(first)).toEqual({ successful: [['2025-01-01 00:00:00+00:00', '2025-01-05 00:00:00+00:00']], failed: [] });
      expect(await project.query('select count(*)::int as n from daily')).toEqual([{ n: 16 }]);
      const compiledPath = first.results.find((r) => r.uniqueId.endsWith('.daily'))!.compiledPath!;
      const compiled = readFileSync(path.resolve(project.dir, compiledPath), 'utf8');
      expect(compiled).toMatch(/_dbt_et_filter_subq_events_src/);

      // Two day batches; the second divides by zero: it rolls back alone.
      const partial = await project.run('run', {
        eventTimeStart: '2025-01-02',
        eventTimeEnd: '2025-01-04',
        vars: { tag: 'b', poison: '2025-01-03' },
      });
      expect(partial.exitCode).toBe(1);
      const status = Object.fromEntries(partial.results.map((r) => [r.uniqueId.split('.').pop(), r.status]));
      expect(status).toMatchObject({ daily: 'partial success', after: 'skipped' });
      expect(batches(partial)).toEqual({
        successful: [['2025-01-02 00:00:00+00:00', '2025-01-03 00:00:00+00:00']],
        failed: [['2025-01-03 00:00:00+00:00', '2025-01-04 00:00:00+00:00']],
      });
      const tags = 'select event_time::date::text as day, tag, count(*)::int as n from daily group by 1, 2 order by 1';
      expect(await project.query(tags)).toEqual([
        { day: '2025-01-01', tag: 'a', n: 4 },
        { day: '2025-01-02', tag: 'b', n: 4 },
        { day: '2025-01-03', tag: 'a', n: 4 },
        { day: '2025-01-04', tag: 'a', n: 4 },
      ]);
      // model.batch, as in dbt: the batch's id and window while it compiles.
      expect(await project.query("select distinct batch_id from daily where event_time::date = '2025-01-02'")).toEqual([{ batch_id: '20250102' }]);
      const runResults = JSON.parse(readFileSync(path.join(project.dir, 'target/run_results.json'), 'utf8'));
      expect(runResults.results.find((r: { unique_id: string }) => r.unique_id.endsWith('.daily')).batch_results.failed).toHaveLength(1);

      // retry: the failed day only, then what was skipped downstream.
      const retried = await project.retry({ vars: { tag: 'c' } });
      expect(retried!.exitCode).toBe(0);
      expect(batches(retried!)).toEqual({ successful: [['2025-01-03 00:00:00+00:00', '2025-01-04 00:00:00+00:00']], failed: [] });
      expect((await project.query(tags)).map((r) => r.tag)).toEqual(['a', 'b', 'c', 'a']);
      expect(await project.query('select n::int from after')).toEqual([{ n: 16 }]);
    });

    it('an incremental run without flags reprocesses the lookback batch and the current one', async () => {
      project = await createProject(db, FILES);
      expect((await project.run('run', { now: at('2025-01-03T12:00:00Z') })).exitCode).toBe(0);
      // "now" is in the third day: the batches end at its end.
      expect(await project.query('select count(*)::int as n from daily')).toEqual([{ n: 12 }]);
      const next = await project.run('run', { now: at('2025-01-04T12:00:00Z'), select: ['daily'] });
      expect(batches(next)).toEqual({
        successful: [
          ['2025-01-03 00:00:00+00:00', '2025-01-04 00:00:00+00:00'],
          ['2025-01-04 00:00:00+00:00', '2025-01-05 00:00:00+00:00'],
        ],
        failed: [],
      });
      expect(await project.query('select count(*)::int as n, count(distinct id)::int as ids from daily')).toEqual([{ n: 16, ids: 16 }]);
      // --full-refresh starts again from begin.
      const refreshed = await project.run('run', { now: at('2025-01-02T00:00:00Z'), fullRefresh: true, select: ['daily'] });
      expect(refreshed.exitCode).toBe(0);
      expect(await project.query('select count(*)::int as n from daily')).toEqual([{ n: 4 }]);
    });

    it('a first run with a window builds the history from begin up to its end', async () => {
      project = await createProject(db, FILES);
      const first = await project.run('run', { select: ['+daily'], eventTimeStart: '2025-01-02', eventTimeEnd: '2025-01-03' });
      expect(batches(first)).toEqual({ successful: [['2025-01-01 00:00:00+00:00', '2025-01-03 00:00:00+00:00']], failed: [] });
      expect(await project.query('select count(*)::int as n from daily')).toEqual([{ n: 8 }]);
    });

    it("filters a source with event_time to the batch's window, as dbt 1.9 does", async () => {
      project = await createProject(db, {
        'models/sources.yml': `version: 2
sources:
  - name: app
    schema: app_raw
    tables:
      - name: events
        config: {event_time: occurred_at}
`,
        'models/from_source.sql': `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='occurred_at',
    batch_size='day', begin='2025-01-01') }}
select id, occurred_at from {{ source('app', 'events') }}`,
      });
      await project.query('create schema app_raw');
      await project.query(
        "create table app_raw.events as select id, timestamp '2025-01-01' + id * interval '6 hours' as occurred_at from generate_series(0, 15) as id",
      );
      expect((await project.run('run', { now: at('2025-01-05T00:00:00Z') })).exitCode).toBe(0);
      const day = await project.run('run', { eventTimeStart: '2025-01-02', eventTimeEnd: '2025-01-03' });
      expect(day.exitCode).toBe(0);
      expect(day.results[0]!.rowsAffected).toBe(4);
      // Unfiltered, the day's batch would have inserted all 16 source rows again.
      expect(await project.query('select count(*)::int as n, count(distinct id)::int as ids from from_source')).toEqual([{ n: 16, ids: 16 }]);
      const compiled = readFileSync(path.resolve(project.dir, day.results[0]!.compiledPath!), 'utf8');
      expect(compiled).toMatch(/occurred_at >= '2025-01-02 00:00:00\+00:00' and occurred_at < '2025-01-03 00:00:00\+00:00'/);
    });

    it('rejects a microbatch model without begin, and half a window', async () => {
      project = await createProject(db, {
        'models/bad.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='t', batch_size='day') }}select now() as t",
      });
      await expect(project.run('run')).rejects.toThrow(/begin: a microbatch model needs begin/);
      await project.write('models/bad.sql', 'select 1 as id');
      await expect(project.run('run', { eventTimeStart: '2025-01-01' })).rejects.toThrow(/must be given together/);
    });

    it("build audits a batch's row-by-row tests on the batch's rows only, unique on the keys the batch has", async () => {
      project = await createProject(db, {
        ...FILES,
        'models/schema.yml': `models:
  - name: daily
    columns:
      - name: id
        data_tests: [unique]
      - name: tag
        data_tests: [not_null]
`,
      });
      const now = at('2025-01-05T00:00:00Z');
      expect((await project.run('build', { now })).exitCode).toBe(0);
      // a bad row and a repeated id outside the next batch's window: that batch's audit does not read them
      await project.query("update daily set tag = null where event_time::date = date '2025-01-01'");
      await project.query(
        "insert into daily (id, event_time, tag, batch_id, ok) select 100, timestamp '2025-01-01 02:00', 'x', 'x', 1 from generate_series(1, 2)",
      );
      const window = { eventTimeStart: '2025-01-03', eventTimeEnd: '2025-01-04', now };
      const day = await project.run('build', window);
      expect(day.results.filter((r) => r.status !== 'success' && r.status !== 'pass')).toEqual([]);
      // ...while unique reads the whole table for the batch's keys: a batch id repeated on another day fails it
      await project.query("insert into daily (id, event_time, tag, batch_id, ok) values (9, timestamp '2025-01-01 01:00', 'x', 'x', 1)");
      const failed = await project.run('build', window);
      expect(failed.exitCode).toBe(1);
      expect(failed.results.find((r) => r.uniqueId === 'model.test_project.daily')?.message).toMatch(/unique_daily_id/);
      expect(failed.results.find((r) => r.uniqueId === 'model.test_project.daily')?.message).not.toMatch(/not_null/);
    });
  });
}
