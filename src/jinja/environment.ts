/**
 * The Environment: options (as dbt configures Jinja2: sandboxed, `do` and
 * loop controls on, default Undefined), globals, filters and tests, and the
 * way from source text to a Template.
 */
import { makeFilters } from './builtins/filters.js';
import { makeGlobals } from './builtins/globals.js';
import { makeTests } from './builtins/tests.js';
import type { RuntimeEnvironment } from './runtime/frame.js';
import type { TemplateAst } from './syntax/ast.js';
import { tokenize } from './syntax/lexer.js';
import type { MacroTagSpec } from './syntax/parse-macro.js';
import { Parser } from './syntax/parser.js';
import { Template } from './template.js';
import { ChainableUndefined, Undefined } from './values/undefined.js';

export type { MacroTagSpec } from './syntax/parse-macro.js';

export interface EnvironmentOptions {
  /** 'default' = jinja2.Undefined. 'chainable' = like jinja2.ChainableUndefined plus calling an
   *  undefined gives undefined (dbt's parse pass: nothing undefined fails while parsing). */
  undefined?: 'default' | 'chainable';
  /** Default false, as Jinja2. */
  keepTrailingNewline?: boolean;
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
  /** Block tags that define a macro, as dbt's extensions do (see DBT_MACRO_TAGS). */
  macroTags?: Record<string, MacroTagSpec>;
}

/**
 * dbt's three macro-defining tags: `{% test not_empty(model) %}` → macro
 * `test_not_empty`; `{% materialization table, adapter='postgres' %}` →
 * `materialization_table_postgres` (`default` → `_default`); `{% docs name %}` → `docs_name`.
 */
export const DBT_MACRO_TAGS: Record<string, MacroTagSpec> = {
  test: { form: 'signature', prefix: 'test_' },
  materialization: { form: 'materialization', prefix: 'materialization_' },
  docs: { form: 'name', prefix: 'docs_' },
};

export type FilterFn = (...args: any[]) => unknown;
export type TestFn = (...args: any[]) => unknown;

export class Environment implements RuntimeEnvironment {
  /** Jinja globals: range, dict, namespace, cycler, joiner, lipsum. Add your own. */
  readonly globals: Record<string, unknown>;
  /** Every Jinja2 builtin filter; a filter is called with the value first (and `this` = the environment). */
  readonly filters: Record<string, FilterFn>;
  readonly tests: Record<string, TestFn>;
  private readonly undefinedClass: typeof Undefined;

  constructor(readonly options: EnvironmentOptions = {}) {
    this.undefinedClass = options.undefined === 'chainable' ? ChainableUndefined : Undefined;
    this.globals = makeGlobals();
    this.filters = makeFilters();
    this.tests = makeTests();
  }

  undefined(name?: unknown, hint?: string, obj?: unknown, errorType?: 'UndefinedError' | 'SecurityError'): Undefined {
    return new this.undefinedClass(name, hint, obj, errorType);
  }

  /** Source → syntax tree; throws TemplateSyntaxError with the file and line. */
  parse(source: string, fileName: string): TemplateAst {
    const tokens = tokenize(source, fileName, {
      trimBlocks: this.options.trimBlocks ?? false,
      lstripBlocks: this.options.lstripBlocks ?? false,
      keepTrailingNewline: this.options.keepTrailingNewline ?? false,
    });
    return new Parser(tokens, fileName, this.options.macroTags ?? {}).parse();
  }

  /** Parses and compiles (nothing is cached). */
  fromString(source: string, fileName: string): Template {
    return new Template(this, this.parse(source, fileName));
  }
}
