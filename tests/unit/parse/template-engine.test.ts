import { describe, expect, it } from 'vitest';
import { recordingHooks } from '../../../src/parse/recording-hooks.js';
import { TemplateEngine } from '../../../src/parse/template-engine.js';
import { ProjectError } from '../../../src/errors.js';

const target = { name: 'dev', schema: 'public', type: 'postgres', threads: 1, driver: 'pglite' };

function engine(vars: Record<string, unknown> = {}) {
  return new TemplateEngine({ projectName: 'demo', vars, target, env: { MY_ENV: 'from-env' } });
}

function render(source: string, vars: Record<string, unknown> = {}, macros = '') {
  const e = engine(vars);
  if (macros) e.loadMacroFile(macros, 'macros/m.sql', recordingHooks.forMacros('macros/m.sql'));
  const recorder = recordingHooks.forModel('models/x.sql', 'x', { materialized: 'view' });
  const out = e.render(e.compile(source, 'models/x.sql'), recorder.hooks);
  return { out, recorder };
}

describe('template engine (Jinja bridges)', () => {
  it('records refs, sources and config', () => {
    const { recorder } = render(
      "{{ config(materialized='table', tags=['a']) }}select * from {{ ref('a') }} join {{ source('raw','events') }} join {{ ref('pkg', 'b') }}",
    );
    expect(recorder.refs).toEqual([{ name: 'a' }, { package: 'pkg', name: 'b' }]);
    expect(recorder.sources).toEqual([['raw', 'events']]);
    expect(recorder.config).toMatchObject({ materialized: 'table', tags: ['a'] });
  });

  it('supports set lists, loops with whitespace control and loop.last', () => {
    const { out } = render(
      "{% set methods = ['card', 'cash'] %}select\n{% for m in methods -%}\n  sum(case when m = '{{ m }}' then 1 end) as {{ m }}_n{% if not loop.last %},{% endif %}\n{% endfor -%}\nfrom t",
    );
    // Jinja semantics: `-%}` eats the newline and indentation that follow the tag.
    expect(out).toBe("select\nsum(case when m = 'card' then 1 end) as card_n,\nsum(case when m = 'cash' then 1 end) as cash_n\nfrom t");
  });

  it('has var, env_var, target and Python literals and methods', () => {
    const { out } = render(
      "{{ var('gap', 30) }} {{ var('x') }} {{ env_var('MY_ENV') }} {{ target.name }} {{ 'AbC'.lower() }} {{ ' s '.strip() }} {{ ', '.join(['a','b']) }} {% if True and not False %}{{ 'a,b'.split(',') | length }}{% endif %} {{ None is none }}",
      { x: 'hello' },
    );
    expect(out).toBe('30 hello from-env dev abc s a, b 2 true');
  });

  it('supports do, dict methods and map/unique filters', () => {
    const { out } = render(
      "{% set cols = [] %}{% do cols.append('a') %}{% do cols.append('b') %}{{ cols | join('|') }} {% set d = {'k': 1} %}{% for k, v in d.items() %}{{ k }}={{ v }}{% endfor %} {{ [{'n': 'x'}, {'n': 'y'}] | map(attribute='n') | join(',') }} {{ ['a','a','b'] | unique | join }}",
    );
    expect(out).toBe('a|b k=1 x,y ab');
  });

  it('calls project macros without import, with return() values and kwargs', () => {
    const macros =
      "{% macro cents_to_dollars(col, scale=2) %}round({{ col }} / 100.0, {{ scale }}){% endmacro %}\n{% macro statuses() %}{{ return(['a', 'b']) }}{% endmacro %}";
    const { out } = render("{{ cents_to_dollars('amount', scale=4) }} {{ statuses() | length }}", {}, macros);
    expect(out).toBe('round(amount / 100.0, 4) 2');
  });

  it('reports an undefined variable with file and line', () => {
    try {
      render('select 1\nfrom t\nwhere {{ undefined_thing }}');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProjectError);
      expect((error as ProjectError).where).toBe('models/x.sql:3:7');
      expect((error as ProjectError).hint).toMatch(/undefined/);
    }
  });

  it('reports a syntax error with file and line', () => {
    const e = engine();
    try {
      e.compile('select 1\n{% if x %}\nselect 2', 'models/broken.sql');
      expect.unreachable();
    } catch (error) {
      expect((error as ProjectError).location.file).toBe('models/broken.sql');
      expect((error as ProjectError).location.line).toBe(3);
      expect((error as ProjectError).hint).toMatch(/never closed/);
    }
  });

  it('reports a missing var with a hint', () => {
    expect(() => render("{{ var('nope') }}")).toThrow(/var\("nope"\) is not defined/);
  });
});
