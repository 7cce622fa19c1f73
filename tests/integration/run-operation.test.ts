/**
 * dbt's run-operation: a macro called against the target with --args, found in the
 * root project, then in an installed package (unqualified, as codegen's macros are
 * called), or as package.macro; its statements commit together or not at all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runOperation } from '../../src/api/run-operation.js';
import type { LogLine } from '../../src/context/builtins.js';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const FILES = {
  'dbt_project.yml': 'name: ops\nversion: "1"\nprofile: ops\n',
  'macros/ops.sql': `{% macro make_audit(schema_name, n=1) %}
  {% do run_query("create schema if not exists " ~ schema_name) %}
  {% do run_query("create table " ~ schema_name ~ ".audit_log as select " ~ n ~ " as n") %}
  {% set rows = run_query("select count(*) as c from " ~ schema_name ~ ".audit_log") %}
  {{ log("audit rows: " ~ rows.columns[0].values()[0], info=True) }}
{% endmacro %}
{% macro half_done() %}
  {% do run_query("create table " ~ target.schema ~ ".half_done as select 1 as x") %}
  {{ exceptions.raise_compiler_error("stopped on purpose") }}
{% endmacro %}
`,
  'dbt_packages/helpers/dbt_project.yml': 'name: helpers\nversion: "1"\n',
  'dbt_packages/helpers/macros/touch.sql':
    '{% macro touch(table_name) %}{% do run_query("create table " ~ target.schema ~ "." ~ table_name ~ " as select 1 as x") %}{% endmacro %}\n',
};

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`run-operation on ${db.name}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('calls project and package macros with --args, commits their statements, rolls back a failed one', async () => {
      project = await createProject(db, FILES);
      const lines: LogLine[] = [];
      const call = (macro: string, args?: Record<string, unknown>) =>
        runOperation({ ...project!.options, macro, args, onLog: (l) => lines.push(l) }, project!.env);

      expect((await call('make_audit', { schema_name: 'ops_audit', n: 3 })).macro).toBe('make_audit');
      expect(await project.query('select n from ops_audit.audit_log')).toEqual([{ n: 3 }]);
      expect(lines.filter((l) => l.terminal).map((l) => l.message)).toEqual(['audit rows: 1']);

      // An installed package's macro, by its own name or qualified.
      expect((await call('touch', { table_name: 'touched' })).macro).toBe('helpers.touch');
      await call('helpers.touch', { table_name: 'touched_again' });
      const schema = (await project.run('run')).project.target.schema;
      expect(
        await project.query(`select (select count(*) from "${schema}".touched)::int as a, (select count(*) from "${schema}".touched_again)::int as b`),
      ).toEqual([{ a: 1, b: 1 }]);

      await expect(call('half_done')).rejects.toThrow(/stopped on purpose/);
      expect(await project.query(`select to_regclass('"${schema}".half_done')::text as t`)).toEqual([{ t: null }]);
      await expect(call('make_audt')).rejects.toMatchObject({ message: 'run-operation: no macro named make_audt', hint: 'did you mean "make_audit"?' });
    }, 120_000);
  });
}
