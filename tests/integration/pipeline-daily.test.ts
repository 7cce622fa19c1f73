/**
 * The gaming pipeline's daily data path: history in seeds/events.csv and users.csv,
 * then one inbox file a day (events, and new users on some days). Each day's build
 * checks only that day's files (clean_events_checked and clean_users_checked are
 * incremental by landed file), and the clean and KPI tables equal one full build over
 * the same files, duplicates arriving on a later day included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { pipelineProjectFiles } from '../support/pipeline-files.js';
import { createProject, type TestProject } from '../support/project.js';

const USERS = `user_id,age_range,registration_date,email,workout_frequency,gender,location,subscription_type
1,18-25,2023-01-15,a@x.com,regular,M,Paris,premium
2,26-35,2023-02-01,b@x.com,minimal,F,Lyon,free
`;
const GAMES = `game_id,game_name,game_type,platform,difficulty
100,Dragon Quest,cardio,iOS,easy
`;
const HEADER = 'event_id,game_id,user_id,event_time,event_type,duration_seconds,device_type\n';
const HISTORY = `${HEADER}1,100,1,2024-06-01T10:00:00,login,60,mobile
2,100,2,2024-06-01T11:00:00,login,30,web
`;
// Day 2: id 1 again (kept on day 1: a duplicate), id 3 twice in the file, a bad timestamp,
// and user 3, who registers that day (users/2024-06-02.csv).
const DAY_2 = `${HEADER}3,100,1,2024-06-02T10:00:00,login,60,mobile
1,100,1,2024-06-02T10:05:00,login,60,mobile
3,100,1,2024-06-02T10:06:00,login,60,mobile
4,100,2,someday,login,30,web
5,100,2,2024-06-02T12:00:00,purchase,30,web
7,100,3,2024-06-02T18:00:00,start_game,90,web
`;
// User 3 is new; user 1 again (kept from users.csv: a duplicate).
const USERS_DAY_2 = `user_id,age_range,registration_date,email,workout_frequency,gender,location,subscription_type
3,36-50,2024-06-02,c@x.com,maximal,Other,Berlin,trial
1,18-25,2024-06-02,again@x.com,regular,M,Paris,free
`;
// Day 3: id 5 came on day 2, id 4 (a bad timestamp on day 2) was still its first row.
const DAY_3 = `${HEADER}6,100,1,2024-06-03T10:00:00,finish_game,60,console
5,100,2,2024-06-03T12:00:00,login,30,web
4,100,2,2024-06-03T13:00:00,login,30,web
`;

const TABLES = [
  'clean.users_checked',
  'clean.users',
  'clean.users_quarantine',
  'clean.events_checked',
  'clean.events',
  'clean.events_quarantine',
  'clean.sessions',
  'kpi.user_game_days',
  'kpi.monthly_activity',
  'kpi.daily_status',
  'kpi.user_kpis',
  'kpi.monthly_kpis',
  'kpi.game_kpis',
  'kpi.location_kpis',
];

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`gaming pipeline, a day at a time (${db.name})`, () => {
    let project: TestProject;
    const snapshot = async () => {
      const rows: Record<string, string[]> = {};
      // _loaded_at differs between loads by design: compare everything else
      for (const table of TABLES)
        rows[table] = (await project.query<{ r: string }>(`select (to_jsonb(t) - '_loaded_at')::text as r from ${table} as t order by 1`)).map((x) => x.r);
      return rows;
    };
    const dayBuild = (day: string, next: string) => project.run('build', { eventTimeStart: day, eventTimeEnd: next });

    beforeAll(async () => {
      project = await createProject(db, {
        ...pipelineProjectFiles(),
        'seeds/users.csv': USERS,
        'seeds/games.csv': GAMES,
        'seeds/events.csv': HISTORY,
        // the inbox exists from the first build, so that build's landing is already in the ledger
        'seeds/inbox/events/.keep': '',
        'seeds/inbox/users/.keep': '',
      });
    }, 60_000);
    afterAll(async () => project?.cleanup());

    it("checks only the day's file and ends equal to one full build", async () => {
      expect((await project.run('build')).exitCode).toBe(0);
      await project.write('seeds/inbox/events/2024-06-02.csv', DAY_2);
      await project.write('seeds/inbox/users/2024-06-02.csv', USERS_DAY_2);
      const day2 = await dayBuild('2024-06-02', '2024-06-03');
      expect(day2.exitCode).toBe(0);
      // delete+insert on _source_file: the day's 6 rows only, not the history's 2 again
      expect(day2.results.find((r) => r.uniqueId === 'model.gaming_kpis.clean_events_checked')?.rowsAffected).toBe(6);
      expect(day2.results.find((r) => r.uniqueId === 'model.gaming_kpis.clean_users_checked')?.rowsAffected).toBe(2);
      await project.write('seeds/inbox/events/2024-06-03.csv', DAY_3);
      const day3 = await dayBuild('2024-06-03', '2024-06-04');
      expect(day3.exitCode).toBe(0);
      expect(day3.results.find((r) => r.uniqueId === 'model.gaming_kpis.clean_events_checked')?.rowsAffected).toBe(3);
      // no users file that day: users.csv and the day-2 file are not checked again
      expect(day3.results.find((r) => r.uniqueId === 'model.gaming_kpis.clean_users_checked')?.rowsAffected).toBe(0);
      expect(
        await project.query(
          'select _source_file as file, user_id::int as id from clean.users_quarantine as q join clean.users_checked as c using (_source_file, _source_line)',
        ),
      ).toEqual([{ file: 'seeds/inbox/users/2024-06-02.csv', id: 1 }]);
      expect(await project.query('select count(*)::int as n from kpi.user_kpis where user_id = 3 and events = 1')).toEqual([{ n: 1 }]);
      expect(
        await project.query('select _source_file as file, _source_line::int as line, quarantine_reason as reason from clean.events_quarantine order by 1, 2'),
      ).toEqual([
        { file: 'seeds/inbox/events/2024-06-02.csv', line: 3, reason: 'duplicate_id' },
        { file: 'seeds/inbox/events/2024-06-02.csv', line: 4, reason: 'duplicate_id' },
        { file: 'seeds/inbox/events/2024-06-02.csv', line: 5, reason: 'bad_timestamp' },
        { file: 'seeds/inbox/events/2024-06-03.csv', line: 3, reason: 'duplicate_id' },
        { file: 'seeds/inbox/events/2024-06-03.csv', line: 4, reason: 'duplicate_id' },
      ]);
      const daily = await snapshot();
      expect((await project.run('build', { fullRefresh: true })).exitCode).toBe(0);
      expect(await snapshot()).toEqual(daily);
    }, 240_000);

    it('a day file landed again (changed) re-checks it and the files after it', async () => {
      // id 5 leaves day 2: day 3's id 5 is no longer a duplicate, as in a full build
      await project.write('seeds/inbox/events/2024-06-02.csv', DAY_2.replace('5,100,2,2024-06-02T12:00:00,purchase,30,web\n', ''));
      const rebuilt = await dayBuild('2024-06-02', '2024-06-04');
      expect(rebuilt.results.filter((r) => r.status !== 'success' && r.status !== 'pass')).toEqual([]);
      expect(rebuilt.results.find((r) => r.uniqueId === 'model.gaming_kpis.clean_events_checked')?.rowsAffected).toBe(8);
      expect(await project.query("select _source_line::int as line from clean.events_quarantine where _source_file like '%06-03.csv' order by 1")).toEqual([
        { line: 4 },
      ]);
      const daily = await snapshot();
      expect((await project.run('build', { fullRefresh: true })).exitCode).toBe(0);
      expect(await snapshot()).toEqual(daily);
    }, 240_000);
  });
}
