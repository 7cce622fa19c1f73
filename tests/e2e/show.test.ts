/**
 * `tspipe show` as dbt users run it: the real binary, a model's first rows as a table
 * or JSON, an inline query with ref(), seeds from --seed-paths, on the embedded database
 * and on PostgreSQL.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { TEST_DATABASES, type CreatedDatabase } from '../support/databases.js';
import { writeTempProject } from '../support/temp-project.js';

const files = {
  'seeds/players.csv': 'id,name,score\n1,ana,30\n2,bo,10\n3,cy,\n4,di,25\n5,ed,5\n6,fa,40\n7,gu,15\n',
  'models/stg_players.sql': "{{ config(materialized='ephemeral') }}\nselect id, name, coalesce(score, 0) as score from {{ ref('players') }}",
  'models/ranked.sql': "select id, name, score, rank() over (order by score desc) as place\nfrom {{ ref('stg_players') }}\norder by place, id -- best first",
};

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`tspipe show on ${db.name}${db.skipNote}`, () => {
    const created: CreatedDatabase[] = [];
    afterAll(async () => Promise.all(created.map((c) => c.cleanup())));

    async function project(): Promise<{ dir: string; args: string[] }> {
      const database = await db.create();
      created.push(database);
      const target = database.spec.kind === 'pglite' ? `targets:\n  dev: {type: pglite, path: ${JSON.stringify(database.spec.dataDir)}}\n` : '';
      const dir = writeTempProject({ 'project.yml': `name: show_demo\n${target}`, ...files });
      return { dir, args: ['--project-dir', dir, ...(database.url ? ['--database-url', database.url] : [])] };
    }

    it('previews a model that is not built yet (its parents are), inline queries, limits and JSON', async () => {
      const { args } = await project();
      expect((await runCli(['seed', ...args])).code).toBe(0);

      const table = await runCli(['show', '--select', 'ranked', ...args]);
      expect(table.stderr).toBe('');
      expect(table.code).toBe(0);
      expect(table.stdout).toBe(
        [
          "Previewing node 'ranked':",
          '|  id | name | score | place |',
          '| --- | ---- | ----- | ----- |',
          '|   6 | fa   |    40 |     1 |',
          '|   1 | ana  |    30 |     2 |',
          '|   4 | di   |    25 |     3 |',
          '|   7 | gu   |    15 |     4 |',
          '|   2 | bo   |    10 |     5 |',
          '',
          '',
        ].join('\n'),
      );

      const json = await runCli([
        'show',
        '--inline',
        "select name, score from {{ ref('players') }} where score is null or score < 11 order by id",
        '--limit',
        '2',
        '--output',
        'json',
        ...args,
      ]);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual({
        node: 'inline_query',
        show: [
          { name: 'bo', score: 10 },
          { name: 'cy', score: null },
        ],
      });

      const all = await runCli(['show', '-s', 'ranked', '--limit', '-1', '-o', 'json', ...args]);
      expect(JSON.parse(all.stdout).show).toHaveLength(7);
    });

    it('seeds a dataset from another folder with --seed-paths, without editing the project file', async () => {
      const { args } = await project();
      const dataset = mkdtempSync(path.join(tmpdir(), 'tspipe-dataset-'));
      writeFileSync(path.join(dataset, 'players.csv'), 'id,name,score\n1,zoe,3\n2,yan,4\n');
      const seeded = await runCli(['seed', '--seed-paths', dataset, ...args]);
      expect(seeded.stderr).toBe('');
      expect(seeded.code).toBe(0);
      const shown = await runCli(['show', '--inline', "select string_agg(name, ',' order by id) as names from {{ ref('players') }}", '-o', 'json', ...args]);
      expect(JSON.parse(shown.stdout).show).toEqual([{ names: 'zoe,yan' }]);
    });

    it('says what to build when the query reads a relation that does not exist, and needs --select or --inline', async () => {
      const { args } = await project();
      const missing = await runCli(['show', '--select', 'ranked', ...args]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('relation "public.players" does not exist');
      expect(missing.stderr).toContain('hint: show reads the database as it is: build its parents (tspipe run --select +ranked) first');
      const neither = await runCli(['show', ...args]);
      expect(neither.code).toBe(2);
      expect(neither.stderr).toContain('tspipe show needs either --select NODE or --inline "select ..."');
    });
  });
}
