/** Errors and control flow across the engine: where failures are reported, what passes through untouched. */
import { describe, expect, it } from 'vitest';
import { EngineSignal, Environment, MacroReturn, pyFunction, TemplateRuntimeError, TemplateSyntaxError } from '../../../src/jinja/index.js';

const env = new Environment();

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('MacroReturn (dbt return())', () => {
  const ret = (value: unknown) => {
    throw new MacroReturn(value);
  };

  it('ends the macro call, which evaluates to the value', () => {
    const t = env.fromString("{% macro cols() %}ignored{{ return(['a', 'b']) }}never{% endmacro %}{{ cols() }} {{ cols()|length }}", 'm.sql');
    expect(t.render({ return: ret })).toBe("['a', 'b'] 2");
  });

  it('works from do, inside loops, and only ends the innermost macro', () => {
    const t = env.fromString(
      [
        '{% macro first_big(xs) %}{% for x in xs %}{% if x > 2 %}{% do return(x) %}{% endif %}{% endfor %}{% do return(none) %}{% endmacro %}',
        '{% macro outer() %}[{{ first_big([1, 5, 9]) }}]after{% endmacro %}',
        '{{ outer() }} {{ first_big([1]) }}',
      ].join(''),
      'm.sql',
    );
    expect(t.render({ return: ret })).toBe('[5]after None');
  });

  it('in a call block ends the macro that called caller()', () => {
    const t = env.fromString('{% macro m() %}<{{ caller() }}>not reached{% endmacro %}{% call m() %}{{ return(42) }}{% endcall %}', 'm.sql');
    expect(t.render({ return: ret })).toBe('42');
  });

  it('is returned by a macro called from TypeScript', () => {
    const t = env.fromString('{% macro m() %}{{ return({"k": 1}) }}{% endmacro %}', 'macros/m.sql');
    expect(t.macro('m', { return: ret })()).toEqual({ k: 1 });
  });
});

describe('EngineSignal', () => {
  class NeedsQuery extends EngineSignal {}

  it('passes through renders and macros untouched', () => {
    const signal = new NeedsQuery('run the query first');
    const runQuery = () => {
      throw signal;
    };
    const t = env.fromString('{% macro m() %}{% set r = run_query() %}{{ r }}{% endmacro %}{% for i in [1] %}{{ m() }}{% endfor %}', 'm.sql');
    expect(thrown(() => t.render({ run_query: runQuery }))).toBe(signal);
    expect(thrown(() => env.fromString('{{ run_query() }}', 'x.sql').render({ run_query: runQuery }))).toBe(signal);
  });

  it('passes through getters of the vars', () => {
    const signal = new NeedsQuery('no result yet');
    const vars = Object.create(
      {},
      {
        execute: {
          get() {
            throw signal;
          },
        },
      },
    );
    expect(thrown(() => env.fromString('{% if execute %}x{% endif %}', 'x.sql').render(vars))).toBe(signal);
  });
});

describe('TemplateRuntimeError', () => {
  const macros = env.fromString('line 1\n{% macro a(x) %}\n  {{ x.y.z }}\n{% endmacro %}\n', 'macros/a.sql');

  it('locates a failure in a macro and its call site, innermost first', () => {
    const model = env.fromString('select\n1\n{{ a(none) }}', 'models/m.sql');
    const error = thrown(() => model.render({ a: macros.macro('a') })) as TemplateRuntimeError;
    expect(error).toBeInstanceOf(TemplateRuntimeError);
    expect(error.pyType).toBe('UndefinedError');
    expect(error.message).toBe("'None' has no attribute 'y'");
    expect(error.fileName).toBe('macros/a.sql');
    expect(error.line).toBe(3);
    expect(error.frames).toEqual([
      { fileName: 'macros/a.sql', line: 3, macro: 'a' },
      { fileName: 'models/m.sql', line: 3, macro: undefined },
    ]);
  });

  it('keeps the original error as cause and a native error location as innermost frame', () => {
    const original = Object.assign(new Error('config key missing'), { fileName: 'dbt_project.yml', line: 7 });
    const model = env.fromString('{% macro m() %}\n{{ fail() }}\n{% endmacro %}\n\n{{ m() }}', 'models/m.sql');
    const error = thrown(() =>
      model.render({
        fail: () => {
          throw original;
        },
      }),
    ) as TemplateRuntimeError;
    expect(error.cause).toBe(original);
    expect(error.message).toBe('config key missing');
    expect(error.pyType).toBe('Error');
    expect(error.frames).toEqual([
      { fileName: 'dbt_project.yml', line: 7 },
      { fileName: 'models/m.sql', line: 2, macro: 'm' },
      { fileName: 'models/m.sql', line: 5, macro: undefined },
    ]);
    expect(error.describe()).toContain('at models/m.sql:2 (macro m)');
    expect(error.stack).toBe(`TemplateRuntimeError: ${error.describe()}`);
  });

  it('reports the line of the failing expression in a multi-line template', () => {
    const t = env.fromString('{% set a = 1 %}\n{% for x in [1] %}\n\n  {{ x + "s" }}\n{% endfor %}', 'models/m.sql');
    const error = thrown(() => t.render()) as TemplateRuntimeError;
    expect([error.line, error.pyType]).toEqual([4, 'TypeError']);
  });

  it('reports binding errors at the call site', () => {
    const t = env.fromString('{% macro m(a) %}{% endmacro %}\n{{ m(1, 2) }}', 'models/m.sql');
    const error = thrown(() => t.render()) as TemplateRuntimeError;
    expect([error.line, error.message]).toEqual([2, "macro 'm' takes not more than 1 argument(s)"]);
  });

  it('wraps errors of pyFunction natives', () => {
    const f = pyFunction({ name: 'f', params: ['x'] }, () => {
      throw new RangeError('out of range');
    });
    const error = thrown(() => env.fromString('\n{{ f(1) }}', 'x.sql').render({ f })) as TemplateRuntimeError;
    expect([error.line, error.message, error.cause instanceof RangeError]).toEqual([2, 'out of range', true]);
  });
});

describe('TemplateSyntaxError', () => {
  it('has the file, line and Jinja2 wording', () => {
    const error = thrown(() => env.fromString('a\n{{ 1 +  }}', 'models/bad.sql')) as TemplateSyntaxError;
    expect(error).toBeInstanceOf(TemplateSyntaxError);
    expect([error.fileName, error.line, error.message]).toEqual(['models/bad.sql', 2, "unexpected 'end of print statement'"]);
  });

  it('says where an unclosed block was opened', () => {
    const error = thrown(() => env.fromString('x\n\n{% for a in b %}\n{{ a }}\n', 'models/m.sql')) as TemplateSyntaxError;
    expect(error.message).toBe(
      "Unexpected end of template. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for', opened at line 3.",
    );
    expect(error.line).toBe(4);
  });

  it('reports an unknown filter at compile time, as Jinja2 does', () => {
    const error = thrown(() => env.fromString('\n{{ x|nope }}', 'm.sql')) as TemplateSyntaxError;
    expect([error.line, error.message]).toEqual([2, "No filter named 'nope'."]);
  });

  it('says that include, import, extends and block are not supported', () => {
    for (const tag of ["include 'x'", "import 'x' as y", "extends 'x'", 'block b']) {
      const error = thrown(() => env.fromString(`{% ${tag} %}`, 'm.sql')) as TemplateSyntaxError;
      expect(error.message).toMatch(/is not supported/);
    }
  });
});
