/** The Environment/Template API the dbt layer codes against. */
import { describe, expect, it } from 'vitest';
import {
  DBT_MACRO_TAGS,
  Environment,
  isUndefined,
  Kwargs,
  PyFloat,
  pyEquals,
  pyRepr,
  pyStr,
  pyTruthy,
  TemplateSyntaxError,
  tuple,
  type Undefined,
} from '../../../src/jinja/index.js';

const env = new Environment();

describe('Template.macros, makeModule and macro()', () => {
  const source = [
    '{% set version = 2 %}{% set _hidden = 1 %}',
    "{% macro one(a, b='x') %}{{ a }}{{ b }}{{ version }}{% endmacro %}",
    '{% macro _private() %}p{% endmacro %}',
    '{% macro uses_other() %}[{{ other() }}]{% endmacro %}',
    'top-level output',
  ].join('\n');
  const t = env.fromString(source, 'macros/util.sql');

  it('lists the top-level macros without running anything', () => {
    expect(t.macros).toEqual([
      { name: 'one', line: 2, params: ['a', 'b'] },
      { name: '_private', line: 3, params: [] },
      { name: 'uses_other', line: 4, params: [] },
    ]);
  });

  it('makes a module of exported macros and top-level sets, like jinja2 Template.module', () => {
    const module = t.makeModule();
    expect(Object.keys(module)).toEqual(['version', 'one', 'uses_other']);
    expect(module.version).toBe(2);
    expect((module.one as (...a: unknown[]) => string)('A')).toBe('Ax2');
  });

  it('takes one macro as if alone in its file: other names come from the vars', () => {
    const other = () => 'from vars';
    expect(t.macro('uses_other', { other })()).toBe('[from vars]');
    expect(t.macro('one', { version: 'v' })('A')).toBe('Axv');
    expect(t.macro('_private')()).toBe('p');
    expect(() => t.macro('nope')).toThrow("macros/util.sql has no top-level macro 'nope'");
  });
});

describe('macroTags (dbt test, materialization and docs blocks)', () => {
  const dbtEnv = new Environment({ macroTags: DBT_MACRO_TAGS });
  const t = dbtEnv.fromString(
    [
      '{% test not_null(model, column_name) %}select * from {{ model }} where {{ column_name }} is null{% endtest %}',
      "{% materialization table, adapter='postgres' %}create table{% endmaterialization %}",
      "{% materialization view, default, supported_languages=['sql'] %}create view{% endmaterialization %}",
      '{% docs orders %}Orders table.{% enddocs %}',
    ].join('\n'),
    'macros/blocks.sql',
  );

  it('define macros named as dbt names them', () => {
    expect(t.macros).toEqual([
      { name: 'test_not_null', line: 1, params: ['model', 'column_name'] },
      { name: 'materialization_table_postgres', line: 2, params: [] },
      { name: 'materialization_view_default', line: 3, params: [] },
      { name: 'docs_orders', line: 4, params: [] },
    ]);
    expect(t.macro('test_not_null')('t', 'c')).toBe('select * from t where c is null');
    expect(t.macro('docs_orders')()).toBe('Orders table.');
  });

  it('are unknown tags without the option', () => {
    expect(() => env.fromString('{% docs x %}{% enddocs %}', 'm.sql')).toThrow(TemplateSyntaxError);
  });

  it('allow dbt typed macro parameters', () => {
    const typed = dbtEnv.fromString('{% macro m(a: str, b: Dict[str, int] = none) %}{{ a }}{% endmacro %}{{ m(1) }}', 'm.sql');
    expect(typed.render()).toBe('1');
  });
});

describe('name lookup', () => {
  it('goes local scopes, then vars (with prototype chains and getters), then globals', () => {
    const base = { project: 'p', range: 'shadowed' };
    let reads = 0;
    const vars = Object.create(base, {
      target: {
        get() {
          reads++;
          return { name: 'dev' };
        },
      },
    });
    const t = env.fromString(
      "{{ project }} {{ range }} {{ dict(a=1) }}{% if false %}{{ target }}{% endif %}{% set project = 'local' %} {{ project }}",
      'm.sql',
    );
    expect(t.render(vars)).toBe("p shadowed {'a': 1} local");
    expect(reads).toBe(0);
    expect(env.fromString('{{ target.name }} {{ target.name }}', 'm.sql').render(vars)).toBe('dev dev');
    expect(reads).toBe(1);
  });

  it('treats Object.create layers of plain objects as mappings: _names are items, `in` works', () => {
    const internal = { _helper: () => 'h', shared: () => 's' };
    const pkg = Object.assign(Object.create(internal), { pub: () => 'p' });
    const t = env.fromString("{{ pkg.pub() }}{{ pkg.shared() }}{{ pkg._helper() }} {{ 'shared' in pkg }} {{ 'nope' in pkg }}", 'm.sql');
    expect(t.render({ pkg })).toBe('psh True False');
  });

  it('never finds members of Object.prototype', () => {
    expect(env.fromString('[{{ toString }}][{{ constructor }}][{{ d.toString }}][{{ d.hasOwnProperty }}]', 'm.sql').render({ d: {} })).toBe('[][][][]');
  });

  it('refuses JavaScript internals and underscore attributes of objects', () => {
    class Adapter {
      _secret = 1;
      type() {
        return 'postgres';
      }
    }
    const t = env.fromString('[{{ a.constructor }}][{{ a._secret }}][{{ a.__proto__ }}][{{ a.type() }}]', 'm.sql');
    expect(t.render({ a: new Adapter() })).toBe('[][][][postgres]');
    expect(() => env.fromString('{{ a.constructor.name }}', 'm.sql').render({ a: new Adapter() })).toThrow(/unsafe/);
  });
});

describe("the 'chainable' undefined mode (dbt's parse pass)", () => {
  const parseEnv = new Environment({ undefined: 'chainable' });

  it('lets attributes, items and calls of undefined through', () => {
    const t = parseEnv.fromString(
      "{{ adapter.dispatch('x', 'pkg')(1).y['z'] }}|{% for c in adapter.get_columns() %}{{ c }}{% endfor %}|{{ config.get('k') }}",
      'm.sql',
    );
    expect(t.render({ config: {} })).toBe('||None');
  });

  it('still fails on arithmetic with undefined', () => {
    expect(() => parseEnv.fromString('{{ x.y + 1 }}', 'm.sql').render()).toThrow("'x' is undefined");
  });
});

describe('Python values in JavaScript', () => {
  it('PyFloat boxes integral floats only', () => {
    const two = new PyFloat(2);
    expect(two.valueOf()).toBe(2);
    expect(JSON.stringify({ two })).toBe('{"two":2}');
    expect(pyStr(two)).toBe('2.0');
    expect(env.fromString('{{ x }} {{ y }}', 'm.sql').render({ x: two, y: 2.5 })).toBe('2.0 2.5');
  });

  it('exports str(), repr(), truthiness and equality', () => {
    expect(pyStr([null, true, 'a', tuple([1])])).toBe("[None, True, 'a', (1,)]");
    expect(pyRepr('a')).toBe("'a'");
    expect(pyStr('a')).toBe('a');
    expect([pyTruthy([]), pyTruthy({}), pyTruthy('0'), pyTruthy(new PyFloat(0))]).toEqual([false, false, true, false]);
    expect([pyEquals(1, new PyFloat(1)), pyEquals(true, 1), pyEquals([1], tuple([1])), pyEquals({ a: [1] }, { a: [1] })]).toEqual([true, true, false, true]);
  });

  it('dicts keep insertion order, except JavaScript puts integer-like keys first', () => {
    expect(env.fromString("{{ {'b': 1, 'a': 2} }} {{ {'x': 1, '2': 2} }}", 'm.sql').render()).toBe("{'b': 1, 'a': 2} {'2': 2, 'x': 1}");
  });

  it('Undefined says what it stands for', () => {
    let seen: unknown;
    env.fromString('{{ f(missing) }}', 'm.sql').render({
      f: (v: unknown) => {
        seen = v;
        return '';
      },
    });
    expect(isUndefined(seen)).toBe(true);
    expect((seen as Undefined).name).toBe('missing');
    expect((seen as Undefined).message).toBe("'missing' is undefined");
  });

  it('Kwargs is a plain object of the keyword arguments', () => {
    const kw = new Kwargs({ a: 1 });
    expect({ ...kw }).toEqual({ a: 1 });
    expect(Object.keys(kw)).toEqual(['a']);
  });
});

describe('options', () => {
  it('trim_blocks, lstrip_blocks and keep_trailing_newline', () => {
    const source = '<ul>\n  {% for x in [1, 2] %}\n  <li>{{ x }}</li>\n  {% endfor %}\n</ul>\n';
    expect(new Environment({ trimBlocks: true, lstripBlocks: true }).fromString(source, 'm.sql').render()).toBe('<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>');
    expect(new Environment({ keepTrailingNewline: true }).fromString('x\n', 'm.sql').render()).toBe('x\n');
    expect(env.fromString('x\n', 'm.sql').render()).toBe('x');
  });

  it('user filters, tests and globals', () => {
    const custom = new Environment();
    custom.filters.as_text = (v: unknown) => String(v);
    custom.tests.positive = (v: number) => v > 0;
    custom.globals.project_name = 'demo';
    expect(custom.fromString('{{ 1|as_text ~ "!" }} {{ 3 is positive }} {{ project_name }}', 'm.sql').render()).toBe('1! True demo');
  });
});
