/**
 * dbt's Jinja layer over tspipe's Jinja2 engine: recording hooks, macro namespaces
 * and their precedence, adapter.dispatch with the project's search order, return(),
 * log(), var() scoping, and errors with file and line. No database: the replayed
 * renders that query one are covered by tests/integration/dbt-packages.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCollector, ProjectError } from '../../../src/errors.js';
import type { LogLine } from '../../../src/context/builtins.js';
import { recordingHooks } from '../../../src/parse/recording-hooks.js';
import type { RenderHooks } from '../../../src/parse/render-hooks.js';
import { TemplateEngine } from '../../../src/parse/template-engine.js';
import { loadMacros } from '../../../src/parse/load-macros.js';
import { DbtRelation } from '../../../src/context/relation.js';

const target = {
  name: 'dev',
  schema: 'analytics',
  type: 'postgres',
  threads: 1,
  database: 'warehouse',
  user: 'me',
  host: 'localhost',
  port: 5432,
  profile_name: 'demo',
  driver: 'pglite',
};

interface Setup {
  cliVars?: Record<string, unknown>;
  projectVars?: Record<string, Record<string, unknown>>;
  dispatch?: { macro_namespace: string; search_order: string[] }[];
  macros?: Record<string, Record<string, string>>;
}

function engine(setup: Setup = {}) {
  const lines: LogLine[] = [];
  const e = new TemplateEngine({
    projectName: 'demo',
    projectVars: { demo: {}, ...setup.projectVars },
    cliVars: setup.cliVars ?? {},
    target,
    env: { MY_ENV: 'from-env' },
    dispatch: setup.dispatch,
    onLog: (line) => lines.push(line),
  });
  const packages = ['demo', ...Object.keys(setup.macros ?? {}).filter((p) => p !== 'demo')];
  const tree = { root: { name: 'demo' }, packages: packages.map((name) => ({ config: { name }, files: { macros: [], genericTestMacros: [] } })) };
  const errors = new ErrorCollector();
  loadMacros(e, tree as never, errors);
  for (const [pkg, files] of Object.entries(setup.macros ?? {})) for (const [file, source] of Object.entries(files)) e.loadMacroFile(pkg, source, file, errors);
  errors.throwIfAny();
  return { e, lines };
}

function runHooks(packageName = 'demo'): RenderHooks {
  return {
    file: 'models/x.sql',
    packageName,
    execute: true,
    ref: (name) => new DbtRelation({ schema: 'analytics', identifier: name, type: 'table' }),
    source: (s, t) => new DbtRelation({ schema: s, identifier: t, type: 'table' }),
    config: () => undefined,
    configGet: (key, fallback) => ({ materialized: 'table' })[key as 'materialized'] ?? fallback,
    isIncremental: () => false,
    thisRelation: new DbtRelation({ schema: 'analytics', identifier: 'x', type: 'table' }),
  };
}

function run(setup: Setup, source: string, packageName?: string) {
  const { e, lines } = engine(setup);
  return { out: e.render(e.compile(source, 'models/x.sql'), runHooks(packageName)), lines };
}

describe('dbt templates', () => {
  it('records refs, sources and config while parsing, where config.get is empty as in dbt', () => {
    const { e } = engine();
    const recorder = recordingHooks.forModel('models/x.sql', 'x', { materialized: 'view' });
    const out = e.render(
      e.compile(
        "{{ config(materialized='table', tags=['a'],) }}[{{ config.get('materialized') }}] {{ ref('a') }} {{ source('raw', 'events') }} {{ ref('pkg', 'b') }} {{ nothing.at.all() }}",
        'models/x.sql',
      ),
      recorder.hooks,
    );
    expect(recorder.refs).toEqual([{ name: 'a' }, { package: 'pkg', name: 'b' }]);
    expect(recorder.sources).toEqual([['raw', 'events']]);
    expect(recorder.config).toMatchObject({ materialized: 'table', tags: ['a'] });
    // parsing tolerates undefined names (dbt's parse pass) and config.get gives ''
    expect(out).toBe('[] "__ref__"."a" "raw"."events" "__ref__"."b" ');
  });

  it('has dbt globals with Python semantics: var, env_var, target, None/True printing, list concatenation', () => {
    const { out } = run(
      { cliVars: { x: 'hello' } },
      "{{ var('gap', 30) }} {{ var('x') }} {{ env_var('MY_ENV') }} {{ target.database }}.{{ target.schema }} {{ None }} {{ [] is iterable and not [] }} {{ ([1] + [2]) | length }} {{ undefined_name }}|",
    );
    expect(out).toBe('30 hello from-env warehouse.analytics None True 2 |');
  });

  it('gives var() the node package scope: --vars, then the root project (scoped first), then the package', () => {
    const setup: Setup = {
      cliVars: { cli: 'c' },
      projectVars: { demo: { shared: 'root', pkg: { scoped: 'root-for-pkg' } }, pkg: { scoped: 'own', own_only: 'own' } },
      macros: { pkg: {} },
    };
    expect(run(setup, "{{ var('cli') }} {{ var('shared') }} {{ var('scoped') }} {{ var('own_only') }}", 'pkg').out).toBe('c root root-for-pkg own');
    expect(() => run(setup, "{{ var('own_only') }}", 'demo')).toThrow(/var\("own_only"\) is not defined/);
  });

  it('resolves macros as dbt does: local package, root project, package namespaces, the global project', () => {
    const setup: Setup = {
      macros: {
        demo: { 'macros/a.sql': '{% macro shout(x) %}{{ x | upper }}!{% endmacro %}{% macro _private() %}root-private{% endmacro %}' },
        pkg: { 'dbt_packages/pkg/macros/b.sql': '{% macro shout(x) %}pkg:{{ x }}{% endmacro %}{% macro helper() %}{{ shout("in") }}{% endmacro %}' },
      },
    };
    // a root model: the root's shout; pkg.shout by namespace; helper resolves shout from the calling node's package
    expect(run(setup, "{{ shout('a') }} {{ pkg.shout('b') }} {{ pkg.helper() }} {{ _private() }} {{ dbt.type_string() }} {{ type_int() }}").out).toBe(
      'A! pkg:b IN! root-private TEXT integer',
    );
    // a node of pkg: its own macro is local and wins
    expect(run(setup, "{{ shout('c') }}", 'pkg').out).toBe('pkg:c');
  });

  it('dispatches to postgres__, then default__, along the dispatch search order', () => {
    const pkgMacros = {
      'dbt_packages/pkg/macros/m.sql':
        "{% macro greet(n) %}{{ return(adapter.dispatch('greet', 'pkg')(n)) }}{% endmacro %}{% macro default__greet(n) %}hello {{ n }}{% endmacro %}",
    };
    const override = { 'macros/o.sql': '{% macro default__greet(n) %}hi {{ n }}{% endmacro %}' };
    // a package dependency: the root project is searched first by default
    expect(run({ macros: { pkg: pkgMacros, demo: override } }, "{{ pkg.greet('x') }}").out).toBe('hi x');
    // an explicit search order that leaves the root project out
    expect(run({ macros: { pkg: pkgMacros, demo: override }, dispatch: [{ macro_namespace: 'pkg', search_order: ['pkg'] }] }, "{{ pkg.greet('x') }}").out).toBe(
      'hello x',
    );
    // the global project's macros are overridden the same way
    expect(
      run({ macros: { demo: { 'macros/t.sql': "{% macro postgres__type_string() %}{{ return('varchar') }}{% endmacro %}" } } }, '{{ dbt.type_string() }}').out,
    ).toBe('varchar');
    expect(() => run({}, "{{ adapter.dispatch('nothing_here', 'dbt')() }}")).toThrow(
      /no macro named "nothing_here" in namespace dbt; searched 'postgres__nothing_here', 'default__nothing_here'/,
    );
  });

  it('ends a macro at return(), giving the value to its own caller only', () => {
    const setup: Setup = {
      macros: {
        demo: {
          'macros/r.sql':
            '{% macro inner() %}{{ return([1, 2]) }}never{% endmacro %}{% macro outer() %}{% set got = inner() %}outer saw {{ got | length }}{% endmacro %}',
        },
      },
    };
    expect(run(setup, '{{ outer() }} / {{ inner() | sum }}').out).toBe('outer saw 2 / 3');
  });

  it('sends log(info=True), print and exceptions.warn to the output, plain log() only to the log', () => {
    const { lines } = run({}, "{{ log('quiet') }}{{ log('loud', info=True) }}{{ print('printed') }}{{ exceptions.warn('careful') }}");
    expect(lines).toEqual([
      { message: 'quiet', terminal: false, level: 'info' },
      { message: 'loud', terminal: true, level: 'info' },
      { message: 'printed', terminal: true, level: 'info' },
      { message: 'careful', terminal: true, level: 'warn' },
    ]);
  });

  it('reports errors with the file and line, and the macro call chain', () => {
    const setup: Setup = {
      macros: {
        demo: {
          'macros/bad.sql':
            "{% macro bad() %}\n  {{ exceptions.raise_compiler_error('no good') }}\n{% endmacro %}{% macro broken() %}\n\n  {{ target.nope.deeper }}{% endmacro %}",
        },
      },
    };
    const errorOf = (source: string) => {
      try {
        run(setup, source);
      } catch (error) {
        expect(error).toBeInstanceOf(ProjectError);
        return error as ProjectError;
      }
      return expect.unreachable();
    };
    // what the project raises itself points at the call; an engine error at the failing line
    const raised = errorOf('select 1\n{{ bad() }}');
    expect(raised.message).toMatch(/^no good \(in macro bad at macros\/bad\.sql:2, called at models\/x\.sql:2\)/);
    expect(raised.location).toMatchObject({ file: 'models/x.sql', line: 2 });
    const broken = errorOf('select 1\n\n{{ broken() }}');
    expect(broken.message).toMatch(/^'dict object' has no attribute 'nope' \(in macro broken at macros\/bad\.sql:5, called at models\/x\.sql:3\)/);
    expect(broken.location).toMatchObject({ file: 'macros/bad.sql', line: 5 });
  });

  it('reports a syntax error at the line where the unclosed block was opened', () => {
    const { e } = engine();
    expect(() => e.compile('select 1\n{% if x %}\nselect 2', 'models/broken.sql')).toThrow(
      expect.objectContaining({
        location: expect.objectContaining({ file: 'models/broken.sql', line: 2 }),
        message: "Unclosed 'if' tag opened at models/broken.sql:2; expected 'endif'",
      }),
    );
  });
});
