/**
 * The fast template path must render exactly what nunjucks renders: every template
 * of a corpus (hand-written edge cases plus generated combinations) is rendered
 * both ways with the same hooks, comparing output, recorded refs/config and errors.
 */
import { describe, expect, it } from 'vitest';
import { Relation } from '../../../src/compile/relation.js';
import { parseFastTemplate } from '../../../src/parse/fast-template.js';
import { recordingHooks } from '../../../src/parse/recording-hooks.js';
import type { RenderHooks } from '../../../src/parse/render-hooks.js';
import { TemplateEngine, type CompiledTemplate } from '../../../src/parse/template-engine.js';

const target = { name: 'dev', schema: 'public', type: 'postgres', threads: 1, driver: 'pglite' };
const MACROS = `
{% macro scaled(column, factor=2) -%}
({{ column }} * {{ factor }})
{%- endmacro %}
{% macro statuses() %}{{ return(['a', 'b']) }}{% endmacro %}
{% macro nothing() %}{{ return(none) }}{% endmacro %}
{% macro echo(x, y='d', z=none) %}[{{ x }}|{{ y }}|{{ z }}]{% endmacro %}
{% macro fail() %}{{ exceptions.raise_compiler_error('macro says no') }}{% endmacro %}
{% macro table_of(rel) %}{{ rel.identifier }}{% endmacro %}
{% macro current() %}{{ this }}/{{ execute }}{% endmacro %}
`;

function engine(): TemplateEngine {
  const e = new TemplateEngine({
    projectName: 'demo',
    vars: { scale: 3, list: [1, 2], dict: { a: 1 }, empty: '', nil: null, text: 'Hello' },
    target,
    env: { MY_ENV: 'from-env' },
  });
  e.loadMacroFile(MACROS, 'macros/m.sql', recordingHooks.forMacros('macros/m.sql'));
  return e;
}

/** Compile-pass hooks like compile-model.ts gives: relations for ref/source, execute true. */
function resolvingHooks(log: string[]): RenderHooks {
  return {
    file: 'models/x.sql',
    execute: true,
    ref: (first, second) => (log.push(`ref:${first}:${second}`), new Relation('analytics', second ?? first)),
    source: (s, t) => (log.push(`source:${s}.${t}`), new Relation(s, t)),
    config: (values) => void log.push(`config:${JSON.stringify(values)}`),
    configGet: (key, fallback) => (key === 'materialized' ? 'table' : fallback),
    isIncremental: () => (log.push('is_incremental'), false),
    thisRelation: new Relation('analytics', 'x'),
  };
}

type Outcome = { output?: string; error?: string; recorded: unknown; log: string[] };

/** A fresh engine per render: a template may mutate a var (`.append()`). */
function renderWith(source: string, path: 'fast' | 'nunjucks', pass: 'parse' | 'compile'): Outcome {
  const e = engine();
  const template: CompiledTemplate = path === 'fast' ? e.compile(source, 'models/x.sql') : { source, file: 'models/x.sql' };
  const log: string[] = [];
  const recorder = recordingHooks.forModel('models/x.sql', 'x', { materialized: 'view', tags: ['base'] });
  const hooks = pass === 'parse' ? recorder.hooks : resolvingHooks(log);
  try {
    const output = e.render(template, hooks);
    return { output, recorded: { refs: recorder.refs, sources: recorder.sources, config: recorder.config }, log };
  } catch (error) {
    const err = error as { message: string; where?: string; hint?: string };
    // After an error the fast path renders again with nunjucks: hooks ran twice, which only matters for errors.
    return { error: `${err.where} ${err.message} ${err.hint}`, recorded: undefined, log: [] };
  }
}

/** Renders a template on the fast path and on nunjucks; both outcomes must be equal. */
function expectSameBothWays(source: string): { fast: boolean; outcome: Outcome } {
  const e = engine();
  let compiled: CompiledTemplate;
  try {
    compiled = e.compile(source, 'models/x.sql');
  } catch {
    // Syntax errors come from nunjucks either way: the fast parser never accepts them.
    expect(parseFastTemplate(source)).toBeUndefined();
    return { fast: false, outcome: { error: 'syntax', recorded: undefined, log: [] } };
  }
  let outcome: Outcome | undefined;
  for (const pass of ['parse', 'compile'] as const) {
    const viaFast = renderWith(source, 'fast', pass);
    const viaNunjucks = renderWith(source, 'nunjucks', pass);
    expect(viaFast, `${pass} pass of ${JSON.stringify(source)}`).toEqual(viaNunjucks);
    outcome ??= viaFast;
  }
  return { fast: compiled.fast !== undefined, outcome: outcome! };
}

const FAST_CORPUS = [
  '',
  'select 1',
  "{{ config(materialized='table', tags=['t7']) }}\nselect\n    p0.id,\n    {{ scaled('p0.value', var('scale')) }} as value\nfrom {{ ref('model_6') }} as p0\n",
  "select * from {{ ref('a') }} join {{ source('raw', 'events') }} join {{ ref('pkg', 'b') }}",
  "{{ ref('a', v=2) }} {{ ref('a', version=2) }}",
  "{{- config(alias='x') -}}\n\n  select 1  \n  {{- var('scale') }}  \n{{ var('scale') -}}\n\n end",
  "a {# a comment {{ with tags }} #} b {#- trims -#}   c\n{#- x #}\n d",
  "{# -#}  kept\n{#-#}  trimmed",
  '{{ this }} {{ this.name }} {{ this.identifier }} {{ this.schema }} {{ target.name }} {{ target.schema }} {{ target.threads }}',
  "{{ var('missing', 'fallback') }} {{ var('list') }} {{ var('dict') }} {{ var('empty') }}|{{ var('text').upper() }}",
  "{{ env_var('MY_ENV') }} {{ env_var('NOT_SET', 'dflt') }}",
  '{{ 1 }} {{ 2.50 }} {{ 1. }} {{ 007 }} {{ true }} {{ false }} {{ True }} {{ False }} {{ [1, "a", none] }} {{ {"k": 1, v: 2} }}',
  "{{ echo('x') }} {{ echo('x', 'y') }} {{ echo(z='zz', x='xx') }} {{ echo(y=1, 'pos') }} {{ echo([ref('a'), ref('b')]) }}",
  "{{ echo(x=ref('late'), y=ref('early')) }} {{ echo(ref('first'), z=ref('second')) }}",
  "{{ statuses() }} {{ scaled(ref('m')) }} {{ table_of(ref('m')) }} {{ current() }}",
  "{{ config(materialized='incremental', unique_key=['id', 'day']) }}{{ config.get('materialized') }} {{ config.get('nope', 'd') }}",
  "{{ 'a}}b' }} {{ \"it's\" }} {{ '{{ not a tag }}' }} {{ 'x' }}{{ 'y' }}",
  "{{ is_incremental() }} {{ execute }} {{ project_name }}",
  "{{ dict(a=1) }} {{ zip([1], [2]) }} {{ fromjson('[1]') }} {{ tojson({'a': [1]}) }} {{ adapter.quote('x') }}",
  "{{ 'a,b'.split(',') }} {{ ' s '.strip() }} {{ 'x'.replace('x', 'y') }}",
  'tab\tand\r\nwindows\r\n{{-\n  ref( "spaced" )\n-}}\r\n end',
  "{{ ref('a')}}{{ref('b') }}{{ref('c')}}",
  "{{ undefined_thing }}",
  "line\n{{ var('nope') }}",
  "{{ nothing() }}",
  "{{ fail() }}",
  "{{ unknown_macro('x') }}",
  "{{ this.nope }}",
  "{{ var('nil') }}",
  "{{ ref() }}",
  "{{ target.name.nope.deeper }}",
  "{{ None }} {{ dict }}",
  "{{ config(materialized='view', tags=['a']) }}{{ config(tags=['b']) }}",
  "{{ echo(1,2,3,4) }}",
  '{{ {"a": {"b": 1} } }}',
  "{{ var('list').append(3) }}",
  '{{ __proto__(x=1) }}',
  '{{ toString }}',
];

const NUNJUCKS_ONLY = [
  "{% if true %}x{% endif %}",
  "{{ ref('a') | upper }}",
  "{{ 'a' ~ 'b' }}",
  "{{ 1 + 2 }}",
  "{{ -1 }}",
  "{{ x if y else z }}",
  "{{ not x }}",
  "{{ a == b }}",
  "{{ a.b['c'] }}",
  "{{ (1) }}",
  "{{ 'it\\'s' }}",
  "{{ ref('a',) }}",
  "{{ [1,] }}",
  '{{ {"a": {"b": 1}} }}',
  "{{ [1, 2) }}",
  "{{ f(1 2) }}",
  "{{ f('a'=1) }}",
  "{{ f(x.y=1) }}",
  "{{ {1: 2} }}",
  "{{ r/x/ }}",
  "{{ 1.5e3 }}",
  "{{ café }}",
  "{{ x.if }}",
  "{{ x.true }}",
  "text with #} in it",
  "unclosed {{ ref('a')",
  "unclosed comment {# here",
  "{{ }}",
  "{{ x %}",
  "{%- raw %}{{ x }}{% endraw %}",
  "{{ f(__proto__=1) }}",
  "{{ {'__proto__': 1} }}",
];

describe('fast template path', () => {
  it.each(FAST_CORPUS)('renders %j as nunjucks does, without nunjucks', (source) => {
    expect(parseFastTemplate(source)).toBeDefined();
    expect(expectSameBothWays(source).fast).toBe(true);
  });

  it.each(NUNJUCKS_ONLY)('leaves %j to nunjucks', (source) => {
    expect(parseFastTemplate(source)).toBeUndefined();
    expectSameBothWays(source);
  });

  it('agrees with nunjucks on generated combinations', () => {
    const pieces = [
      'select ', '\n', '  ', 'x', ' \t\n ', '{', '}', '#', "'", '"', '--', ' {{ ref("a") }} ', '{{- ref("b") -}}',
      "{{ var('scale') }}", "{{- var('text') }}", "{{ config(tags=['g']) -}}", '{# c #}', '{#- c -#}', '{{ this.name }}',
      "{{ scaled('v', factor=var('scale')) }}", "{{ echo(y=ref('k'), x=source('s', 't')) }}", '{{ missing }}', '{% if 1 %}',
      '{% endif %}', '#}', '{{', '}}', '{{ [1, 2] }}', "{{ {'a': none} }}", '{{ True }}', "{{ env_var('MY_ENV') }}",
    ];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let fast = 0;
    for (let i = 0; i < 400; i++) {
      const source = Array.from({ length: 1 + Math.floor(random() * 8) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      if (expectSameBothWays(source).fast) fast++;
    }
    // Most combinations stay on the fast path; the rest prove the fallback.
    expect(fast).toBeGreaterThan(100);
  });

  it('reports errors from fast templates with nunjucks line and column', () => {
    const e = engine();
    const template = e.compile('select 1\nfrom t\nwhere {{ undefined_thing }}', 'models/x.sql');
    expect(template.fast).toBeDefined();
    expect(() => e.render(template, recordingHooks.forModel('models/x.sql', 'x', {}).hooks)).toThrow(
      expect.objectContaining({ where: 'models/x.sql:3:7' }),
    );
  });
});
