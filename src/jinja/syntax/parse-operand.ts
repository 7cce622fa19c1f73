/**
 * Operands of expressions: names, literals (strings, numbers, lists, dicts,
 * parenthesised tuples), then postfix `.attr`, `[item]`, `[a:b:c]` and calls,
 * filters `| name(args)` and tests `is name arg`.
 */
import type { CallArgs, CallNode, Expr, FilterNode } from './ast.js';
import type { TokenStream } from './token-stream.js';
import { describeToken, type TokenType } from './tokens.js';

const TEST_ARGUMENT_STARTS = new Set<TokenType>(['name', 'string', 'integer', 'float', 'lparen', 'lbracket', 'lbrace']);

export interface TupleOptions {
  /** Only names and literals (assignment targets). */
  simplified?: boolean;
  withCondexpr?: boolean;
  /** Name tokens that end the tuple besides `%}`, `}}` and `)` (e.g. `in` after a for target). */
  extraEnd?: string[];
  explicitParentheses?: boolean;
  withNamespace?: boolean;
}

export abstract class OperandParser {
  constructor(protected readonly stream: TokenStream) {}

  abstract parseExpression(withCondexpr?: boolean): Expr;
  abstract parseTuple(options?: TupleOptions): Expr;

  protected parsePrimary(withNamespace = false): Expr {
    const s = this.stream;
    const token = s.current;
    switch (token.type) {
      case 'name': {
        s.next();
        const name = token.value as string;
        if (name === 'true' || name === 'True') return { kind: 'const', value: true, line: token.line };
        if (name === 'false' || name === 'False') return { kind: 'const', value: false, line: token.line };
        if (name === 'none' || name === 'None') return { kind: 'const', value: null, line: token.line };
        if (withNamespace && s.test('dot')) {
          s.next();
          const attr = s.expect('name').value as string;
          return { kind: 'nsref', name, attr, line: token.line };
        }
        return { kind: 'name', name, ctx: 'load', line: token.line };
      }
      case 'string': {
        s.next();
        let value = token.value as string;
        while (s.test('string')) value += s.next().value as string;
        return { kind: 'const', value, line: token.line };
      }
      case 'integer':
      case 'float':
        s.next();
        return { kind: 'const', value: token.value, line: token.line };
      case 'lparen': {
        s.next();
        const node = this.parseTuple({ explicitParentheses: true });
        s.expect('rparen');
        return node;
      }
      case 'lbracket':
        return this.parseList();
      case 'lbrace':
        return this.parseDict();
      default:
        return s.fail(`unexpected '${describeToken(token)}'`, token.line);
    }
  }

  private parseList(): Expr {
    const s = this.stream;
    const line = s.expect('lbracket').line;
    const items: Expr[] = [];
    while (!s.test('rbracket')) {
      if (items.length) s.expect('comma');
      if (s.test('rbracket')) break;
      items.push(this.parseExpression());
    }
    s.expect('rbracket');
    return { kind: 'list', items, line };
  }

  private parseDict(): Expr {
    const s = this.stream;
    const line = s.expect('lbrace').line;
    const items: { key: Expr; value: Expr }[] = [];
    while (!s.test('rbrace')) {
      if (items.length) s.expect('comma');
      if (s.test('rbrace')) break;
      const key = this.parseExpression();
      s.expect('colon');
      items.push({ key, value: this.parseExpression() });
    }
    s.expect('rbrace');
    return { kind: 'dict', items, line };
  }

  protected parsePostfix(node: Expr): Expr {
    while (true) {
      const type = this.stream.current.type;
      if (type === 'dot' || type === 'lbracket') node = this.parseSubscript(node);
      else if (type === 'lparen') node = this.parseCall(node);
      else return node;
    }
  }

  protected parseFilterExpr(node: Expr): Expr {
    while (true) {
      const s = this.stream;
      if (s.test('pipe')) node = this.parseFilter(node)!;
      else if (s.test('name', 'is')) node = this.parseTest(node);
      else if (s.test('lparen')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseSubscript(node: Expr): Expr {
    const s = this.stream;
    const token = s.next();
    if (token.type === 'dot') {
      const attr = s.next();
      if (attr.type === 'name') return { kind: 'getattr', node, attr: attr.value as string, line: token.line };
      if (attr.type !== 'integer') s.fail('expected name or number', attr.line);
      return { kind: 'getitem', node, arg: { kind: 'const', value: attr.value, line: attr.line }, line: token.line };
    }
    const args: Expr[] = [];
    while (!s.test('rbracket')) {
      if (args.length) s.expect('comma');
      args.push(this.parseSubscribed());
    }
    s.expect('rbracket');
    const arg: Expr = args.length === 1 ? args[0]! : { kind: 'tuple', items: args, line: token.line };
    return { kind: 'getitem', node, arg, line: token.line };
  }

  private parseSubscribed(): Expr {
    const s = this.stream;
    const line = s.current.line;
    let start: Expr | null = null;
    if (s.test('colon')) {
      s.next();
    } else {
      const node = this.parseExpression();
      if (!s.test('colon')) return node;
      s.next();
      start = node;
    }
    const endsPart = () => s.test('rbracket') || s.test('comma');
    let stop: Expr | null = null;
    if (!s.test('colon') && !endsPart()) stop = this.parseExpression();
    let step: Expr | null = null;
    if (s.test('colon')) {
      s.next();
      if (!endsPart()) step = this.parseExpression();
    }
    return { kind: 'slice', start, stop, step, line };
  }

  protected parseCallArgs(): CallArgs {
    const s = this.stream;
    const token = s.expect('lparen');
    const result: CallArgs = { args: [], kwargs: [], dynArgs: null, dynKwargs: null };
    const ensure = (ok: boolean) => {
      if (!ok) s.fail('invalid syntax for function call expression', token.line);
    };
    let requireComma = false;
    while (!s.test('rparen')) {
      if (requireComma) {
        s.expect('comma');
        if (s.test('rparen')) break;
      }
      if (s.test('mul')) {
        ensure(result.dynArgs === null && result.dynKwargs === null);
        s.next();
        result.dynArgs = this.parseExpression();
      } else if (s.test('pow')) {
        ensure(result.dynKwargs === null);
        s.next();
        result.dynKwargs = this.parseExpression();
      } else if (s.test('name') && s.look().type === 'assign') {
        ensure(result.dynKwargs === null);
        const key = s.current.value as string;
        s.skip(2);
        result.kwargs.push({ key, value: this.parseExpression() });
      } else {
        ensure(result.dynArgs === null && result.dynKwargs === null && result.kwargs.length === 0);
        result.args.push(this.parseExpression());
      }
      requireComma = true;
    }
    s.expect('rparen');
    return result;
  }

  private parseCall(node: Expr): CallNode {
    const line = this.stream.current.line;
    return { kind: 'call', node, ...this.parseCallArgs(), line };
  }

  /** `| name(args)` filters; with startInline the first has no pipe (`{% filter upper %}`). */
  protected parseFilter(node: Expr | null, startInline = false): FilterNode | Expr | null {
    const s = this.stream;
    while (s.test('pipe') || startInline) {
      if (!startInline) s.next();
      const token = s.expect('name');
      let name = token.value as string;
      while (s.test('dot')) {
        s.next();
        name += `.${s.expect('name').value as string}`;
      }
      const args = s.test('lparen') ? this.parseCallArgs() : { args: [], kwargs: [], dynArgs: null, dynKwargs: null };
      node = { kind: 'filter', node, name, ...args, line: token.line };
      startInline = false;
    }
    return node;
  }

  private parseTest(node: Expr): Expr {
    const s = this.stream;
    const token = s.next();
    const negated = s.skipIf('name', 'not');
    let name = s.expect('name').value as string;
    while (s.test('dot')) {
      s.next();
      name += `.${s.expect('name').value as string}`;
    }
    let args: CallArgs = { args: [], kwargs: [], dynArgs: null, dynKwargs: null };
    if (s.test('lparen')) {
      args = this.parseCallArgs();
    } else if (TEST_ARGUMENT_STARTS.has(s.current.type) && !s.testName('else', 'or', 'and')) {
      if (s.test('name', 'is')) s.fail('You cannot chain multiple tests with is');
      args.args = [this.parsePostfix(this.parsePrimary())];
    }
    const test: Expr = { kind: 'test', node, name, ...args, line: token.line };
    return negated ? { kind: 'not', node: test, line: token.line } : test;
  }
}
