/**
 * Names that try to break out of quoting (quotes, semicolons, comments, very long
 * names): each is quoted (the relation exists under exactly that name) or refused
 * with a clear error, and never executed as SQL (the `victim` table survives).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const VICTIM = "{{ config(materialized='table') }}\nselect 1 as id\n";
const HOSTILE_ALIAS = 'x"; drop table victim; --';
const HOSTILE_SCHEMA = 's"; drop table public.victim; --';
const QUOTE_ALIAS = "v'); drop table victim; --";
const INCREMENTAL_ALIAS = 'i"; delete from victim; --';
const LONG_ALIAS = `long_${'n'.repeat(70)}`;

/** A Jinja single-quoted string literal. */
const jinja = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

async function relations(project: TestProject): Promise<string[]> {
  const rows = await project.query<{ name: string }>(
    `select n.nspname || '|' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'v') and n.nspname not in ('pg_catalog', 'information_schema') order by 1`,
  );
  return rows.map((r) => r.name);
}

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`hostile relation names (${db.name})${db.skipNote}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('quotes aliases and schemas with quotes, semicolons and comments, run after run', async () => {
      project = await createProject(db, {
        'models/victim.sql': VICTIM,
        'models/t.sql': `{{ config(materialized='table', alias=${jinja(HOSTILE_ALIAS)}) }}\nselect id from {{ ref('victim') }}\n`,
        'models/s.sql': `{{ config(materialized='table', schema=${jinja(HOSTILE_SCHEMA)}) }}\nselect id from {{ ref('victim') }}\n`,
        'models/v.sql': `{{ config(materialized='view', alias=${jinja(QUOTE_ALIAS)}) }}\nselect id from {{ ref('t') }}\n`,
        'models/i.sql': `{{ config(materialized='incremental', unique_key='id', alias=${jinja(INCREMENTAL_ALIAS)}) }}\nselect id from {{ ref('victim') }}\n`,
      });
      for (let run = 1; run <= 2; run++) {
        const outcome = await project.run('run');
        expect(outcome.results.map((r) => `${r.uniqueId}: ${r.status} ${r.message ?? ''}`.trim()).sort(), `run ${run}`).toEqual(
          [
            'model.test_project.i: success',
            'model.test_project.s: success',
            'model.test_project.t: success',
            'model.test_project.v: success',
            'model.test_project.victim: success',
          ].sort(),
        );
        expect(outcome.exitCode).toBe(0);
        expect(await relations(project)).toEqual(
          [`public|${HOSTILE_ALIAS}`, `public|${QUOTE_ALIAS}`, `public|${INCREMENTAL_ALIAS}`, 'public|victim', `${HOSTILE_SCHEMA}|s`].sort(),
        );
        expect(await project.query('select id from public.victim')).toEqual([{ id: 1 }]);
        expect(await project.query(`select count(*)::int as n from public."${INCREMENTAL_ALIAS.replace(/"/g, '""')}"`)).toEqual([{ n: 1 }]);
      }
    });

    it('never executes a name over 63 bytes as SQL', async () => {
      project = await createProject(db, {
        'models/victim.sql': VICTIM,
        'models/l.sql': `{{ config(materialized='table', alias=${jinja(`${LONG_ALIAS}"; drop table victim; --`)}) }}\nselect id from {{ ref('victim') }}\n`,
      });
      // Refused as a project error before anything runs (it is too long), or quoted.
      const refused = await project.run('run').then(
        () => undefined,
        (error: Error) => error,
      );
      if (refused) expect(refused.message).toMatch(/63 bytes/);
      else expect(await project.query('select id from public.victim')).toEqual([{ id: 1 }]);
    });

    // PostgreSQL would silently truncate it (two long names could then share a table):
    // a project error naming the model instead.
    it('refuses an alias over 63 bytes with a clear error', async () => {
      project = await createProject(db, {
        'models/victim.sql': VICTIM,
        'models/l.sql': `{{ config(materialized='table', alias=${jinja(LONG_ALIAS)}) }}\nselect id from {{ ref('victim') }}\n`,
      });
      let outcome: Awaited<ReturnType<TestProject['run']>> | undefined;
      let error: unknown;
      try {
        outcome = await project.run('run');
      } catch (e) {
        error = e;
      }
      const created = (await relations(project)).some((r) => r === `public|${LONG_ALIAS}`);
      const refused = error !== undefined && /63 bytes/.test(String((error as Error).message));
      expect(created || refused, `outcome ${outcome?.exitCode}, error ${String(error)}`).toBe(true);
    });
  });
}
