/**
 * Snapshots (dbt's SCD type 2) on both databases: the timestamp and check strategies,
 * hard deletes (ignore, invalidate, new_record), graph order inside `build`, and a
 * failed snapshot that leaves its table as it was.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatError, type TspipeError } from '../../src/errors.js';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const SOURCES = 'version: 2\nsources:\n  - name: app\n    schema: app\n    tables:\n      - name: users\n';

const snapshotFile = (config: string, name = 'users_snapshot') =>
  `-- users' plans over time\n{% snapshot ${name} %}\n{{ config(${config}) }}\nselect * from {{ source('app', 'users') }}\n{% endsnapshot %}\n`;

type Row = { id: number; plan: string; dbt_valid_to: unknown; dbt_is_deleted?: string };

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`snapshots on ${db.name}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    async function withUsers(files: Record<string, string>): Promise<TestProject> {
      const p = await createProject(db, { 'models/sources.yml': SOURCES, ...files });
      await p.withDb((d) =>
        d.exec(`create schema app; create table app.users (id int, plan text, updated_at timestamp);
                insert into app.users values (1, 'free', '2024-01-01'), (2, 'free', '2024-01-01'), (3, 'trial', '2024-01-01')`),
      );
      return p;
    }

    const history = (p: TestProject) =>
      p.query<Row & { dbt_valid_from: unknown; dbt_scd_id: string }>('select * from snapshots.users_snapshot order by id, dbt_valid_from');

    it('timestamp strategy: new versions when updated_at moves, deletions invalidated, nothing when nothing changed', async () => {
      project = await withUsers({
        'snapshots/users.sql': snapshotFile(
          "target_schema='snapshots', unique_key='id', strategy='timestamp', updated_at='updated_at', invalidate_hard_deletes=True",
        ),
        'models/current_plans.sql': "select id, plan from {{ ref('users_snapshot') }} where dbt_valid_to is null",
      });
      const first = await project.run('build');
      expect(first.exitCode).toBe(0);
      // Graph order: the snapshot before the model that reads it.
      expect(first.results.map((r) => r.uniqueId)).toEqual(['snapshot.test_project.users_snapshot', 'model.test_project.current_plans']);
      expect(first.results[0]!.verb).toBe('created snapshot');
      let rows = await history(project);
      expect(rows.map((r) => [r.id, r.plan, r.dbt_valid_to])).toEqual([
        [1, 'free', null],
        [2, 'free', null],
        [3, 'trial', null],
      ]);
      expect(String(rows[0]!.dbt_valid_from)).toMatch(/^2024-01-01/);
      expect(new Set(rows.map((r) => r.dbt_scd_id)).size).toBe(3);

      await project.withDb((d) =>
        d.exec(
          "update app.users set plan = 'premium', updated_at = '2024-02-01' where id = 1; update app.users set plan = 'changed-but-not-dated' where id = 2; delete from app.users where id = 3",
        ),
      );
      const second = await project.run('snapshot');
      expect(second.exitCode).toBe(0);
      expect(second.results[0]).toMatchObject({ status: 'success', verb: 'snapshotted', rowsAffected: 1 });
      rows = await history(project);
      expect(rows.map((r) => [r.id, r.plan, r.dbt_valid_to === null ? 'current' : String(r.dbt_valid_to).slice(0, 10)])).toEqual([
        [1, 'free', '2024-02-01'],
        [1, 'premium', 'current'],
        [2, 'free', 'current'], // the timestamp strategy sees only updated_at
        [3, 'trial', expect.stringMatching(/^\d{4}-/)], // gone: invalidated at the snapshot time
      ]);
      const third = await project.run('snapshot');
      expect(third.results[0]!.rowsAffected).toBe(0);
      expect(await history(project)).toHaveLength(4);
    });

    it("check strategy with hard_deletes='new_record': a deletion row, then the record's return", async () => {
      project = await withUsers({
        'snapshots/users.sql': snapshotFile("schema='snapshots', unique_key='id', strategy='check', check_cols=['plan'], hard_deletes='new_record'"),
      });
      expect((await project.run('snapshot')).exitCode).toBe(0);
      await project.withDb((d) =>
        d.exec(
          "update app.users set plan = 'premium' where id = 2; update app.users set updated_at = '2030-01-01' where id = 1; delete from app.users where id = 3",
        ),
      );
      expect((await project.run('snapshot')).exitCode).toBe(0);
      // project.yml uses a custom schema as written (a dbt project would get public_snapshots).
      const table = 'snapshots.users_snapshot';
      const rows = () => project!.query<Row>(`select id, plan, dbt_valid_to, dbt_is_deleted from ${table} order by id, dbt_valid_from, dbt_is_deleted`);
      expect((await rows()).map((r) => [r.id, r.plan, r.dbt_valid_to === null, r.dbt_is_deleted])).toEqual([
        [1, 'free', true, 'False'], // updated_at is no check column
        [2, 'free', false, 'False'],
        [2, 'premium', true, 'False'],
        [3, 'trial', false, 'False'],
        [3, 'trial', true, 'True'],
      ]);
      await project.withDb((d) => d.exec("insert into app.users values (3, 'trial', '2024-03-01')"));
      expect((await project.run('snapshot')).exitCode).toBe(0);
      const three = (await rows()).filter((r) => r.id === 3).map((r) => [r.dbt_valid_to === null, r.dbt_is_deleted]);
      expect(three).toEqual([
        [false, 'False'],
        [false, 'True'],
        [true, 'False'],
      ]);
    });

    it('dbt 1.9: dbt_valid_to_current marks current versions, snapshot_meta_column_names renames the meta columns', async () => {
      project = await withUsers({
        'snapshots/users.sql': snapshotFile(
          "target_schema='snapshots', unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='new_record', " +
            'dbt_valid_to_current="\'9999-12-31\'::timestamp", ' +
            "snapshot_meta_column_names={'dbt_valid_from': 'valid_from', 'dbt_valid_to': 'valid_to', 'dbt_scd_id': 'version_id', 'dbt_is_deleted': 'is_deleted'}",
        ),
      });
      expect((await project.run('snapshot')).exitCode).toBe(0);
      await project.withDb((d) => d.exec("update app.users set plan = 'premium', updated_at = '2024-02-01' where id = 1; delete from app.users where id = 3"));
      expect((await project.run('snapshot')).exitCode).toBe(0);
      // Nothing changed: a third run adds nothing (current versions are found by the marker).
      expect((await project.run('snapshot')).results[0]).toMatchObject({ status: 'success', rowsAffected: 0 });
      const rows = await project.query<{ id: number; plan: string; valid_to: string; is_deleted: string }>(
        'select id, plan, valid_to::text, is_deleted from snapshots.users_snapshot order by id, valid_from, is_deleted',
      );
      expect(rows.map((r) => [r.id, r.plan, r.valid_to.slice(0, 10), r.is_deleted])).toEqual([
        [1, 'free', '2024-02-01', 'False'],
        [1, 'premium', '9999-12-31', 'False'],
        [2, 'free', '9999-12-31', 'False'],
        [3, 'trial', rows[3]!.valid_to.slice(0, 10), 'False'],
        [3, 'trial', '9999-12-31', 'True'],
      ]);
      expect(rows[3]!.valid_to.slice(0, 4)).not.toBe('9999');
      const columns = await project.query<{ name: string }>(
        "select column_name as name from information_schema.columns where table_schema = 'snapshots' and table_name = 'users_snapshot' order by ordinal_position",
      );
      expect(columns.map((c) => c.name)).toEqual(['id', 'plan', 'updated_at', 'version_id', 'dbt_updated_at', 'valid_from', 'valid_to', 'is_deleted']);
    });

    it('adds a column the SELECT gained; older versions have it null', async () => {
      project = await withUsers({
        'snapshots/users.sql': snapshotFile("target_schema='snapshots', unique_key='id', strategy='timestamp', updated_at='updated_at'"),
      });
      expect((await project.run('snapshot')).exitCode).toBe(0);
      await project.withDb((d) =>
        d.exec("alter table app.users add column score numeric(5,1); update app.users set score = 2.5, updated_at = '2024-04-01' where id = 1"),
      );
      const second = await project.run('snapshot');
      expect(second.results[0]!.message).toBeUndefined();
      expect(await project.query('select id, score from snapshots.users_snapshot order by id, dbt_valid_from')).toEqual([
        { id: 1, score: null },
        { id: 1, score: '2.5' },
        { id: 2, score: null },
        { id: 3, score: null },
      ]);
      expect(
        await project.query(
          "select data_type, numeric_precision from information_schema.columns where table_name = 'users_snapshot' and column_name = 'score'",
        ),
      ).toEqual([{ data_type: 'numeric', numeric_precision: 5 }]);
    });

    it('a failed snapshot leaves the table as it was', async () => {
      project = await withUsers({
        'snapshots/users.sql': snapshotFile("target_schema='snapshots', unique_key='id', strategy='check', check_cols='all'").replace(
          'select *',
          "select *, 1 / {{ var('divisor', 1) }} as one",
        ),
      });
      expect((await project.run('snapshot')).exitCode).toBe(0);
      const before = await history(project);
      await project.withDb((d) => d.exec("update app.users set plan = 'premium' where id = 1"));
      const failed = await project.run('snapshot', { vars: { divisor: 0 } });
      expect(failed.exitCode).toBe(1);
      expect(failed.results[0]!.message).toMatch(/division by zero/);
      expect(await history(project)).toEqual(before);
    });

    it('takes dbt 1.9 YAML snapshots and data tests on snapshots from property files', async () => {
      project = await withUsers({
        'snapshots/snapshots.yml': `version: 2
snapshots:
  - name: plans_history
    relation: source('app', 'users')
    config: {schema: snapshots, unique_key: id, strategy: timestamp, updated_at: updated_at}
    columns:
      - name: dbt_scd_id
        tests: [unique, not_null]
`,
      });
      const first = await project.run('build');
      expect(first.results.filter((r) => r.message).map((r) => r.message)).toEqual([]);
      expect(first.results.map((r) => `${r.uniqueId.split('.').slice(0, 3).join('.')} ${r.status}`)).toEqual([
        'snapshot.test_project.plans_history success',
        'test.test_project.not_null_plans_history_dbt_scd_id pass',
        'test.test_project.unique_plans_history_dbt_scd_id pass',
      ]);
      await project.withDb((d) => d.exec("update app.users set plan = 'premium', updated_at = '2024-05-01' where id = 2"));
      expect((await project.run('build')).exitCode).toBe(0);
      expect(await project.query('select id, plan from snapshots.plans_history where dbt_valid_to is null order by id')).toEqual([
        { id: 1, plan: 'free' },
        { id: 2, plan: 'premium' },
        { id: 3, plan: 'trial' },
      ]);
    });

    it('reports a snapshot without unique_key or strategy at its file and line', async () => {
      project = await withUsers({ 'snapshots/users.sql': snapshotFile("target_schema='snapshots', strategy='timestamp'") });
      const error = await project.run('snapshot').catch((e: unknown) => e);
      expect(formatError(error as TspipeError)).toMatch(
        /^snapshots\/users\.sql:3: snapshot users_snapshot: invalid config unique_key: missing.*; updated_at: the timestamp strategy/,
      );
    });
  });
}
