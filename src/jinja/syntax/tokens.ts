/** The lexer's tokens and how syntax errors name them (Jinja2's describe_token). */

export type TokenType =
  | 'data'
  | 'variable_begin'
  | 'variable_end'
  | 'block_begin'
  | 'block_end'
  | 'name'
  | 'string'
  | 'integer'
  | 'float'
  | 'eof'
  | OperatorType;

type OperatorType =
  | 'add'
  | 'sub'
  | 'div'
  | 'floordiv'
  | 'mul'
  | 'mod'
  | 'pow'
  | 'tilde'
  | 'lbracket'
  | 'rbracket'
  | 'lparen'
  | 'rparen'
  | 'lbrace'
  | 'rbrace'
  | 'eq'
  | 'ne'
  | 'gt'
  | 'gteq'
  | 'lt'
  | 'lteq'
  | 'assign'
  | 'dot'
  | 'colon'
  | 'pipe'
  | 'comma'
  | 'semicolon';

export interface Token {
  readonly type: TokenType;
  /** name/string/data: the text; integer/float: the number; operators: the symbol. */
  readonly value: unknown;
  readonly line: number;
}

export const OPERATORS: Record<string, OperatorType> = {
  '+': 'add',
  '-': 'sub',
  '/': 'div',
  '//': 'floordiv',
  '*': 'mul',
  '%': 'mod',
  '**': 'pow',
  '~': 'tilde',
  '[': 'lbracket',
  ']': 'rbracket',
  '(': 'lparen',
  ')': 'rparen',
  '{': 'lbrace',
  '}': 'rbrace',
  '==': 'eq',
  '!=': 'ne',
  '>': 'gt',
  '>=': 'gteq',
  '<': 'lt',
  '<=': 'lteq',
  '=': 'assign',
  '.': 'dot',
  ':': 'colon',
  '|': 'pipe',
  ',': 'comma',
  ';': 'semicolon',
};

const SYMBOL_OF: Record<string, string> = Object.fromEntries(Object.entries(OPERATORS).map(([s, t]) => [t, s]));

const DESCRIPTIONS: Record<string, string> = {
  block_begin: 'begin of statement block',
  block_end: 'end of statement block',
  variable_begin: 'begin of print statement',
  variable_end: 'end of print statement',
  data: 'template data / text',
  eof: 'end of template',
};

export function describeTokenType(type: string): string {
  return SYMBOL_OF[type] ?? DESCRIPTIONS[type] ?? type;
}

export function describeToken(token: Token): string {
  return token.type === 'name' ? String(token.value) : describeTokenType(token.type);
}

/** For expectations written `type` or `type:value` ("name:endfor"). */
export function describeExpected(expr: string): string {
  const colon = expr.indexOf(':');
  if (colon === -1) return describeTokenType(expr);
  const type = expr.slice(0, colon);
  return type === 'name' ? expr.slice(colon + 1) : describeTokenType(type);
}
