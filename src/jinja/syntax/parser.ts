/**
 * Tokens → syntax tree: template data, `{{ }}` and the statements dbt templates
 * use (if, for, macro, call, set, filter, with, do, break/continue, print), plus
 * block tags that define macros (dbt's test, materialization, docs).
 * include/import/extends/block are not supported: dbt projects do not use them.
 */
import type { Expr, Stmt, TemplateAst, Target } from './ast.js';
import { assignable, setContext } from './parse-expression.js';
import { MacroParser, type MacroTagSpec } from './parse-macro.js';
import { TokenStream } from './token-stream.js';
import { describeExpected, type Token } from './tokens.js';

const UNSUPPORTED = new Set(['block', 'extends', 'include', 'import', 'from', 'autoescape']);

/** A block tag being parsed, for "innermost block that needs to be closed" messages. */
interface OpenTag {
  name: string;
  line: number;
}

export class Parser extends MacroParser {
  private readonly openTags: OpenTag[] = [];
  private readonly endTokenStack: string[][] = [];
  private loopDepth = 0;

  constructor(
    tokens: Token[],
    private readonly fileName: string,
    private readonly macroTags: Record<string, MacroTagSpec>,
  ) {
    super(new TokenStream(tokens, fileName));
  }

  parse(): TemplateAst {
    return { body: this.subparse(null), fileName: this.fileName };
  }

  private subparse(endTokens: string[] | null): Stmt[] {
    const s = this.stream;
    const body: Stmt[] = [];
    let data: (Expr | { kind: 'data'; data: string; line: number })[] = [];
    const flush = () => {
      if (data.length) body.push({ kind: 'output', nodes: data, line: data[0]!.line });
      data = [];
    };
    if (endTokens) this.endTokenStack.push(endTokens);
    try {
      while (!s.test('eof')) {
        const token = s.current;
        if (token.type === 'data') {
          if (token.value) data.push({ kind: 'data', data: token.value as string, line: token.line });
          s.next();
        } else if (token.type === 'variable_begin') {
          s.next();
          data.push(this.parseTuple({ withCondexpr: true }));
          s.expect('variable_end');
        } else {
          flush();
          s.next();
          if (endTokens?.some((name) => s.test('name', name))) return body;
          body.push(this.parseStatement());
          s.expect('block_end');
        }
      }
      flush();
      return body;
    } finally {
      if (endTokens) this.endTokenStack.pop();
    }
  }

  private parseStatement(): Stmt {
    const s = this.stream;
    const token = s.current;
    if (token.type !== 'name') s.fail('tag name expected', token.line);
    const tag = token.value as string;
    const handler = this.statementHandler(tag);
    if (!handler) this.failUnknownTag(tag, token.line);
    this.openTags.push({ name: tag, line: token.line });
    try {
      return handler();
    } finally {
      this.openTags.pop();
    }
  }

  private statementHandler(tag: string): (() => Stmt) | undefined {
    switch (tag) {
      case 'if':
        return () => this.parseIf();
      case 'for':
        return () => this.parseFor();
      case 'set':
        return () => this.parseSet();
      case 'macro':
        return () => this.parseMacro();
      case 'call':
        return () => this.parseCallBlock();
      case 'filter':
        return () => this.parseFilterBlock();
      case 'with':
        return () => this.parseWith();
      case 'print':
        return () => this.parsePrint();
      case 'do':
        return () => ({ kind: 'exprstmt', line: this.stream.next().line, node: this.parseTuple() });
      case 'break':
      case 'continue':
        return () => this.parseLoopControl(tag);
    }
    if (UNSUPPORTED.has(tag)) {
      return () => this.stream.fail(`'${tag}' is not supported: tspipe templates are dbt models and macros, which call macros instead`);
    }
    const spec = this.macroTags[tag];
    return spec ? () => this.parseMacroTag(tag, spec) : undefined;
  }

  /** Parses statements up to one of the end tags (left current unless dropNeedle). */
  protected parseStatements(endTokens: string[], dropNeedle = false): Stmt[] {
    const s = this.stream;
    s.skipIf('colon');
    s.expect('block_end');
    const body = this.subparse(endTokens);
    if (s.test('eof')) this.failEof(endTokens);
    if (dropNeedle) s.next();
    return body;
  }

  private parseIf(): Stmt {
    const s = this.stream;
    const line = s.expect('name', 'if').line;
    const test = this.parseTuple({ withCondexpr: false });
    const body = this.parseStatements(['elif', 'else', 'endif']);
    const node: Stmt & { kind: 'if' } = { kind: 'if', test, body, elifs: [], else_: [], line };
    while (true) {
      const token = s.next();
      if (token.value === 'elif') {
        const elifLine = s.current.line;
        const elifTest = this.parseTuple({ withCondexpr: false });
        node.elifs.push({ test: elifTest, body: this.parseStatements(['elif', 'else', 'endif']), line: elifLine });
        continue;
      }
      if (token.value === 'else') node.else_ = this.parseStatements(['endif'], true);
      return node;
    }
  }

  private parseFor(): Stmt {
    const s = this.stream;
    const line = s.expect('name', 'for').line;
    const target = this.parseAssignTarget({ extraEnd: ['in'] });
    s.expect('name', 'in');
    const iter = this.parseTuple({ withCondexpr: false, extraEnd: ['recursive'] });
    const test = s.skipIf('name', 'if') ? this.parseExpression() : null;
    const recursive = s.skipIf('name', 'recursive');
    this.loopDepth++;
    const body = this.parseStatements(['endfor', 'else']);
    this.loopDepth--;
    const else_ = s.next().value === 'endfor' ? [] : this.parseStatements(['endfor'], true);
    return { kind: 'for', target, iter, body, else_, test, recursive, line };
  }

  private parseLoopControl(tag: 'break' | 'continue'): Stmt {
    const token = this.stream.next();
    if (this.loopDepth === 0) this.stream.fail(`'${tag}' outside loop`, token.line);
    return { kind: tag, line: token.line };
  }

  private parseSet(): Stmt {
    const s = this.stream;
    const line = s.next().line;
    const target = this.parseAssignTarget({ withNamespace: true });
    if (s.skipIf('assign')) return { kind: 'assign', target, node: this.parseTuple(), line };
    const filter = this.parseFilter(null) as (Stmt & { kind: 'assignblock' })['filter'];
    const body = this.parseStatements(['endset'], true);
    return { kind: 'assignblock', target, filter, body, line };
  }

  private parseWith(): Stmt {
    const s = this.stream;
    const line = s.next().line;
    const targets: Target[] = [];
    const values: Expr[] = [];
    while (!s.test('block_end')) {
      if (targets.length) s.expect('comma');
      const target = this.parseAssignTarget();
      setContext(target, 'param');
      targets.push(target);
      s.expect('assign');
      values.push(this.parseExpression());
    }
    return { kind: 'with', targets, values, body: this.parseStatements(['endwith'], true), line };
  }

  private parseFilterBlock(): Stmt {
    const line = this.stream.next().line;
    const filter = this.parseFilter(null, true) as (Stmt & { kind: 'filterblock' })['filter'];
    return { kind: 'filterblock', filter, body: this.parseStatements(['endfilter'], true), line };
  }

  private parsePrint(): Stmt {
    const s = this.stream;
    const line = s.next().line;
    const nodes: Expr[] = [];
    while (!s.test('block_end')) {
      if (nodes.length) s.expect('comma');
      nodes.push(this.parseExpression());
    }
    return { kind: 'output', nodes, line };
  }

  private parseAssignTarget(options: { extraEnd?: string[]; withNamespace?: boolean } = {}): Target {
    const target = this.parseTuple({ simplified: true, ...options });
    setContext(target, 'store');
    if (!assignable(target)) this.stream.fail(`can't assign to '${target.kind}'`, target.line);
    return target;
  }

  protected parseBody(endTag: string): Stmt[] {
    return this.withoutLoop(() => this.parseStatements([endTag], true));
  }

  /** Macro and call bodies are functions: a break inside one has no loop to leave. */
  private withoutLoop<T>(parse: () => T): T {
    const depth = this.loopDepth;
    this.loopDepth = 0;
    try {
      return parse();
    } finally {
      this.loopDepth = depth;
    }
  }

  private failUnknownTag(name: string, line: number): never {
    this.failUnexpected(name, this.endTokenStack, line);
  }

  private failEof(endTokens: string[]): never {
    this.failUnexpected(null, [...this.endTokenStack, endTokens], this.stream.current.line);
  }

  private failUnexpected(name: string | null, stack: string[][], line: number): never {
    const expected = new Set(stack.flat());
    const looking = stack.length ? stack[stack.length - 1]!.map((t) => `'${describeExpected(`name:${t}`)}'`).join(' or ') : null;
    const message = [name === null ? 'Unexpected end of template.' : `Encountered unknown tag '${name}'.`];
    if (looking) {
      if (name !== null && expected.has(name)) {
        message.push(`You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for ${looking}.`);
      } else {
        message.push(`Jinja was looking for the following tags: ${looking}.`);
      }
    }
    const open = this.openTags[this.openTags.length - 1];
    if (open) message.push(`The innermost block that needs to be closed is '${open.name}', opened at line ${open.line}.`);
    this.stream.fail(message.join(' '), line);
  }
}
