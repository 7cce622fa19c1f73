/**
 * The statements that define functions: `{% macro %}`, `{% call %}` and the
 * block tags that define macros (dbt's test, materialization, docs), with
 * Jinja2's signatures plus dbt's parameter type annotations.
 */
import type { Expr, MacroNode, NameNode, Stmt } from './ast.js';
import { ExpressionParser } from './parse-expression.js';

/** How a block tag like `{% test name(args) %}...{% endtest %}` names the macro it defines. */
export interface MacroTagSpec {
  /** 'signature': `{% tag name(params) %}`; 'name': `{% tag name %}`; 'materialization': `{% tag name, adapter='x' %}`. */
  form: 'signature' | 'name' | 'materialization';
  /** Prefix of the macro name, e.g. 'test_' → macro `test_not_empty`. */
  prefix: string;
}

export abstract class MacroParser extends ExpressionParser {
  /** The body of a function-like block up to `endTag` (a break inside has no loop to leave). */
  protected abstract parseBody(endTag: string): Stmt[];

  protected parseMacro(): Stmt {
    const line = this.stream.next().line;
    const name = this.parseName();
    const { args, defaults } = this.parseSignature();
    const body = this.parseBody('endmacro');
    return { kind: 'macro', name, args, defaults, body, line };
  }

  protected parseCallBlock(): Stmt {
    const s = this.stream;
    const line = s.next().line;
    const signature = s.test('lparen') ? this.parseSignature() : { args: [], defaults: [] };
    const call = this.parseExpression();
    if (call.kind !== 'call') return s.fail('expected call', line);
    const body = this.parseBody('endcall');
    return { kind: 'callblock', call, ...signature, body, line };
  }

  /** `{% test name(params) %}`, `{% docs name %}`, `{% materialization name, adapter='x' %}`. */
  protected parseMacroTag(tag: string, spec: MacroTagSpec): MacroNode {
    const s = this.stream;
    const line = s.next().line;
    let name = this.parseName();
    let signature: { args: NameNode[]; defaults: Expr[] } = { args: [], defaults: [] };
    if (spec.form === 'signature') signature = this.parseSignature();
    if (spec.form === 'materialization') name = `${name}_${this.parseMaterializationAdapter()}`;
    const body = this.parseBody(`end${tag}`);
    return { kind: 'macro', name: `${spec.prefix}${name}`, ...signature, body, line };
  }

  private parseMaterializationAdapter(): string {
    const s = this.stream;
    let adapter = 'default';
    while (s.skipIf('comma')) {
      const option = s.expect('name');
      if (option.value === 'default') continue;
      if (option.value !== 'adapter' && option.value !== 'supported_languages') {
        s.fail(`materialization option '${String(option.value)}' is not known: use adapter='...' or default`, option.line);
      }
      s.expect('assign');
      const value = this.parseExpression();
      if (option.value === 'adapter') {
        if (value.kind !== 'const' || typeof value.value !== 'string') return s.fail('adapter= must be a string literal', option.line);
        adapter = value.value;
      }
    }
    return adapter;
  }

  private parseName(): string {
    return this.stream.expect('name').value as string;
  }

  /** `(a, b=1, c: str = 'x')`: dbt allows type annotations, which are parsed and ignored. */
  private parseSignature(): { args: NameNode[]; defaults: Expr[] } {
    const s = this.stream;
    const args: NameNode[] = [];
    const defaults: Expr[] = [];
    s.expect('lparen');
    while (!s.test('rparen')) {
      if (args.length) s.expect('comma');
      const token = s.expect('name');
      if (s.skipIf('colon')) this.skipTypeAnnotation();
      if (s.skipIf('assign')) defaults.push(this.parseExpression());
      else if (defaults.length) s.fail('non-default argument follows default argument');
      args.push({ kind: 'name', name: token.value as string, ctx: 'param', line: token.line });
    }
    s.expect('rparen');
    return { args, defaults };
  }

  private skipTypeAnnotation(): void {
    const s = this.stream;
    s.expect('name');
    if (!s.skipIf('lbracket')) return;
    let first = true;
    while (!s.test('rbracket')) {
      if (!first) s.expect('comma');
      this.skipTypeAnnotation();
      first = false;
    }
    s.expect('rbracket');
  }
}
