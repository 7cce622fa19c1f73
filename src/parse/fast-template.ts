/**
 * A fast path for the templates most models are: text, `{# comments #}` and
 * `{{ expr }}` outputs (with `-` whitespace control), where expr is a literal, a
 * name, `a.b`, a list or dict, or a call with such arguments (keywords too).
 * nunjucks' lexer, parser, compiler and `new Function` cost ~0.25 ms a template:
 * seconds for 10,000 models. Anything else gives undefined and goes to nunjucks.
 * Every rule here follows nunjucks' lexer.js and parser.js, so that an accepted
 * template means exactly what nunjucks makes of it; when in doubt, give up.
 */

export type FastExpr =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'symbol'; name: string }
  | { kind: 'member'; target: FastExpr; name: string }
  | { kind: 'array'; items: FastExpr[] }
  | { kind: 'dict'; entries: [string, FastExpr][] }
  | { kind: 'call'; callee: FastExpr; args: FastExpr[]; kwargs: [string, FastExpr][] };

/** Template text (whitespace control already applied), or an expression to output. */
export type FastSegment = string | FastExpr;

export interface FastTemplate {
  segments: FastSegment[];
}

/** Where nunjucks' data scanning stops: tag starts, and `#}` (an error outside a comment). */
const TAG = /\{\{|\{%|\{#|#\}/g;
/** Words nunjucks' expression parser treats as operators, not as names to look up. */
const KEYWORDS = new Set(['not', 'in', 'is', 'if', 'else', 'and', 'or']);

/** Thrown inside the parser to give up on the fast path. */
class NotFast extends Error {}

export function parseFastTemplate(source: string): FastTemplate | undefined {
  try {
    return { segments: parseSegments(source) };
  } catch (error) {
    if (error instanceof NotFast) return undefined;
    throw error;
  }
}

function parseSegments(source: string): FastSegment[] {
  const segments: FastSegment[] = [];
  const tags = TAG;
  let pos = 0;
  // Set by a tag ending in `-}}`/`-#}`: the next text loses its leading whitespace.
  let dropLeading = false;
  while (pos < source.length) {
    tags.lastIndex = pos;
    const match = tags.exec(source);
    const start = match ? match.index : source.length;
    if (start > pos) {
      let text = source.slice(pos, start);
      if (dropLeading) text = text.replace(/^\s*/, '');
      if (match && source[start + 2] === '-' && (match[0] === '{{' || match[0] === '{#')) text = text.replace(/\s*$/, '');
      if (text) segments.push(text);
    }
    if (!match) break;
    if (match[0] === '{%' || match[0] === '#}') throw new NotFast();
    if (match[0] === '{#') {
      const end = source.indexOf('#}', start + 2);
      if (end < 0) throw new NotFast();
      dropLeading = source[end - 1] === '-';
      pos = end + 2;
      continue;
    }
    const reader = new CodeReader(source, start + (source[start + 2] === '-' ? 3 : 2));
    segments.push(parseExpression(reader));
    const end = reader.next();
    if (end.type !== 'end') throw new NotFast();
    dropLeading = end.value === '-}}';
    pos = reader.pos;
  }
  return segments;
}

type TokenType = 'string' | 'number' | 'boolean' | 'none' | 'name' | 'punct' | 'end';
interface Token {
  type: TokenType;
  value: string;
}

/**
 * One token of nunjucks' code mode (after its whitespace, which is exactly these
 * five characters): a quoted string without backslashes, the end of the tag, one
 * of the punctuation marks the fast path knows (not `==`), a number, a name. A
 * regex runs as native code even before the JIT warms up, which matters when each
 * of 10,000 templates is lexed once. No match (e.g. `%}`, `|`, `+`): not fast.
 */
const CODE_TOKEN = /[ \n\t\r\u00a0]*(?:'([^'\\]*)'|"([^"\\]*)"|(-?\}\})|([()[\]{},:.]|=(?!=))|([0-9]+(?:\.[0-9]*)?)|([A-Za-z_][A-Za-z0-9_]*))/y;
const TOKEN_TYPES: TokenType[] = ['string', 'string', 'end', 'punct', 'number', 'name'];

/** nunjucks' lexer in code mode, for the tokens the fast path knows. */
class CodeReader {
  private peeked: Token | undefined;

  constructor(
    private readonly source: string,
    public pos: number,
  ) {}

  peek(): Token {
    this.peeked ??= this.read();
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = undefined;
    return token;
  }

  private read(): Token {
    CODE_TOKEN.lastIndex = this.pos;
    const match = CODE_TOKEN.exec(this.source);
    if (!match) throw new NotFast();
    this.pos = CODE_TOKEN.lastIndex;
    const group = match.findIndex((m, i) => i > 0 && m !== undefined);
    const type = TOKEN_TYPES[group - 1]!;
    const value = match[group]!;
    if (type !== 'name') return { type, value };
    if (value === 'true' || value === 'false') return { type: 'boolean', value };
    if (value === 'none' || value === 'null') return { type: 'none', value };
    // `r/.../` is a regex literal to nunjucks.
    if (KEYWORDS.has(value) || (value === 'r' && this.source[this.pos] === '/')) throw new NotFast();
    return { type, value };
  }
}

function parseExpression(reader: CodeReader): FastExpr {
  return parsePostfix(reader, parsePrimary(reader));
}

function parsePrimary(reader: CodeReader): FastExpr {
  const token = reader.next();
  switch (token.type) {
    case 'string':
      return { kind: 'literal', value: token.value };
    case 'number':
      // nunjucks: parseInt for `7`, parseFloat for `7.` and `7.5`.
      return { kind: 'literal', value: token.value.includes('.') ? parseFloat(token.value) : parseInt(token.value, 10) };
    case 'boolean':
      return { kind: 'literal', value: token.value === 'true' };
    case 'none':
      return { kind: 'literal', value: null };
    case 'name':
      return { kind: 'symbol', name: token.value };
    case 'punct':
      if (token.value === '[') return { kind: 'array', items: parseList(reader, ']', () => parseExpression(reader)) };
      if (token.value === '{') return { kind: 'dict', entries: parseList(reader, '}', () => parseDictEntry(reader)) };
      throw new NotFast();
    default:
      throw new NotFast();
  }
}

function parsePostfix(reader: CodeReader, node: FastExpr): FastExpr {
  for (;;) {
    const token = reader.peek();
    if (token.type !== 'punct') return node;
    if (token.value === '.') {
      reader.next();
      const name = reader.next();
      if (name.type !== 'name') throw new NotFast();
      node = { kind: 'member', target: node, name: name.value };
    } else if (token.value === '(') {
      reader.next();
      node = parseCall(reader, node);
    } else if (token.value === '[') {
      throw new NotFast();
    } else return node;
  }
}

/** nunjucks puts keyword arguments, wherever written, after the positional ones. */
function parseCall(reader: CodeReader, callee: FastExpr): FastExpr {
  const args: FastExpr[] = [];
  const kwargs: [string, FastExpr][] = [];
  parseList(reader, ')', () => {
    const arg = parseExpression(reader);
    const token = reader.peek();
    if (token.type === 'punct' && token.value === '=') {
      reader.next();
      if (arg.kind !== 'symbol' || arg.name === '__proto__') throw new NotFast();
      kwargs.push([arg.name, parseExpression(reader)]);
    } else args.push(arg);
    return arg;
  });
  return { kind: 'call', callee, args, kwargs };
}

function parseDictEntry(reader: CodeReader): [string, FastExpr] {
  const key = reader.next();
  if ((key.type !== 'string' && key.type !== 'name') || key.value === '__proto__') throw new NotFast();
  const colon = reader.next();
  if (colon.type !== 'punct' || colon.value !== ':') throw new NotFast();
  return [key.value, parseExpression(reader)];
}

/** Comma-separated items up to `close`; no trailing comma (nunjucks rejects one). */
function parseList<T>(reader: CodeReader, close: string, item: () => T): T[] {
  const items: T[] = [];
  for (;;) {
    const token = reader.peek();
    if (token.type === 'punct' && (token.value === ')' || token.value === ']' || token.value === '}')) {
      // nunjucks closes any bracket with any closer; keep to the matching one.
      if (token.value !== close) throw new NotFast();
      reader.next();
      return items;
    }
    if (items.length) {
      const comma = reader.next();
      if (comma.type !== 'punct' || comma.value !== ',') throw new NotFast();
    }
    items.push(item());
  }
}
