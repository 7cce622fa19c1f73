/**
 * `tspipe source freshness` on both databases: pass, warn, error and runtime error by
 * the age of the latest loaded_at_field, filters, tables turned off, sources.json.
 */
import { readFileSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listNodes } from '../../src/api/list-nodes.js';
import { checkSourceFreshness } from '../../src/api/source-freshness.js';
import { formatError, type TspipeError } from '../../src/errors.js';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const SOURCES = `version: 2
sources:
  - name: feed
    schema: feed
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 1, period: day}
      error_after: {count: 3, period: day}
    tables:
      - name: fresh
      - name: late
      - name: stale
      - name: stale_but_filtered
        freshness:
          filter: kind = 'heartbeat'
      - name: empty
      - name: hourly
        loaded_at_field: "cast(loaded_text as timestamp)"
        freshness:
          warn_after: {count: 2, period: hour}
          error_after: null
      - name: unchecked
        freshness: null
`;

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`source freshness on ${db.name}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('grades each source by the age of its latest load and writes sources.json', async () => {
      project = await createProject(db, { 'models/sources.yml': SOURCES });
      await project.withDb((d) =>
        d.exec(`create schema feed;
          create table feed.fresh as select now() - interval '5 minutes' as loaded_at;
          create table feed.late as select now() - interval '2 days' as loaded_at;
          create table feed.stale as select now() - interval '10 days' as loaded_at;
          create table feed.stale_but_filtered (loaded_at timestamptz, kind text);
          insert into feed.stale_but_filtered values (now() - interval '10 days', 'data'), (now() - interval '1 hour', 'heartbeat');
          create table feed.empty (loaded_at timestamptz);
          create table feed.hourly as select to_char(now() - interval '3 hours', 'YYYY-MM-DD HH24:MI:SS') as loaded_text;
          create table feed.unchecked (loaded_at timestamptz);`),
      );
      const env =
        project.created.spec.kind === 'pglite' ? { ...process.env, TSPIPE_PGLITE_DIR: project.created.spec.dataDir, TSPIPE_DATABASE_URL: '' } : process.env;
      const outcome = await checkSourceFreshness(project.options, env);
      expect(Object.fromEntries(outcome.results.map((r) => [r.name, r.status]))).toEqual({
        'feed.empty': 'runtime error',
        'feed.fresh': 'pass',
        'feed.hourly': 'warn',
        'feed.late': 'warn',
        'feed.stale': 'error',
        'feed.stale_but_filtered': 'pass',
      });
      expect(outcome.unchecked).toEqual(['source.test_project.feed.unchecked']);
      expect(outcome.exitCode).toBe(1);
      const late = outcome.results.find((r) => r.name === 'feed.late')!;
      expect(late.ageSeconds! / 86400).toBeCloseTo(2, 1);

      const json = JSON.parse(readFileSync(path.join(project.dir, 'target', 'sources.json'), 'utf8'));
      expect(json.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/sources/v3.json');
      expect(json.results.find((r: { unique_id: string }) => r.unique_id === 'source.test_project.feed.stale')).toMatchObject({
        status: 'error',
        max_loaded_at: expect.stringMatching(/^\d{4}-/),
        snapshotted_at: expect.stringMatching(/^\d{4}-/),
        max_loaded_at_time_ago_in_s: expect.any(Number),
        criteria: { warn_after: { count: 1, period: 'day' }, error_after: { count: 3, period: 'day' }, filter: null },
      });
      expect(json.results.find((r: { unique_id: string }) => r.unique_id.endsWith('.empty')).error).toMatch(/no row in feed\.empty/);

      // Only what is selected, and no error among it: exit 0.
      const selected = await checkSourceFreshness({ ...project.options, select: ['source:feed.fresh', 'source:feed.late'] }, env);
      expect(selected.results.map((r) => r.status)).toEqual(['pass', 'warn']);
      expect(selected.exitCode).toBe(0);
    });

    it('source_status:fresher+ --state selects what reads a source loaded since the state run', async () => {
      project = await createProject(db, {
        'models/sources.yml':
          'version: 2\nsources:\n  - name: feed\n    schema: feed\n    loaded_at_field: loaded_at\n    freshness: {warn_after: {count: 1, period: day}}\n    tables: [{name: a}, {name: b}]\n',
        'models/from_a.sql': "select * from {{ source('feed', 'a') }}",
        'models/from_b.sql': "select * from {{ source('feed', 'b') }}",
      });
      await project.withDb((d) =>
        d.exec(
          "create schema feed; create table feed.a as select now() - interval '1 hour' as loaded_at; create table feed.b as select now() - interval '1 hour' as loaded_at",
        ),
      );
      const env =
        project.created.spec.kind === 'pglite' ? { ...process.env, TSPIPE_PGLITE_DIR: project.created.spec.dataDir, TSPIPE_DATABASE_URL: '' } : process.env;
      expect((await project.run('run')).exitCode).toBe(0);
      expect((await checkSourceFreshness(project.options, env)).exitCode).toBe(0);
      await mkdir(path.join(project.dir, 'state'));
      for (const file of ['manifest.json', 'sources.json']) await cp(path.join(project.dir, 'target', file), path.join(project.dir, 'state', file));
      const fresher = () =>
        listNodes({ ...project!.options, state: 'state', select: ['source_status:fresher+'], resourceTypes: ['model'] }, env).nodes.map((n) => n.name);
      await project.withDb((d) => d.exec('insert into feed.a values (now())'));
      // Until freshness runs again, target/sources.json says what the state says.
      expect(fresher()).toEqual([]);
      await checkSourceFreshness(project.options, env);
      expect(fresher()).toEqual(['from_a']);
    });

    it('reports a freshness rule without loaded_at_field or with a bad period at its line', async () => {
      project = await createProject(db, {
        'models/sources.yml':
          'version: 2\nsources:\n  - name: feed\n    freshness:\n      warn_after: {count: 2, period: week}\n    tables:\n      - name: a\n',
      });
      const error = await checkSourceFreshness(project.options).catch((e: TspipeError) => e);
      expect(formatError(error as TspipeError)).toMatch(
        /^models\/sources\.yml:7: source feed\.a: freshness warn_after needs a whole count above 0 and a period of minute, hour, day\n {2}hint: e\.g\. warn_after: \{count: 12, period: hour\}$/,
      );
      await project.write(
        'models/sources.yml',
        'version: 2\nsources:\n  - name: feed\n    freshness:\n      warn_after: {count: 2, period: hour}\n    tables:\n      - name: a\n',
      );
      // Parsed as dbt parses it; only checking it needs the column.
      const missing = await checkSourceFreshness(project.options, project.env);
      expect(missing.exitCode).toBe(1);
      expect(missing.results.map((r) => [r.name, r.status, r.message])).toEqual([
        [
          'feed.a',
          'runtime error',
          'feed.a has a freshness rule but no loaded_at_field: add loaded_at_field (the timestamp column saying when a row was loaded) to the source or the table',
        ],
      ]);
    });
  });
}
