/**
 * A seed with an inbox (seeds/inbox/<seed>/*.csv): each file lands once through the
 * load ledger; a re-run adds nothing, a changed file replaces its own rows, a new
 * file is appended; rejects and lineage per file as for one file.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const PROJECT_YML = `name: inbox_test
seeds:
  inbox_test:
    +schema: landing
    +raw_landing: true
`;
const HEADER = 'event_id,user_id,event_time\n';
const HISTORY = `${HEADER}1,1,2025-12-01T10:00:00\n2,1,2025-12-02T10:00:00\n3,2,2025-12-03T10:00:00\n`;
const DAY_30 = `${HEADER}30001,1,2025-12-30T09:00:00\n30002,2,2025-12-30T11:00:00\n30003,2\n`;
const DAY_31 = `${HEADER}31001,1,2025-12-31T08:00:00\n31002,3,2025-12-31T20:00:00\n`;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`seed inbox and load ledger on ${db.name}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    async function eventsBySource(): Promise<Record<string, string[]>> {
      const rows = await project!.query<{ file: string; ids: string[] }>(
        'select _source_file as file, array_agg(event_id order by _source_line) as ids from landing.events group by 1 order by 1',
      );
      return Object.fromEntries(rows.map((r) => [r.file, r.ids]));
    }

    async function seedMessage(): Promise<string> {
      const outcome = await project!.run('seed');
      expect(outcome.exitCode).toBe(0);
      return outcome.results.find((r) => r.uniqueId === 'seed.inbox_test.events')!.message!;
    }

    it('lands each file once: re-run adds nothing, a new file appends, a changed file replaces its own rows', async () => {
      project = await createProject(db, {
        'project.yml': PROJECT_YML,
        'seeds/events.csv': HISTORY,
        'seeds/inbox/events/2025-12-30.csv': DAY_30,
        'models/daily.sql': "select event_time::date as day, count(*) as n from {{ ref('events') }} group by 1",
      });
      expect(await seedMessage()).toBe('2 files landed, 0 unchanged: 8 lines, 6 records read: 5 loaded, 1 rejected (see landing.load_rejects)');
      expect(await eventsBySource()).toEqual({
        'seeds/events.csv': ['1', '2', '3'],
        'seeds/inbox/events/2025-12-30.csv': ['30001', '30002'],
      });
      const ledger = await project.query(
        'select table_name, source_file, size_bytes::int as size, sha256, rows::int, rejected::int from landing.load_ledger order by source_file',
      );
      expect(ledger).toEqual([
        { table_name: 'landing.events', source_file: 'seeds/events.csv', size: HISTORY.length, sha256: sha256(HISTORY), rows: 3, rejected: 0 },
        { table_name: 'landing.events', source_file: 'seeds/inbox/events/2025-12-30.csv', size: DAY_30.length, sha256: sha256(DAY_30), rows: 2, rejected: 1 },
      ]);
      // inbox files are not seeds of their own
      expect((await project.run('seed')).results.map((r) => r.uniqueId)).toEqual(['seed.inbox_test.events']);

      expect(await seedMessage()).toBe('no new or changed file (2 unchanged)');
      expect(Object.values(await eventsBySource()).flat()).toHaveLength(5);

      await project.write('seeds/inbox/events/2025-12-31.csv', DAY_31);
      expect(await seedMessage()).toBe('1 file landed, 2 unchanged: 3 lines, 2 records read: 2 loaded, 0 rejected');
      expect((await eventsBySource())['seeds/inbox/events/2025-12-31.csv']).toEqual(['31001', '31002']);

      const day30 = `${HEADER}30009,4,2025-12-30T23:00:00\n`;
      await project.write('seeds/inbox/events/2025-12-30.csv', day30);
      expect(await seedMessage()).toBe('1 file landed, 2 unchanged: 2 lines, 1 records read: 1 loaded, 0 rejected');
      expect(await eventsBySource()).toEqual({
        'seeds/events.csv': ['1', '2', '3'],
        'seeds/inbox/events/2025-12-30.csv': ['30009'],
        'seeds/inbox/events/2025-12-31.csv': ['31001', '31002'],
      });
      expect(await project.query("select count(*)::int as n from landing.load_rejects where source_file like 'seeds/inbox/%'")).toEqual([{ n: 0 }]);
      expect(await project.query("select rows::int, sha256 from landing.load_ledger where source_file = 'seeds/inbox/events/2025-12-30.csv'")).toEqual([
        { rows: 1, sha256: sha256(day30) },
      ]);
      // each row keeps its own file's load time
      expect(await project.query('select count(distinct _loaded_at)::int as n from landing.events')).toEqual([{ n: 3 }]);

      const build = await project.run('build');
      expect(build.exitCode).toBe(0);
      expect(await project.query('select day::text, n::int from public.daily order by 1')).toEqual([
        { day: '2025-12-01', n: 1 },
        { day: '2025-12-02', n: 1 },
        { day: '2025-12-03', n: 1 },
        { day: '2025-12-30', n: 1 },
        { day: '2025-12-31', n: 2 },
      ]);
      expect(await project.query("select relname from pg_class where relname like '%tspipe%'")).toEqual([]);
    });

    it('a file with other columns fails at its first line and lands nothing; every file lands again when the table was dropped or under --full-refresh', async () => {
      project = await createProject(db, { 'project.yml': PROJECT_YML, 'seeds/events.csv': HISTORY, 'seeds/inbox/events/2025-12-30.csv': DAY_30 });
      await seedMessage();
      await project.write('seeds/inbox/events/2025-12-31.csv', 'event_id,player\n1,2\n');
      const failed = await project.run('seed');
      expect(failed.exitCode).toBe(1);
      expect(failed.results[0]).toMatchObject({ status: 'error', where: 'seeds/inbox/events/2025-12-31.csv:1' });
      expect(failed.results[0]!.hint).toMatch(/same column names/);
      expect(Object.values(await eventsBySource()).flat()).toHaveLength(5);
      expect(await project.query("select count(*)::int as n from landing.load_ledger where source_file like '%31.csv'")).toEqual([{ n: 0 }]);

      await project.write('seeds/inbox/events/2025-12-31.csv', DAY_31);
      await project.withDb((conn) => conn.exec('drop table landing.events'));
      expect(await seedMessage()).toBe('3 files landed, 0 unchanged: 11 lines, 8 records read: 7 loaded, 1 rejected (see landing.load_rejects)');
      expect(await project.query('select count(*)::int as n from landing.load_ledger')).toEqual([{ n: 3 }]);

      const refreshed = await project.run('seed', { fullRefresh: true });
      expect(refreshed.results[0]!.message).toBe('3 files landed, 0 unchanged: 11 lines, 8 records read: 7 loaded, 1 rejected (see landing.load_rejects)');
      expect(Object.values(await eventsBySource()).flat()).toHaveLength(7);
    });

    it('an inbox on a typed seed is an error naming the seed file', async () => {
      project = await createProject(db, {
        'project.yml': 'name: inbox_test\n',
        'seeds/events.csv': HISTORY,
        'seeds/inbox/events/2025-12-30.csv': DAY_30,
      });
      const outcome = await project.run('seed');
      expect(outcome.exitCode).toBe(1);
      expect(outcome.results[0]).toMatchObject({ status: 'error', where: 'seeds/events.csv' });
      expect(outcome.results[0]!.hint).toMatch(/raw_landing: true/);
    });
  });
}
