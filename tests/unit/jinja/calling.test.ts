/** The calling convention between templates and TypeScript: plain functions, pyFunction, macros, Kwargs. */
import { describe, expect, it } from 'vitest';
import { Environment, Kwargs, PyFloat, pyFunction, TemplateRuntimeError, tuple } from '../../../src/jinja/index.js';

const env = new Environment();
const render = (source: string, vars: object = {}) => env.fromString(source, 'models/m.sql').render(vars);

describe('plain JavaScript functions', () => {
  it('get positional arguments, and one trailing Kwargs only when there are keyword arguments', () => {
    const calls: unknown[][] = [];
    const f = (...args: unknown[]) => {
      calls.push(args);
      return 'ok';
    };
    expect(render("{{ f(1, 'a') }} {{ f(1, x=2, y='z') }} {{ f(**{'k': 3}) }}", { f })).toBe('ok ok ok');
    expect(calls[0]).toEqual([1, 'a']);
    expect(calls[1]![1]).toBeInstanceOf(Kwargs);
    expect(calls[1]).toEqual([1, new Kwargs({ x: 2, y: 'z' })]);
    expect(calls[2]).toEqual([new Kwargs({ k: 3 })]);
  });

  it('receive floats as numbers and generators, ranges and dict views as arrays', () => {
    let seen: unknown[] = [];
    const f = (...args: unknown[]) => {
      seen = args;
      return '';
    };
    render("{{ f(4 / 2, [1, 2]|map('string'), range(2), {'a': 1}.items(), x=2.0) }}", { f });
    expect(seen).toEqual([2, ['1', '2'], [0, 1], [['a', 1]], new Kwargs({ x: 2 })]);
    expect(typeof seen[0]).toBe('number');
  });

  it('keep their this when called as methods', () => {
    const adapter = {
      quoteChar: '"',
      quote(name: string) {
        return `${this.quoteChar}${name}${this.quoteChar}`;
      },
    };
    expect(render("{{ adapter.quote('id') }} {% set q = adapter.quote %}{{ q('x') }}", { adapter })).toBe('"id" "x"');
  });

  it('keep their this on class instances', () => {
    class Relation {
      constructor(
        readonly schema: string,
        readonly name: string,
      ) {}
      render() {
        return `"${this.schema}"."${this.name}"`;
      }
      toString() {
        return this.render();
      }
    }
    const rel = new Relation('analytics', 'orders');
    expect(render('{{ rel }} {{ rel.render() }} {{ rel.schema }} {{ [rel] }}', { rel })).toBe(
      '"analytics"."orders" "analytics"."orders" analytics ["analytics"."orders"]',
    );
  });

  it('returning undefined means None', () => {
    expect(render('{{ f() }} {{ f() is none }}', { f: () => undefined })).toBe('None True');
  });

  it('can return Python values', () => {
    expect(render('{{ f() }} {{ g() }}', { f: () => new PyFloat(3), g: () => tuple([1, 'a']) })).toBe("3.0 (1, 'a')");
  });
});

describe('pyFunction', () => {
  const ref = pyFunction({ name: 'ref', params: ['name', 'version=None', '*', 'package=None'] }, (name: string, version: unknown, pkg: unknown) =>
    [pkg, name, version].filter((p) => p !== null).join('.'),
  );

  it('binds positional, default and keyword-only arguments like Python', () => {
    expect(render("{{ ref('a') }} {{ ref('a', 2) }} {{ ref(name='b', package='p') }}", { ref })).toBe('a a.2 p.b');
  });

  it('collects *args and **kwargs', () => {
    const f = pyFunction(['first', '*rest', '**options'], (first: unknown, rest: unknown[], options: Record<string, unknown>) =>
      JSON.stringify([first, rest, options]),
    );
    expect(render('{{ f(1, 2, 3, a=4) }}', { f })).toBe('[1,[2,3],{"a":4}]');
  });

  it('reports binding errors with Python TypeError wording', () => {
    const cases: [string, string][] = [
      ['{{ ref() }}', "ref() missing 1 required positional argument: 'name'"],
      ["{{ ref('a', 1, 2) }}", 'ref() takes from 1 to 2 positional arguments but 3 were given'],
      ["{{ ref('a', nope=1) }}", "ref() got an unexpected keyword argument 'nope'"],
      ["{{ ref('a', name='b') }}", "ref() got multiple values for argument 'name'"],
    ];
    for (const [source, message] of cases) {
      const error = catchError(() => render(source, { ref }));
      expect(error).toBeInstanceOf(TemplateRuntimeError);
      expect((error as TemplateRuntimeError).pyType).toBe('TypeError');
      expect((error as TemplateRuntimeError).message).toBe(message);
    }
    const two = pyFunction({ name: 'pair', params: ['a', 'b'] }, () => '');
    expect(catchError(() => render('{{ pair() }}', { pair: two }))?.message).toBe("pair() missing 2 required positional arguments: 'a' and 'b'");
  });

  it('takes defaults from an options object and is callable from TypeScript with Kwargs', () => {
    const f = pyFunction({ name: 'f', params: ['a', 'b', 'c'], defaults: { b: [1], c: 'x' } }, (a: unknown, b: unknown, c: unknown) => [a, b, c]);
    expect(f(0)).toEqual([0, [1], 'x']);
    expect(f(0, new Kwargs({ c: 'y' }))).toEqual([0, [1], 'y']);
    expect(() => f()).toThrow("f() missing 1 required positional argument: 'a'");
  });

  it('gives integral floats to its implementation as numbers', () => {
    const f = pyFunction(['x'], (x: unknown) => typeof x);
    expect(render('{{ f(2.0) }}', { f })).toBe('number');
  });
});

describe('macros called from TypeScript', () => {
  const t = env.fromString(
    "{% macro greet(name, punct='!') %}Hello {{ name }}{{ punct }}{{ kwargs or '' }}{% endmacro %}{% macro rest() %}{{ varargs }}{% endmacro %}",
    'macros/greet.sql',
  );

  it('are plain functions taking positional arguments and a trailing Kwargs', () => {
    const greet = t.macro('greet');
    expect(greet('Ann')).toBe('Hello Ann!');
    expect(greet('Ann', new Kwargs({ punct: '?' }))).toBe('Hello Ann?');
    expect(greet(new Kwargs({ name: 'Bob', extra: 1 }))).toBe("Hello Bob!{'extra': 1}");
    expect(t.macro('rest')(1, 'a')).toBe("(1, 'a')");
    expect(greet.macroName).toBe('greet');
  });

  it('reject arguments the way Jinja2 does', () => {
    expect(() => t.macro('rest')(new Kwargs({ x: 1 }))).toThrow("macro 'rest' takes no keyword argument 'x'");
  });

  it('can be called back from natives', () => {
    const twice = (m: (x: unknown) => string, x: unknown) => m(x) + m(x);
    expect(render("{% macro m(x) %}[{{ x }}]{% endmacro %}{{ twice(m, 'a') }}", { twice })).toBe('[a][a]');
  });
});

function catchError(fn: () => unknown): Error | undefined {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  return undefined;
}
