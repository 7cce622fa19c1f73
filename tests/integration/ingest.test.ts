import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAdapter } from '../../src/adapter/open-adapter.js';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const PROJECT_YML = `name: landing_test
seeds:
  landing_test:
    +schema: landing
    +raw_landing: true
    +max_record_lines: 3
`;

const HEADER = 'event_id,game_id,user_id,event_time,event_type,duration_seconds,device_type\n';

/** events.csv with the dirt the loader must catch; comments give the line numbers. */
const EVENTS_V1 = Buffer.concat([
  Buffer.from(HEADER), // 1
  Buffer.from('1,100,1,2024-06-15T14:23:01,login,30,mobile\n'), // 2
  Buffer.from('2,100,1,2024-06-15T14:25:01,start_game,,web\n'), // 3: empty duration stays ''
  Buffer.from('3,9999,2,2024-06-15T14:26:01,Start_Game,-10,MOBILE\n'), // 4: dirty values land as they are
  Buffer.from('4,101,2,2024-06-15T14:27:01,purchase,60,mob"ile\n'), // 5: bad_quote
  Buffer.from('5,101,2\n'), // 6: too_few_fields
  Buffer.from('6,101,2,2024-06-15T14:28:01,login,30,web,extra\n'), // 7: too_many_fields
  Buffer.from('7,102,3,"2024-06-15T14:29:01","finish_game","90",console\n'), // 8: quoted fields
  Buffer.from('8,102,3,2024-06-15T14:30:01,"multi\nline",90,web\n'), // 9-10: one record on two lines
  Buffer.from('9,102,3,2024-06-15T14:31:01,login,\\N,web\r\n'), // 11: \N is text, CRLF
  Buffer.from('\n'), // 12: blank_line
  Buffer.from('10,103,4,2024-06-15T14:32:01,login,30,caf\xe9\n', 'latin1'), // 13: invalid_utf8
  Buffer.from('11,103,4,2024-06-15T14:33:01,login,30,web\0\n'), // 14: nul_byte
  Buffer.from('12,103,4,2024-06-15T14:34:01,login,30,"never closed\n'), // 15: unterminated_quote (max_record_lines: 3)
  Buffer.from('13,104,5,2024-06-15T14:35:01,login,30,web\n'), // 16
  Buffer.from('14,104,5,2024-06-15T14:36:01,login,30,web\n'), // 17
  Buffer.from('15,104,5,2024-06-15T14:37:01,login,30,web'), // 18: no final line break
]);

const USERS = 'user_id,location\n1,Paris\n2\n3,\n';
const EVENTS_V2 = `${HEADER}21,100,1,2024-07-01T10:00:00,login,30,web\n22,100,1\n23,100,1,2024-07-01T10:05:00,login,60,web\n`;

function wideEvents(rows: number, first = 1): string {
  let text = HEADER;
  for (let i = first; i < first + rows; i++) text += `${i},${100 + (i % 50)},${i % 997},2024-06-15T14:23:01,login,30,web\n`;
  return text;
}

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`raw landing seeds on ${db.name}${db.skipNote}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    async function landingProject(files: Record<string, string> = {}): Promise<TestProject> {
      const created = await createProject(db, { 'project.yml': PROJECT_YML, 'seeds/users.csv': USERS, ...files });
      await writeFile(path.join(created.dir, 'seeds/events.csv'), EVENTS_V1);
      return created;
    }

    it('lands every value as its text with lineage, rejects the rest with line and reason, and conserves counts', async () => {
      project = await landingProject();
      const outcome = await project.run('seed');
      expect(outcome.exitCode).toBe(0);
      const events = outcome.results.find((r) => r.uniqueId === 'seed.landing_test.events')!;
      expect(events).toMatchObject({ status: 'success', rowsAffected: 9, verb: 'loaded seed' });
      expect(events.message).toBe('18 lines, 16 records read: 9 loaded, 7 rejected (see landing.load_rejects)');

      const columns = await project.query<{ column_name: string; data_type: string }>(
        "select column_name, data_type from information_schema.columns where table_schema = 'landing' and table_name = 'events' order by ordinal_position",
      );
      expect(columns.map((c) => `${c.column_name} ${c.data_type}`)).toEqual([
        ...HEADER.trim()
          .split(',')
          .map((c) => `${c} text`),
        '_source_line bigint',
        '_source_file text',
        '_loaded_at timestamp with time zone',
      ]);

      const rows = await project.query<Record<string, string | null>>(
        'select event_id, event_type, duration_seconds, device_type, _source_line::int as line, _source_file from landing.events order by _source_line',
      );
      expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 8, 9, 11, 16, 17, 18]);
      expect(rows.find((r) => r.event_id === '2')).toMatchObject({ duration_seconds: '', device_type: 'web' });
      expect(rows.find((r) => r.event_id === '3')).toMatchObject({ event_type: 'Start_Game', duration_seconds: '-10', device_type: 'MOBILE' });
      expect(rows.find((r) => r.event_id === '7')).toMatchObject({ event_type: 'finish_game', duration_seconds: '90' });
      expect(rows.find((r) => r.event_id === '8')).toMatchObject({ event_type: 'multi\nline' });
      expect(rows.find((r) => r.event_id === '9')).toMatchObject({ duration_seconds: '\\N' });
      expect(new Set(rows.map((r) => r._source_file))).toEqual(new Set(['seeds/events.csv']));
      const [nulls] = await project.query<{ n: number }>(
        'select count(*)::int as n from landing.events where num_nulls(event_id, game_id, user_id, event_time, event_type, duration_seconds, device_type) > 0',
      );
      expect(nulls!.n).toBe(0);

      const rejects = await project.query<{ source_file: string; source_line: number; code: string; detail: string; raw_text: string }>(
        'select source_file, source_line::int, reason as code, detail, raw_text from landing.load_rejects order by source_file, source_line',
      );
      expect(rejects.map((r) => [r.source_file, r.source_line, r.code])).toEqual([
        ['seeds/events.csv', 5, 'bad_quote'],
        ['seeds/events.csv', 6, 'too_few_fields'],
        ['seeds/events.csv', 7, 'too_many_fields'],
        ['seeds/events.csv', 12, 'blank_line'],
        ['seeds/events.csv', 13, 'invalid_utf8'],
        ['seeds/events.csv', 14, 'nul_byte'],
        ['seeds/events.csv', 15, 'unterminated_quote'],
        ['seeds/users.csv', 3, 'too_few_fields'],
      ]);
      expect(rejects[0]!.raw_text).toBe('4,101,2,2024-06-15T14:27:01,purchase,60,mob"ile');
      expect(rejects[0]!.detail).toBe('a quote inside the unquoted field 7 (byte 44)');
      expect(rejects[4]!.detail).toMatch(/^invalid UTF-8 at byte \d+ \(0xe9\)$/);
      expect(rejects[4]!.raw_text).toBe('10,103,4,2024-06-15T14:32:01,login,30,caf\uFFFD');

      // one _loaded_at per load, the same in the table and in its rejects
      const stamps = await project.query<{ n: number }>(
        "select count(distinct t)::int as n from (select _loaded_at as t from landing.events union all select loaded_at from landing.load_rejects where source_file = 'seeds/events.csv') s",
      );
      expect(stamps[0]!.n).toBe(1);
    });

    it('re-loads atomically: old rows gone, this file’s rejects replaced, other files’ kept, dependent views kept', async () => {
      project = await landingProject({ 'models/raw_events.sql': "select event_id, _source_line from {{ ref('events') }}" });
      expect((await project.run('build')).exitCode).toBe(0);
      await project.withDb((conn) =>
        conn.exec('create schema reporting; create view reporting.event_lines as select event_id, _source_file, _source_line from landing.events'),
      );

      await project.write('seeds/events.csv', EVENTS_V2);
      const outcome = await project.run('seed');
      expect(outcome.exitCode).toBe(0);
      expect(outcome.results.find((r) => r.uniqueId === 'seed.landing_test.events')).toMatchObject({ rowsAffected: 2 });

      expect(await project.query('select event_id, _source_line::int as line from landing.events order by 2')).toEqual([
        { event_id: '21', line: 2 },
        { event_id: '23', line: 4 },
      ]);
      expect(await project.query('select event_id from reporting.event_lines order by 1')).toEqual([{ event_id: '21' }, { event_id: '23' }]);
      expect(await project.query('select event_id from public.raw_events order by 1')).toEqual([{ event_id: '21' }, { event_id: '23' }]);
      expect(await project.query('select source_file, source_line::int as line from landing.load_rejects order by 1, 2')).toEqual([
        { source_file: 'seeds/events.csv', line: 3 },
        { source_file: 'seeds/users.csv', line: 3 },
      ]);
      expect(await project.query("select relname from pg_class where relname like '%tspipe%'")).toEqual([]);
    });

    it('a rejects table from before `detail` gets the column, its old reasons split into code and detail', async () => {
      project = await landingProject();
      await project.withDb((conn) =>
        conn.exec(
          'create schema landing; create table landing.load_rejects (source_file text not null, source_line bigint not null, reason text not null, raw_text text not null, loaded_at timestamptz not null);' +
            "insert into landing.load_rejects values ('seeds/old.csv', 4, 'too_few_fields: 2 fields where the header has 3', '1,2', now())",
        ),
      );
      expect((await project.run('seed')).exitCode).toBe(0);
      expect(await project.query("select reason, detail from landing.load_rejects where source_file = 'seeds/old.csv'")).toEqual([
        { reason: 'too_few_fields', detail: '2 fields where the header has 3' },
      ]);
      const [codes] = await project.query<{ n: number }>("select count(*)::int as n from landing.load_rejects where reason like '%:%' or detail = ''");
      expect(codes!.n).toBe(0);
    });

    it('a failed re-load leaves the previous load and its rejects as they were', async () => {
      project = await landingProject();
      expect((await project.run('seed')).exitCode).toBe(0);
      await project.write('seeds/events.csv', 'event_id,event_id\n1,2\n');
      const outcome = await project.run('seed', { select: ['events'] });
      expect(outcome.exitCode).toBe(1);
      expect(outcome.results[0]).toMatchObject({ status: 'error', where: 'seeds/events.csv:1' });
      expect(outcome.results[0]!.message).toMatch(/column "event_id" appears twice/);
      expect(outcome.results[0]!.hint).toMatch(/unique name/);
      const [counts] = await project.query<{ rows: number; rejects: number }>(
        "select (select count(*)::int from landing.events) as rows, (select count(*)::int from landing.load_rejects where source_file = 'seeds/events.csv') as rejects",
      );
      expect(counts).toEqual({ rows: 9, rejects: 7 });
    });

    it('an empty file is an error naming it; a header-only file loads no rows', async () => {
      project = await landingProject();
      await project.write('seeds/events.csv', HEADER);
      await project.write('seeds/users.csv', '');
      const outcome = await project.run('seed');
      const byId = Object.fromEntries(outcome.results.map((r) => [r.uniqueId, r]));
      expect(byId['seed.landing_test.events']).toMatchObject({ status: 'success', rowsAffected: 0 });
      expect(byId['seed.landing_test.users']).toMatchObject({ status: 'error', where: 'seeds/users.csv' });
      expect(byId['seed.landing_test.users']!.message).toMatch(/seed file is empty/);
    });

    it('several COPY streams keep every line number and reject of a multi-MiB file (one stream on PGlite)', async () => {
      // Dirt every 997th line and a two-line record every 1499th, across the chunk borders.
      let text = HEADER;
      let line = 2;
      const loaded: [string, number][] = [];
      const rejected: number[] = [];
      for (let i = 1; i <= 60_000; i++) {
        if (i % 997 === 0) {
          text += `${i},101,2,2024-06-15T14:27:01,purchase,60,mob"ile\n`;
          rejected.push(line++);
        } else if (i % 1499 === 0) {
          text += `${i},102,3,2024-06-15T14:30:01,"multi\nline",90,web\n`;
          loaded.push([String(i), line]);
          line += 2;
        } else {
          text += `${i},${100 + (i % 50)},${i % 997},2024-06-15T14:23:01,login,30,web\n`;
          loaded.push([String(i), line++]);
        }
      }
      project = await createProject(db, {
        'project.yml': PROJECT_YML,
        'seeds/big.csv': text,
        'seeds/big.yml': 'seeds:\n  - name: big\n    config:\n      copy_streams: 3\n',
      });
      const outcome = await project.run('seed', { threads: 4 });
      expect(outcome.exitCode).toBe(0);
      const big = outcome.results.find((r) => r.uniqueId === 'seed.landing_test.big')!;
      expect(big.rowsAffected).toBe(loaded.length);
      // How many streams got chunks depends on how fast connections open: parallel-copy.test.ts pins that down.
      if (db.name === 'pglite') expect(big.message).not.toMatch(/COPY streams/);
      const rows = await project.query<{ event_id: string; line: number }>('select event_id, _source_line::int as line from landing.big order by _source_line');
      expect(rows.map((r) => [r.event_id, r.line])).toEqual(loaded);
      const rejects = await project.query<{ line: number }>(
        "select source_line::int as line from landing.load_rejects where source_file = 'seeds/big.csv' order by 1",
      );
      expect(rejects.map((r) => r.line)).toEqual(rejected);
      expect(await project.query("select relname from pg_class where relname like '%tspipe%'")).toEqual([]);
    });

    it.runIf(db.name === 'postgres')(
      `readers see the old load or the new one, never a part${db.name === 'postgres' ? '' : ' (skipped: PostgreSQL only: PGlite runs one session at a time)'}`,
      async () => {
        project = await landingProject();
        await project.write('seeds/events.csv', wideEvents(1000));
        expect((await project.run('seed')).exitCode).toBe(0);
        await project.write('seeds/events.csv', wideEvents(60_000, 5000));
        const reader = await openAdapter(project.created.spec);
        const seen = new Set<number>();
        try {
          let done = false;
          const reload = project.run('seed').finally(() => (done = true));
          while (!done) {
            const { rows } = await reader.query<{ n: number }>('select count(*)::int as n from landing.events');
            seen.add(rows[0]!.n);
          }
          expect((await reload).exitCode).toBe(0);
          const { rows } = await reader.query<{ n: number }>('select count(*)::int as n from landing.events');
          seen.add(rows[0]!.n);
        } finally {
          await reader.close();
        }
        expect([...seen].every((n) => n === 1000 || n === 60_000)).toBe(true);
        expect(seen.has(60_000)).toBe(true);
      },
    );
  });
}
