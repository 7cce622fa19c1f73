/**
 * Template source → tokens, by Jinja2's lexer rules: `{{ }}`, `{% %}`, `{# #}`,
 * `-`/`+` whitespace control, trim_blocks/lstrip_blocks, `{% raw %}`, the
 * trailing-newline rule, and Python literals inside tags.
 */
import { TemplateSyntaxError } from '../errors.js';
import { pyFloat } from '../values/py-float.js';
import { unescapeString } from './string-literal.js';
import { OPERATORS, type Token, type TokenType } from './tokens.js';

export interface LexerOptions {
  trimBlocks: boolean;
  lstripBlocks: boolean;
  keepTrailingNewline: boolean;
}

const TAG_START = /\{[{%#]/g;
const RAW_BEGIN = /\{%([-+]?)\s*raw\s*(?:-%\}\s*|%\})/y;
const WHITESPACE = /\s+/y;
const FLOAT = /(?<!\.)(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?e[+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/iy;
const INTEGER = /0b(?:_?[01])+|0o(?:_?[0-7])+|0x(?:_?[\da-f])+|[1-9](?:_?\d)*|0(?:_?0)*/iy;
const NAME = /[\p{ID_Start}_][\p{ID_Continue}]*/uy;
const STRING = /'([^'\\]*(?:\\[\s\S][^'\\]*)*)'|"([^"\\]*(?:\\[\s\S][^"\\]*)*)"/y;
const OPERATOR = /\/\/|\*\*|==|!=|>=|<=|[+\-/*%~[\](){}><=.:|,;]/y;
const ALL_WHITESPACE = /^\s+$/;

export function tokenize(source: string, fileName: string, options: LexerOptions): Token[] {
  return new Lexer(normalizeNewlines(source, options.keepTrailingNewline), fileName, options).run();
}

/** Every line break becomes \n; one trailing newline is dropped unless kept (as Jinja2). */
function normalizeNewlines(source: string, keepTrailingNewline: boolean): string {
  if (!/[\r\n]/.test(source)) return source;
  const lines = source.split(/\r\n|\r|\n/);
  if (!keepTrailingNewline && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

class Lexer {
  private readonly tokens: Token[] = [];
  private pos = 0;
  private line = 1;
  /** Whether the text just consumed ended a line (for lstrip_blocks). */
  private lineStarting = true;
  private readonly blockEnd: RegExp;
  private readonly commentEnd: RegExp;
  private readonly rawEnd: RegExp;

  constructor(
    private readonly src: string,
    private readonly fileName: string,
    private readonly options: LexerOptions,
  ) {
    const suffix = options.trimBlocks ? '\\n?' : '';
    this.blockEnd = new RegExp(`\\+%\\}|-%\\}\\s*|%\\}${suffix}`, 'y');
    this.commentEnd = new RegExp(`([\\s\\S]*?)(\\+#\\}|-#\\}\\s*|#\\}${suffix})`, 'y');
    this.rawEnd = new RegExp(`([\\s\\S]*?)\\{%([-+]?)\\s*endraw\\s*(?:\\+%\\}|-%\\}\\s*|%\\}${suffix})`, 'y');
  }

  run(): Token[] {
    const src = this.src;
    while (this.pos < src.length) {
      TAG_START.lastIndex = this.pos;
      const found = TAG_START.exec(src);
      if (!found) {
        this.push('data', src.slice(this.pos));
        break;
      }
      const start = found.index;
      const kind = src[start + 1];
      let tagLength = 2;
      let sign = '';
      RAW_BEGIN.lastIndex = start;
      const raw = kind === '%' ? RAW_BEGIN.exec(src) : null;
      if (raw) {
        tagLength = raw[0].length;
        sign = raw[1]!;
      } else if (src[start + 2] === '-' || src[start + 2] === '+') {
        sign = src[start + 2]!;
        tagLength = 3;
      }
      this.leadingText(src.slice(this.pos, start), sign, kind === '{');
      const tag = src.slice(start, start + tagLength);
      this.pos = start + tagLength;
      this.lineStarting = tag.endsWith('\n');
      if (raw) {
        this.line += countNewlines(tag);
        this.rawBody();
      } else if (kind === '#') this.comment();
      else this.tagBody(kind === '{' ? 'variable' : 'block');
    }
    this.tokens.push({ type: 'eof', value: '', line: this.line });
    return this.tokens;
  }

  /** The text before a tag, with `-` or lstrip_blocks whitespace removal applied. */
  private leadingText(text: string, sign: string, isVariable: boolean): void {
    let stripped = 0;
    if (sign === '-') {
      const kept = text.trimEnd();
      stripped = countNewlines(text.slice(kept.length));
      text = kept;
    } else if (sign !== '+' && this.options.lstripBlocks && !isVariable) {
      const lineStart = text.lastIndexOf('\n') + 1;
      if ((lineStart > 0 || this.lineStarting) && ALL_WHITESPACE.test(text.slice(lineStart))) {
        text = text.slice(0, lineStart);
      }
    }
    if (text) this.push('data', text);
    this.line += stripped;
  }

  private comment(): void {
    this.commentEnd.lastIndex = this.pos;
    const m = this.commentEnd.exec(this.src);
    if (!m) throw new TemplateSyntaxError('Missing end of comment tag', this.fileName, this.line);
    this.line += countNewlines(m[0]);
    this.pos += m[0].length;
    this.lineStarting = m[0].endsWith('\n');
  }

  private rawBody(): void {
    this.rawEnd.lastIndex = this.pos;
    const m = this.rawEnd.exec(this.src);
    if (!m) throw new TemplateSyntaxError('Missing end of raw directive', this.fileName, this.line);
    const endTag = m[0].slice(m[1]!.length);
    this.leadingText(m[1]!, m[2]!, false);
    this.line += countNewlines(endTag);
    this.pos += m[0].length;
    this.lineStarting = m[0].endsWith('\n');
  }

  /** Tokens inside `{{ }}` or `{% %}` up to the matching end. */
  private tagBody(state: 'variable' | 'block'): void {
    const src = this.src;
    const end = state === 'block' ? this.blockEnd : /-\}\}\s*|\}\}/y;
    this.push(state === 'block' ? 'block_begin' : 'variable_begin', '');
    const balancing: string[] = [];
    while (true) {
      if (this.pos >= src.length) return;
      if (balancing.length === 0) {
        end.lastIndex = this.pos;
        const m = end.exec(src);
        if (m) {
          this.push(state === 'block' ? 'block_end' : 'variable_end', '');
          this.line += countNewlines(m[0]);
          this.pos += m[0].length;
          this.lineStarting = m[0].endsWith('\n');
          return;
        }
      }
      this.tagToken(balancing);
    }
  }

  private tagToken(balancing: string[]): void {
    const src = this.src;
    const at = this.pos;
    const m = matchAt(WHITESPACE, src, at);
    if (m) {
      this.line += countNewlines(m);
      this.pos += m.length;
      this.lineStarting = m.endsWith('\n');
      return;
    }
    let text: string | null;
    if ((text = matchAt(FLOAT, src, at))) this.pushAt('float', pyFloat(Number(text.replace(/_/g, ''))), text);
    else if ((text = matchAt(INTEGER, src, at))) this.pushAt('integer', parseInteger(text), text);
    else if ((text = matchAt(NAME, src, at))) this.pushAt('name', text, text);
    else if ((text = matchAt(STRING, src, at))) this.pushAt('string', this.stringValue(text), text);
    else if ((text = matchAt(OPERATOR, src, at))) {
      this.balance(text, balancing);
      this.pushAt(OPERATORS[text]!, text, text);
    } else {
      throw new TemplateSyntaxError(`unexpected char ${quoteChar(src[at]!)} at ${at}`, this.fileName, this.line);
    }
  }

  private balance(op: string, balancing: string[]): void {
    if (op === '{') balancing.push('}');
    else if (op === '(') balancing.push(')');
    else if (op === '[') balancing.push(']');
    else if (op === '}' || op === ')' || op === ']') {
      const expected = balancing.pop();
      if (expected === undefined) throw new TemplateSyntaxError(`unexpected '${op}'`, this.fileName, this.line);
      if (expected !== op) {
        throw new TemplateSyntaxError(`unexpected '${op}', expected '${expected}'`, this.fileName, this.line);
      }
    }
  }

  private stringValue(literal: string): string {
    try {
      return unescapeString(literal.slice(1, -1));
    } catch (e) {
      throw new TemplateSyntaxError((e as Error).message, this.fileName, this.line);
    }
  }

  private push(type: TokenType, value: unknown): void {
    this.tokens.push({ type, value, line: this.line });
    if (type === 'data') this.line += countNewlines(value as string);
  }

  private pushAt(type: TokenType, value: unknown, text: string): void {
    this.tokens.push({ type, value, line: this.line });
    this.line += countNewlines(text);
    this.pos += text.length;
    this.lineStarting = text.endsWith('\n');
  }
}

function matchAt(re: RegExp, src: string, at: number): string | null {
  re.lastIndex = at;
  const m = re.exec(src);
  return m ? m[0] : null;
}

function parseInteger(text: string): number {
  return Number(text.replace(/_/g, ''));
}

function quoteChar(ch: string): string {
  if (ch === "'") return `"'"`;
  if (ch === '\\') return `'\\\\'`;
  return `'${ch}'`;
}
