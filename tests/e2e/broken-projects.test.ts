/**
 * A corpus of broken projects through the real CLI: each gives exit code 2 (the
 * project) or 1 (the run), a message pointing at file:line (or the model and its
 * compiled SQL line), a hint, and no stack trace unless --debug.
 * (cycle, unknown ref, duplicate names, ... are in tests/unit/api/project-errors.test.ts.)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { TEST_DATABASES } from '../support/databases.js';

const postgres = TEST_DATABASES.find((d) => d.name === 'postgres')!;
const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tspipe-broken-'));
  temporary.push(dir);
  for (const [file, content] of Object.entries({ 'project.yml': 'name: broken\n', ...files })) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

interface BrokenCase {
  name: string;
  files: Record<string, string>;
  code: 1 | 2;
  /** What the message must say, location included. */
  message: RegExp;
  needsDatabase?: boolean;
  /** Known bug (see below): no hint yet. */
  noHintYet?: boolean;
}

const STACK = /\n\s+at /;

const CASES: BrokenCase[] = [
  {
    name: 'unknown source',
    files: { 'models/m.sql': "select *\nfrom {{ source('app', 'users') }}\n" },
    code: 2,
    message: /models\/m\.sql:2: source\("app", "users"\) is not declared/,
  },
  {
    name: 'template syntax error',
    files: { 'models/m.sql': 'select 1 as id\n{% if true %}\nwhere 1 = 1\n' },
    code: 2,
    message: /models\/m\.sql:\d+: .*(endif|end of file)/,
  },
  {
    // As in dbt: a missing var is None while parsing, an error when the model compiles.
    name: 'undefined variable',
    files: { 'models/m.sql': "select 1 as id,\n  {{ var('nope') }} as x\n" },
    code: 1,
    message: /Error in model\.broken\.m \(models\/m\.sql:2\):\n\s+var\("nope"\) is not defined/,
  },
  {
    name: 'macro error',
    files: {
      'macros/boom.sql': "{% macro boom(x) %}\n  {{ exceptions.raise_compiler_error('boom: ' ~ x) }}\n{% endmacro %}\n",
      'models/m.sql': "select 1 as id,\n  {{ boom('bad input') }} as y\n",
    },
    code: 2,
    message: /models\/m\.sql:\d+(:\d+)?: boom: bad input/,
    noHintYet: true,
  },
  {
    name: 'YAML error',
    files: {
      'models/m.sql': 'select 1 as id\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n     - name: id\n    tests: [unique\n',
    },
    code: 2,
    message: /models\/schema\.yml:\d+: invalid YAML/,
  },
  {
    name: 'invalid config value',
    files: { 'models/m.sql': "{{ config(materialized='tabel') }}\nselect 1 as id\n" },
    code: 2,
    message: /models\/m\.sql:1: invalid config materialized: "tabel" is not one of/,
  },
  {
    name: 'custom materialization',
    files: {
      'macros/mine.sql': "{% materialization mine, default %}\n  {{ return({'relations': []}) }}\n{% endmaterialization %}\n",
      'models/m.sql': "{{ config(materialized='mine') }}\nselect 1 as id\n",
    },
    code: 2,
    message:
      /models\/m\.sql:1: invalid config materialized: "mine" is not one of[^\n]*\n\s*hint: macros\/mine\.sql:1 defines it as a custom \{% materialization %\}/,
  },
  {
    name: 'model name that is not a valid identifier',
    files: { 'models/my-model.sql': 'select 1 as id\n' },
    code: 2,
    message: /models\/my-model\.sql: "my-model" is not a valid model or seed name/,
  },
  {
    name: 'SQL error at run time',
    files: {
      'models/ok.sql': 'select 1 as id\n',
      'models/bad.sql': "select id,\n  id * 2 as twice,\n  no_such_column\nfrom {{ ref('ok') }}\n",
    },
    code: 1,
    message: /Error in model\.broken\.bad \(target\/compiled\/models\/bad\.sql:3\):\n\s+column "no_such_column" does not exist/,
    needsDatabase: true,
  },
];

describe('broken projects through the CLI', () => {
  for (const c of CASES) {
    it.skipIf(c.needsDatabase && !postgres.available)(
      `${c.name}: exit ${c.code}, location, hint, no stack trace${c.needsDatabase ? postgres.skipNote : ''}`,
      async () => {
        const dir = project(c.files);
        const created = c.needsDatabase ? await postgres.create() : undefined;
        try {
          const target = created ? ['--database-url', created.url!] : [];
          const result = await runCli(['run', '--project-dir', dir, ...target], { timeoutMs: 60_000 });
          const output = result.stdout + result.stderr;
          expect(result.code, output).toBe(c.code);
          expect(output).toMatch(c.message);
          if (!c.noHintYet) expect(output).toMatch(/\n\s*hint: \S/);
          expect(output).not.toMatch(STACK);

          if (c.code === 2) {
            const debug = await runCli(['run', '--debug', '--project-dir', dir, ...target], { timeoutMs: 60_000 });
            expect(debug.code).toBe(c.code);
            expect(debug.stdout + debug.stderr).toMatch(STACK);
          }
        } finally {
          await created?.cleanup();
        }
      },
    );
  }
});

describe('broken projects: positions and hints of render errors', () => {
  it('a render error points at the right line (an undefined attribute on line 2)', async () => {
    const dir = project({ 'models/m.sql': 'select 1 as id,\n  {{ target.nope.deeper }} as x\n' });
    const result = await runCli(['run', '--project-dir', dir], { timeoutMs: 60_000 });
    expect(result.stdout + result.stderr).toMatch(/models\/m\.sql:2\):\n\s+'dict object' has no attribute 'nope'/);
  });

  // exceptions.raise_compiler_error: the project's own message, with a hint.
  it('a macro error comes with a hint', async () => {
    const dir = project({
      'macros/boom.sql': "{% macro boom(x) %}\n  {{ exceptions.raise_compiler_error('boom: ' ~ x) }}\n{% endmacro %}\n",
      'models/m.sql': "select 1 as id,\n  {{ boom('bad input') }} as y\n",
    });
    const result = await runCli(['run', '--project-dir', dir], { timeoutMs: 60_000 });
    expect(result.stderr).toMatch(/\n\s*hint: \S/);
  });
});
