/**
 * Expressions, with Jinja2's grammar and precedence (lowest first): conditional
 * `a if b else c`, or, and, not, comparisons (chained, in, not in), + -, ~,
 * * / // %, **, unary - +, then filters and tests, which bind tighter than
 * every binary operator; operands are in parse-operand.ts.
 */
import type { BinaryOperator, CompareOperator, Expr } from './ast.js';
import { OperandParser, type TupleOptions } from './parse-operand.js';
import { describeToken, type TokenType } from './tokens.js';

const COMPARE_TOKENS: Partial<Record<TokenType, CompareOperator>> = {
  eq: 'eq',
  ne: 'ne',
  lt: 'lt',
  lteq: 'lteq',
  gt: 'gt',
  gteq: 'gteq',
};
const ADDITIVE: Partial<Record<TokenType, BinaryOperator>> = { add: '+', sub: '-' };
const MULTIPLICATIVE: Partial<Record<TokenType, BinaryOperator>> = { mul: '*', div: '/', floordiv: '//', mod: '%' };
/** `**` is left-associative in Jinja2 (`2 ** 3 ** 2` is 64), unlike Python. */
const POWER: Partial<Record<TokenType, BinaryOperator>> = { pow: '**' };

export class ExpressionParser extends OperandParser {
  parseExpression(withCondexpr = true): Expr {
    return withCondexpr ? this.parseCondexpr() : this.parseOr();
  }

  /** Expressions separated by commas make a tuple; a single one stays itself. */
  parseTuple(options: TupleOptions = {}): Expr {
    const s = this.stream;
    let line = s.current.line;
    const parse = options.simplified ? () => this.parsePrimary(options.withNamespace) : () => this.parseExpression(options.withCondexpr ?? true);
    const items: Expr[] = [];
    let isTuple = false;
    while (true) {
      if (items.length) s.expect('comma');
      if (this.isTupleEnd(options.extraEnd)) break;
      items.push(parse());
      if (!s.test('comma')) break;
      isTuple = true;
      line = s.current.line;
    }
    if (!isTuple) {
      if (items.length) return items[0]!;
      if (!options.explicitParentheses) s.fail(`Expected an expression, got '${describeToken(s.current)}'`);
    }
    return { kind: 'tuple', items, line };
  }

  private isTupleEnd(extraEnd?: string[]): boolean {
    const type = this.stream.current.type;
    if (type === 'variable_end' || type === 'block_end' || type === 'rparen') return true;
    return extraEnd !== undefined && this.stream.testName(...extraEnd);
  }

  private parseCondexpr(): Expr {
    const s = this.stream;
    let line = s.current.line;
    let expr1 = this.parseOr();
    while (s.skipIf('name', 'if')) {
      const test = this.parseOr();
      const expr2 = s.skipIf('name', 'else') ? this.parseCondexpr() : null;
      expr1 = { kind: 'condexpr', test, expr1, expr2, line };
      line = s.current.line;
    }
    return expr1;
  }

  private parseOr(): Expr {
    return this.parseBoolean('or', () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.parseBoolean('and', () => this.parseNot());
  }

  /** Left-associative `a or b or c` (and `and`), each side parsed by `operand`. */
  private parseBoolean(kind: 'and' | 'or', operand: () => Expr): Expr {
    let line = this.stream.current.line;
    let left = operand();
    while (this.stream.skipIf('name', kind)) {
      left = { kind, left, right: operand(), line };
      line = this.stream.current.line;
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.stream.test('name', 'not')) {
      const line = this.stream.next().line;
      return { kind: 'not', node: this.parseNot(), line };
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const s = this.stream;
    let line = s.current.line;
    const expr = this.parseMath1();
    const ops: { op: CompareOperator; expr: Expr }[] = [];
    while (true) {
      const op = COMPARE_TOKENS[s.current.type];
      if (op) {
        s.next();
        ops.push({ op, expr: this.parseMath1() });
      } else if (s.skipIf('name', 'in')) {
        ops.push({ op: 'in', expr: this.parseMath1() });
      } else if (s.test('name', 'not') && s.look().type === 'name' && s.look().value === 'in') {
        s.skip(2);
        ops.push({ op: 'notin', expr: this.parseMath1() });
      } else {
        break;
      }
      line = s.current.line;
    }
    return ops.length ? { kind: 'compare', expr, ops, line } : expr;
  }

  private parseMath1(): Expr {
    return this.parseArithmetic(ADDITIVE, () => this.parseConcat());
  }

  private parseConcat(): Expr {
    const line = this.stream.current.line;
    const nodes = [this.parseMath2()];
    while (this.stream.skipIf('tilde')) nodes.push(this.parseMath2());
    return nodes.length === 1 ? nodes[0]! : { kind: 'concat', nodes, line };
  }

  private parseMath2(): Expr {
    return this.parseArithmetic(MULTIPLICATIVE, () => this.parsePow());
  }

  private parsePow(): Expr {
    return this.parseArithmetic(POWER, () => this.parseUnary());
  }

  /** Left-associative operators of one precedence level (`operators`), operands parsed by `operand`. */
  private parseArithmetic(operators: Partial<Record<TokenType, BinaryOperator>>, operand: () => Expr): Expr {
    let line = this.stream.current.line;
    let left = operand();
    for (let op = operators[this.stream.current.type]; op; op = operators[this.stream.current.type]) {
      this.stream.next();
      left = { kind: 'binop', op, left, right: operand(), line };
      line = this.stream.current.line;
    }
    return left;
  }

  private parseUnary(withFilter = true): Expr {
    const s = this.stream;
    const line = s.current.line;
    let node: Expr;
    if (s.skipIf('sub')) node = { kind: 'neg', node: this.parseUnary(false), line };
    else if (s.skipIf('add')) node = { kind: 'pos', node: this.parseUnary(false), line };
    else node = this.parsePrimary();
    node = this.parsePostfix(node);
    return withFilter ? this.parseFilterExpr(node) : node;
  }
}

/** Jinja2's can_assign(): names, `ns.attr` and tuples of them. */
export function assignable(node: Expr): boolean {
  if (node.kind === 'name' || node.kind === 'nsref') return true;
  return node.kind === 'tuple' && node.items.every(assignable);
}

/** Marks the names of an assignment target as stored (or as parameters). */
export function setContext(node: Expr, ctx: 'store' | 'param'): void {
  if (node.kind === 'name') node.ctx = ctx;
  else if (node.kind === 'tuple') node.items.forEach((item) => setContext(item, ctx));
}
