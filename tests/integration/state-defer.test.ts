/**
 * Slim CI as dbt does it: a production run's artifacts (--state), state:modified+
 * selection, and --defer / --favor-state reading unbuilt parents from production's
 * schema while the CI run builds into its own.
 */
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listNodes } from '../../src/api/list-nodes.js';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const PROJECT_YML = `name: slim
targets:
  prod: { type: pglite, schema: prod }
  ci: { type: pglite, schema: ci }
target: prod
`;

const FILES = {
  'project.yml': PROJECT_YML,
  'macros/double.sql': '{% macro double(x) %}({{ x }} * 2){% endmacro %}\n{% macro triple(x) %}({{ x }} * 3){% endmacro %}\n',
  'models/base.sql': "{{ config(materialized='table') }}select 1 as id, 10 as amount",
  'models/mid.sql': "{{ config(materialized='table') }}select id, {{ double('amount') }} as amount from {{ ref('base') }}",
  'models/top.sql': "select id, amount + 1 as amount from {{ ref('mid') }}",
  'models/other.sql': "{{ config(materialized='table') }}select 2 as id",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: mid\n    columns:\n      - name: id\n        tests: [unique, not_null]\n',
};

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`state selection and defer on ${db.name}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    /** Builds production and keeps its artifacts in prod-artifacts/, as a CI job downloads them. */
    async function production(): Promise<TestProject> {
      const p = await createProject(db, FILES);
      const prod = await p.run('build', { target: 'prod' });
      expect(prod.exitCode).toBe(0);
      await mkdir(path.join(p.dir, 'prod-artifacts'));
      for (const file of ['manifest.json', 'run_results.json']) await cp(path.join(p.dir, 'target', file), path.join(p.dir, 'prod-artifacts', file));
      return p;
    }

    const selected = (p: TestProject, select: string, extra: { resourceTypes?: string[] } = {}) =>
      listNodes({ ...p.options, target: 'ci', state: 'prod-artifacts', select: [select], resourceTypes: extra.resourceTypes ?? ['model'] }, envOf(p)).nodes.map(
        (n) => n.name,
      );

    it('selects what changed since production: body, config, macros, new nodes, and their children', async () => {
      project = await production();
      // Another target (schema) is no change.
      expect(selected(project, 'state:modified')).toEqual([]);
      await project.write('models/mid.sql', "{{ config(materialized='table') }}select id, {{ double('amount') }} + 0 as amount from {{ ref('base') }}");
      expect(selected(project, 'state:modified')).toEqual(['mid']);
      expect(selected(project, 'state:modified.body')).toEqual(['mid']);
      expect(selected(project, 'state:modified.configs')).toEqual([]);
      expect(selected(project, 'state:modified+')).toEqual(['mid', 'top']);
      await project.write('models/mid.sql', FILES['models/mid.sql']);
      // A macro it calls changed; its neighbour in the same file did not matter.
      await project.write('macros/double.sql', '{% macro double(x) %}({{ x }} + {{ x }}){% endmacro %}\n{% macro triple(x) %}({{ x }} * 3){% endmacro %}\n');
      expect(selected(project, 'state:modified.macros')).toEqual(['mid']);
      await project.write('macros/double.sql', FILES['macros/double.sql'].replace('* 3', '* 4'));
      expect(selected(project, 'state:modified')).toEqual([]);
      await project.write('models/other.sql', "{{ config(materialized='view') }}select 2 as id");
      await project.write('models/fresh.sql', 'select 3 as id');
      // A new node counts as modified in every respect, as in dbt.
      expect(selected(project, 'state:modified.configs')).toEqual(['fresh', 'other']);
      expect(selected(project, 'state:new')).toEqual(['fresh']);
      expect(selected(project, 'state:modified')).toEqual(['fresh', 'other']);
      // Tests come along with modified models (eager indirect selection).
      await project.write('models/mid.sql', "{{ config(materialized='table') }}select id, 1 as amount from {{ ref('base') }}");
      expect(selected(project, 'state:modified', { resourceTypes: ['test'] })).toEqual(['not_null_mid_id', 'unique_mid_id']);
    });

    it('builds state:modified+ into the CI schema, reading unbuilt parents from production (--defer)', async () => {
      project = await production();
      await project.write('models/mid.sql', "{{ config(materialized='table') }}select id, {{ double('amount') }} + 5 as amount from {{ ref('base') }}");
      const ci = await project.run('build', { target: 'ci', select: ['state:modified+'], state: 'prod-artifacts', defer: true });
      expect(ci.exitCode).toBe(0);
      expect(ci.results.map((r) => `${r.uniqueId.split('.')[2]} ${r.status}`).sort()).toEqual([
        'mid success',
        'not_null_mid_id pass',
        'top success',
        'unique_mid_id pass',
      ]);
      expect(await project.query('select amount from ci.top')).toEqual([{ amount: 26 }]);
      // Only the modified branch exists in CI; base was read from production.
      expect(await project.query("select table_name from information_schema.tables where table_schema = 'ci' order by 1")).toEqual([
        { table_name: 'mid' },
        { table_name: 'top' },
      ]);
      expect(ci.reporter.events.some((e) => e.type === 'info' && /deferring 2 unselected nodes/.test(String(e.message)))).toBe(true);

      // tspipe test --defer: tests of a model CI did not build read production's table.
      await project.withDb((d) => d.exec('drop table ci.mid cascade'));
      const testedMid = await project.run('test', { target: 'ci', select: ['mid'], state: 'prod-artifacts', defer: true });
      expect(testedMid.results.map((r) => r.status)).toEqual(['pass', 'pass']);
      const undeferred = await project.run('test', { target: 'ci', select: ['mid'], state: 'prod-artifacts' });
      expect(undeferred.results.map((r) => r.status)).toEqual(['error', 'error']);

      // Without --defer the CI run has no base of its own to read.
      const noDefer = await project.run('run', { target: 'ci', select: ['mid'], state: 'prod-artifacts' });
      expect(noDefer.exitCode).toBe(1);
    });

    it('--favor-state reads production even when the CI schema has the parent', async () => {
      project = await production();
      await project.withDb((d) => d.exec('create schema ci; create table ci.base as select 1 as id, 100 as amount'));
      const deferred = await project.run('run', { target: 'ci', select: ['mid'], state: 'prod-artifacts', defer: true });
      expect(deferred.exitCode).toBe(0);
      expect(await project.query('select amount from ci.mid')).toEqual([{ amount: 200 }]);
      const favored = await project.run('run', { target: 'ci', select: ['mid'], state: 'prod-artifacts', defer: true, favorState: true });
      expect(favored.exitCode).toBe(0);
      expect(await project.query('select amount from ci.mid')).toEqual([{ amount: 20 }]);
    });

    it("selects by the state run's results, and says what to pass without --state", async () => {
      project = await createProject(db, { ...FILES, 'models/broken.sql': "{{ config(materialized='table') }}select 1/0 as boom" });
      expect((await project.run('build', { target: 'prod' })).exitCode).toBe(1);
      expect(listNodes({ ...project.options, state: 'target', select: ['result:error'] }, envOf(project)).nodes.map((n) => n.name)).toEqual(['broken']);
      expect(listNodes({ ...project.options, state: 'target', select: ['result:pass'], resourceTypes: ['test'] }, envOf(project)).nodes).toHaveLength(2);
      expect(() => listNodes({ ...project!.options, select: ['state:modified'] }, envOf(project!))).toThrow(/no --state was given/);
      await writeFile(path.join(project.dir, 'empty.json'), '{}');
      expect(() => listNodes({ ...project!.options, state: 'nowhere', select: ['state:new'] }, envOf(project!))).toThrow(/no manifest.json/);
      await expect(project.run('run', { defer: true })).rejects.toThrow(/--defer needs --state/);
    });
  });
}

/** The environment createProject's commands use (PGlite's data dir). */
function envOf(p: TestProject): NodeJS.ProcessEnv {
  return p.created.spec.kind === 'pglite' ? { ...process.env, TSPIPE_PGLITE_DIR: p.created.spec.dataDir, TSPIPE_DATABASE_URL: '' } : { ...process.env };
}
