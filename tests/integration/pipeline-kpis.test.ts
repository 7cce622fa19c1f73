/**
 * The gaming pipeline on a small hand-made dataset where each rule is hit on
 * purpose; the expected KPI values are worked out by hand below, not by SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { pipelineProjectFiles } from '../support/pipeline-files.js';
import { createProject, type TestProject } from '../support/project.js';

const USERS = `user_id,age_range,registration_date,email,workout_frequency,gender,location,subscription_type
1,18-25,2023-01-15,A@x.com,Regular,M,Paris,PREMIUM
2,26-35,2023-02-01,b@x.com,minimal,F, Lyon ,free
3,,2023-03-01,c@x.com,flexible,,,trial
1,18-25,2023-01-15,dup@x.com,regular,M,Paris,premium
12a,50+,2023-01-01,bad@x.com,regular,M,Rome,free
5,-18,2024-02-30,e@x.com,maximal,Other,Berlin,Trial
`;
const GAMES = `game_id,game_name,game_type,platform,difficulty
100,Dragon Quest,cardio,iOS,easy
101,Puzzle Run,Actionn,androiid,HARD
x1,Broken,puzzle,Web,medium
`;
// user 1: three events on game 100 (the third 31 minutes after the second: a new
// session) and one on game 101; user 2: one event 8 months before as_of_date
// (churned); user 3: none (inactive); user 5: only an event on an unknown game.
const EVENTS = `event_id,game_id,user_id,event_time,event_type,duration_seconds,device_type
1,100,1,2024-06-01T10:00:00,login,60,mobile
2,100,1,2024-06-01T10:10:00,Start_Game,30,MOBILE
3,100,1,2024-06-01T10:41:00,finish_game,-10,tablet
4,101,1,2024-06-10T09:00:00,purchase,90,web
5,100,2,2023-10-01T12:00:00,login,30,console
6,100,9999,2024-06-05T10:00:00,login,30,web
7,9999,5,2024-06-05T11:00:00,login,30,web
2,100,1,2024-06-01T10:10:00,Start_Game,30,MOBILE
8,100,1,yesterday,login,30,web
abc,100,1,2024-06-02T10:00:00,login,30,web
9,100,1,2024-06-03T10:00:00,login,30
`;

const KPI_TABLES = [
  'kpi.daily_status',
  'kpi.user_kpis',
  'kpi.monthly_kpis',
  'kpi.game_kpis',
  'kpi.location_kpis',
  'kpi.seasonality',
  'kpi.user_distribution',
  'kpi.user_status_summary',
];

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`gaming pipeline on a hand-made dataset (${db.name})${db.skipNote}`, () => {
    let project: TestProject;
    let exitCode: number;

    beforeAll(async () => {
      project = await createProject(db, {
        ...pipelineProjectFiles(),
        'seeds/users.csv': USERS,
        'seeds/games.csv': GAMES,
        'seeds/events.csv': EVENTS,
      });
      const outcome = await project.run('build');
      exitCode = outcome.exitCode;
      const failed = outcome.results.filter((r) => r.status !== 'success' && r.status !== 'pass');
      if (failed.length) console.error(failed);
    }, 300_000);
    afterAll(async () => project?.cleanup());

    it('builds every node', () => {
      expect(exitCode).toBe(0);
    });

    it('keeps every row: rejects at load, quarantine with reasons, conservation', async () => {
      const rejects = await project.query<{ source_file: string; source_line: number }>(
        'select source_file, source_line::int as source_line from landing.load_rejects order by 1, 2',
      );
      expect(rejects).toEqual([{ source_file: 'seeds/events.csv', source_line: 12 }]);
      const counts = await project.query<{ t: string; raw: number; clean: number; quarantined: number }>(`
        select 'users' as t, (select count(*) from raw.users)::int as raw, (select count(*) from clean.users)::int as clean, (select count(*) from clean.users_quarantine)::int as quarantined
        union all select 'games', (select count(*) from raw.games)::int, (select count(*) from clean.games)::int, (select count(*) from clean.games_quarantine)::int
        union all select 'events', (select count(*) from raw.events)::int, (select count(*) from clean.events)::int, (select count(*) from clean.events_quarantine)::int
        order by 1`);
      expect(counts).toEqual([
        { t: 'events', raw: 10, clean: 5, quarantined: 5 },
        { t: 'games', raw: 3, clean: 2, quarantined: 1 },
        { t: 'users', raw: 6, clean: 4, quarantined: 2 },
      ]);
      const reasons = await project.query<{ reason: string; n: number }>(
        'select quarantine_reason as reason, count(*)::int as n from clean.events_quarantine group by 1 order by 1',
      );
      expect(reasons).toEqual([
        { reason: 'bad_event_id', n: 1 },
        { reason: 'bad_timestamp', n: 1 },
        { reason: 'duplicate_id', n: 1 },
        { reason: 'unknown_game', n: 1 },
        { reason: 'unknown_user', n: 1 },
      ]);
      const users = await project.query("select quarantine_reason, raw_record ->> 'email' as email from clean.users_quarantine order by 1");
      expect(users).toEqual([
        { quarantine_reason: 'bad_user_id', email: 'bad@x.com' },
        { quarantine_reason: 'duplicate_id', email: 'dup@x.com' },
      ]);
    });

    it('normalises values', async () => {
      expect(
        await project.query(
          'select user_id::int as user_id, location, subscription_type, gender, age_range, registration_date::text as registration_date, email from clean.users order by 1',
        ),
      ).toEqual([
        { user_id: 1, location: 'paris', subscription_type: 'premium', gender: 'm', age_range: '18-25', registration_date: '2023-01-15', email: 'a@x.com' },
        { user_id: 2, location: 'lyon', subscription_type: 'free', gender: 'f', age_range: '26-35', registration_date: '2023-02-01', email: 'b@x.com' },
        {
          user_id: 3,
          location: 'unknown',
          subscription_type: 'trial',
          gender: 'unknown',
          age_range: 'unknown',
          registration_date: '2023-03-01',
          email: 'c@x.com',
        },
        { user_id: 5, location: 'berlin', subscription_type: 'trial', gender: 'other', age_range: '-18', registration_date: null, email: 'e@x.com' },
      ]);
      expect(await project.query('select game_id::int as game_id, game_type, platform, difficulty from clean.games order by 1')).toEqual([
        { game_id: 100, game_type: 'cardio', platform: 'ios', difficulty: 'easy' },
        { game_id: 101, game_type: 'action', platform: 'android', difficulty: 'hard' },
      ]);
      expect(await project.query('select event_id::int as event_id, event_type, duration_seconds, device_type from clean.events order by 1')).toEqual([
        { event_id: 1, event_type: 'login', duration_seconds: 60, device_type: 'mobile' },
        { event_id: 2, event_type: 'start_game', duration_seconds: 30, device_type: 'mobile' },
        { event_id: 3, event_type: 'finish_game', duration_seconds: null, device_type: 'mobile' },
        { event_id: 4, event_type: 'purchase', duration_seconds: 90, device_type: 'web' },
        { event_id: 5, event_type: 'login', duration_seconds: 30, device_type: 'console' },
      ]);
    });

    it('splits sessions on a 31-minute gap and sums their durations (NULL when none has one)', async () => {
      expect(
        await project.query(
          'select user_id::int as user_id, game_id::int as game_id, events::int as events, duration_seconds::int as duration_seconds from clean.sessions order by started_at',
        ),
      ).toEqual([
        { user_id: 2, game_id: 100, events: 1, duration_seconds: 30 },
        { user_id: 1, game_id: 100, events: 2, duration_seconds: 90 },
        { user_id: 1, game_id: 100, events: 1, duration_seconds: null },
        { user_id: 1, game_id: 101, events: 1, duration_seconds: 90 },
      ]);
    });

    it('computes user KPIs and statuses as of the latest valid event (2024-06-10)', async () => {
      expect(await project.query('select status, users::int as users from kpi.user_status_summary')).toEqual([
        { status: 'active', users: 1 },
        { status: 'churned', users: 1 },
        { status: 'inactive', users: 2 },
      ]);
      // user 1: sessions of 90 s, of no known duration, and of 90 s: the mean is 90, not 60.
      expect(
        await project.query(
          'select user_id::int as user_id, status, events::int as events, purchases::int as purchases, sessions::int as sessions, avg_session_seconds::text as avg, favourite_game_id::int as fav, as_of_date::text as as_of from kpi.user_kpis order by 1',
        ),
      ).toEqual([
        { user_id: 1, status: 'active', events: 4, purchases: 1, sessions: 3, avg: '90.00', fav: 100, as_of: '2024-06-10' },
        { user_id: 2, status: 'churned', events: 1, purchases: 0, sessions: 1, avg: '30.00', fav: 100, as_of: '2024-06-10' },
        { user_id: 3, status: 'inactive', events: 0, purchases: 0, sessions: 0, avg: null, fav: null, as_of: '2024-06-10' },
        { user_id: 5, status: 'inactive', events: 0, purchases: 0, sessions: 0, avg: null, fav: null, as_of: '2024-06-10' },
      ]);
    });

    it('computes game, monthly, seasonality, location and distribution KPIs', async () => {
      // One active user each: the tie is broken by events.
      expect(
        await project.query(
          'select game_id::int as game_id, game_type, events::int as events, purchases::int as purchases, sessions::int as sessions, avg_session_seconds::text as avg, active_users::int as active, popularity_rank::int as rank from kpi.game_kpis order by 1',
        ),
      ).toEqual([
        { game_id: 100, game_type: 'cardio', events: 4, purchases: 0, sessions: 3, avg: '60.00', active: 1, rank: 1 },
        { game_id: 101, game_type: 'action', events: 1, purchases: 1, sessions: 1, avg: '90.00', active: 1, rank: 2 },
      ]);
      expect(
        await project.query(
          'select month::text as month, active_users::int as active, events::int as events, purchases::int as purchases, purchase_conversion::text as conv, sessions::int as sessions, new_registrations::int as regs, events_mom_change::text as mom, is_anomaly, is_partial_month from kpi.monthly_kpis order by 1',
        ),
      ).toEqual([
        {
          month: '2023-10-01',
          active: 1,
          events: 1,
          purchases: 0,
          conv: '0.0000',
          sessions: 1,
          regs: 0,
          mom: null,
          is_anomaly: false,
          is_partial_month: false,
        },
        {
          month: '2024-06-01',
          active: 1,
          events: 4,
          purchases: 1,
          conv: '1.0000',
          sessions: 3,
          regs: 0,
          mom: '3.0000',
          is_anomaly: false,
          is_partial_month: true,
        },
      ]);
      expect(await project.query('select month_of_year, months_observed::int as n from kpi.seasonality')).toEqual([{ month_of_year: 10, n: 1 }]);
      expect(
        await project.query(
          'select location, users::int as users, active_users::int as active, events_per_user::text as epu, favourite_game_type as fav from kpi.location_kpis order by 1',
        ),
      ).toEqual([
        { location: 'berlin', users: 1, active: 0, epu: '0.00', fav: null },
        { location: 'lyon', users: 1, active: 0, epu: '1.00', fav: 'cardio' },
        { location: 'paris', users: 1, active: 1, epu: '4.00', fav: 'cardio' },
        { location: 'unknown', users: 1, active: 0, epu: '0.00', fav: null },
      ]);
      expect(
        await project.query(
          "select value, users::int as users, active_users::int as active, share_of_users::text as share from kpi.user_distribution where dimension = 'subscription_type' order by 1",
        ),
      ).toEqual([
        { value: 'free', users: 1, active: 0, share: '0.2500' },
        { value: 'premium', users: 1, active: 1, share: '0.2500' },
        { value: 'trial', users: 2, active: 0, share: '0.5000' },
      ]);
    });

    it('keeps a daily history of statuses and headline KPIs; its last day equals user_status_summary', async () => {
      // 2023-10-01: user 2's only event; 2024-06-01: user 1 (user 2 is out of the window: churned).
      expect(
        await project.query(
          'select as_of_date::text as day, active_users::int as active, churned_users::int as churned, inactive_users::int as inactive, events::int as events, purchases::int as purchases, sessions::int as sessions from kpi.daily_status order by 1',
        ),
      ).toEqual([
        { day: '2023-10-01', active: 1, churned: 0, inactive: 3, events: 1, purchases: 0, sessions: 1 },
        { day: '2024-06-01', active: 1, churned: 1, inactive: 2, events: 3, purchases: 0, sessions: 2 },
        { day: '2024-06-10', active: 1, churned: 1, inactive: 2, events: 1, purchases: 1, sessions: 1 },
      ]);
      const summary = await project.query<{ status: string; users: number }>('select status, users::int as users from kpi.user_status_summary');
      const last = (
        await project.query<Record<string, number>>(
          'select active_users::int as active, churned_users::int as churned, inactive_users::int as inactive from kpi.daily_status order by as_of_date desc limit 1',
        )
      )[0]!;
      expect(Object.fromEntries(summary.map((r) => [r.status, r.users]))).toEqual(last);
    });

    it('a backfill day by day gives the same clean and KPI tables as the full build', async () => {
      const TABLES = ['clean.events', 'clean.sessions', 'kpi.user_game_days', 'kpi.monthly_activity', ...KPI_TABLES];
      const snapshot = async () => {
        const rows: Record<string, string[]> = {};
        for (const table of TABLES)
          rows[table] = (await project.query<{ r: string }>(`select to_jsonb(t)::text as r from ${table} as t order by 1`)).map((x) => x.r);
        return rows;
      };
      const full = await snapshot();
      // Start again from one day, then backfill ten days: one batch per day and model.
      const reset = await project.run('run', { select: ['clean_events+'], fullRefresh: true, eventTimeStart: '2023-10-01', eventTimeEnd: '2023-10-02' });
      expect(reset.exitCode).toBe(0);
      expect(await project.query('select count(*)::int as n from clean.events')).toEqual([{ n: 1 }]);
      const backfill = await project.run('run', { select: ['clean_events+'], eventTimeStart: '2024-06-01', eventTimeEnd: '2024-06-11' });
      expect(backfill.exitCode).toBe(0);
      const events = backfill.results.find((r) => r.uniqueId === 'model.gaming_kpis.clean_events');
      expect(events?.batchResults?.successful).toHaveLength(10);
      expect(await snapshot()).toEqual(full);
      // A day's update: that day's batch of each microbatch model (the month's batch of
      // monthly_activity), then the KPIs.
      const day = await project.run('run', { select: ['clean_events+'], eventTimeStart: '2024-06-10', eventTimeEnd: '2024-06-11' });
      expect(
        day.results
          .filter((r) => r.batchResults)
          .map((r) => [r.uniqueId, r.batchResults!.successful.length])
          .sort(),
      ).toEqual([
        ['model.gaming_kpis.clean_events', 1],
        ['model.gaming_kpis.clean_sessions', 1],
        ['model.gaming_kpis.daily_status', 1],
        ['model.gaming_kpis.monthly_activity', 1],
        ['model.gaming_kpis.user_game_days', 1],
      ]);
      expect(await snapshot()).toEqual(full);
      // An earlier day again, with later days of its month already built: the month's
      // batch ends with the window (2024-06-02) but must still count the whole month.
      const earlier = await project.run('run', { select: ['clean_events+'], eventTimeStart: '2024-06-01', eventTimeEnd: '2024-06-02' });
      expect(earlier.exitCode).toBe(0);
      expect(await snapshot()).toEqual(full);
    }, 240_000);

    it('follows the as_of_date var', async () => {
      const outcome = await project.run('run', { select: ['tag:kpi'], vars: { as_of_date: '2024-04-30' } });
      expect(outcome.exitCode).toBe(0);
      // The window is [2023-10-30, 2024-05-01): user 2's event (2023-10-01) is before it and
      // user 1's (June 2024) after it, so both count as churned by the definition.
      expect(await project.query('select status, users::int as users from kpi.user_status_summary')).toEqual([
        { status: 'active', users: 0 },
        { status: 'churned', users: 2 },
        { status: 'inactive', users: 2 },
      ]);
    });

    // Last: it loads other users.
    it("keeps each user's subscription type over time (snapshots/user_subscriptions.sql)", async () => {
      const history = () =>
        project.query<{ user_id: number; subscription_type: string; current: boolean }>(
          'select user_id::int as user_id, subscription_type, dbt_valid_to is null as current from snapshots.user_subscriptions order by 1, dbt_valid_from',
        );
      expect(await history()).toEqual([
        { user_id: 1, subscription_type: 'premium', current: true },
        { user_id: 2, subscription_type: 'free', current: true },
        { user_id: 3, subscription_type: 'trial', current: true },
        { user_id: 5, subscription_type: 'trial', current: true },
      ]);
      // User 2 upgrades, user 3 leaves the feed.
      await project.write('seeds/users.csv', USERS.replace('b@x.com,minimal,F, Lyon ,free', 'b@x.com,minimal,F, Lyon ,Premium').replace(/^3,,.*\n/m, ''));
      // Cautious: the KPI tables' tests on clean_users are not about this change.
      const outcome = await project.run('build', { select: ['+user_subscriptions'], indirectSelection: 'cautious' });
      expect(outcome.results.filter((r) => r.status !== 'success' && r.status !== 'pass')).toEqual([]);
      expect(await history()).toEqual([
        { user_id: 1, subscription_type: 'premium', current: true },
        { user_id: 2, subscription_type: 'free', current: false },
        { user_id: 2, subscription_type: 'premium', current: true },
        { user_id: 3, subscription_type: 'trial', current: false },
        { user_id: 5, subscription_type: 'trial', current: true },
      ]);
    });
  });
}
