/** The parser's view of the tokens: one current token, look-ahead of one, Jinja2's error wording. */
import { TemplateSyntaxError } from '../errors.js';
import { describeExpected, describeToken, type Token, type TokenType } from './tokens.js';

export class TokenStream {
  private index = 0;
  current: Token;

  constructor(
    private readonly tokens: Token[],
    readonly fileName: string,
  ) {
    this.current = tokens[0]!;
  }

  /** Moves one token on and returns the one that was current. */
  next(): Token {
    const token = this.current;
    if (token.type !== 'eof') this.current = this.tokens[++this.index]!;
    return token;
  }

  look(): Token {
    return this.tokens[Math.min(this.index + 1, this.tokens.length - 1)]!;
  }

  skip(n: number): void {
    for (let i = 0; i < n; i++) this.next();
  }

  /** Whether the current token is `type` (and has `value`, for names). */
  test(type: TokenType, value?: string): boolean {
    return this.current.type === type && (value === undefined || this.current.value === value);
  }

  testName(...values: string[]): boolean {
    return this.current.type === 'name' && values.includes(this.current.value as string);
  }

  skipIf(type: TokenType, value?: string): boolean {
    if (!this.test(type, value)) return false;
    this.next();
    return true;
  }

  expect(type: TokenType, value?: string): Token {
    if (this.test(type, value)) return this.next();
    const expected = describeExpected(value === undefined ? type : `${type}:${value}`);
    if (this.current.type === 'eof') {
      this.fail(`unexpected end of template, expected '${expected}'.`);
    }
    this.fail(`expected token '${expected}', got '${describeToken(this.current)}'`);
  }

  fail(message: string, line = this.current.line): never {
    throw new TemplateSyntaxError(message, this.fileName, line);
  }
}
