/**
 * Python's operators: `+` adds numbers and concatenates str, list and tuple;
 * `*` repeats sequences; `/` is true division; `//` and `%` floor like Python
 * (and `%` formats when the left side is a str); `**`; `~` joins str() of both.
 * int op int stays int, anything with a float gives a float.
 */
import { typeError, zeroDivisionError } from '../errors.js';
import { percentFormat } from '../builtins/percent-format.js';
import { isFloat, isNumeric, num, pyFloat, type PyFloat } from './py-float.js';
import { isTuple, Markup, tuple } from './py-types.js';
import { pyStr } from './repr.js';
import { callOperatorMethods, NOT_IMPLEMENTED, operatorMethod } from './protocol.js';
import { typeName } from './type-name.js';
import { Undefined } from './undefined.js';

type Numeric = number | boolean | PyFloat;

function numberResult(a: Numeric, b: Numeric, n: number): number | PyFloat {
  return isFloat(a) || isFloat(b) ? pyFloat(n) : n;
}

const OPERATOR_METHODS: Record<string, [string, string]> = {
  '+': ['__add__', '__radd__'],
  '-': ['__sub__', '__rsub__'],
  '*': ['__mul__', '__rmul__'],
  '/': ['__truediv__', '__rtruediv__'],
  '//': ['__floordiv__', '__rfloordiv__'],
  '%': ['__mod__', '__rmod__'],
  '** or pow()': ['__pow__', '__rpow__'],
};

/** No builtin rule applies: the operands' own operator methods, else Python's TypeError. */
function unsupported(op: string, a: unknown, b: unknown): unknown {
  const [method, reflected] = OPERATOR_METHODS[op]!;
  const result = callOperatorMethods(method, reflected, a, b);
  if (result !== NOT_IMPLEMENTED) return result;
  throw typeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

function failIfUndefined(a: unknown, b: unknown): void {
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
}

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') {
    const n = a + b;
    return Number.isInteger(n) && (!Number.isInteger(a) || !Number.isInteger(b)) ? pyFloat(n) : n;
  }
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  failIfUndefined(a, b);
  if (isNumeric(a) && isNumeric(b)) return numberResult(a, b, num(a) + num(b));
  if (a instanceof Markup || b instanceof Markup) return markupAdd(a, b);
  if (typeof a === 'string') throw typeError(`can only concatenate str (not "${typeName(b)}") to str`);
  if (Array.isArray(a)) {
    if (Array.isArray(b) && isTuple(a) === isTuple(b)) return isTuple(a) ? tuple([...a, ...b]) : [...a, ...b];
    const kind = isTuple(a) ? 'tuple' : 'list';
    throw typeError(`can only concatenate ${kind} (not "${typeName(b)}") to ${kind}`);
  }
  return unsupported('+', a, b);
}

function markupAdd(a: unknown, b: unknown): unknown {
  if ((typeof a !== 'string' && !(a instanceof Markup)) || (typeof b !== 'string' && !(b instanceof Markup))) {
    return unsupported('+', a, b);
  }
  return new Markup(escapeText(a) + escapeText(b));
}

/** markupsafe.escape for text: & < > " ' become entities (Markup passes unchanged). */
export function escapeText(v: unknown): string {
  if (v instanceof Markup) return v.text;
  return pyStr(v).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

export function subtract(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') {
    const n = a - b;
    return Number.isInteger(n) && (!Number.isInteger(a) || !Number.isInteger(b)) ? pyFloat(n) : n;
  }
  failIfUndefined(a, b);
  if (isNumeric(a) && isNumeric(b)) return numberResult(a, b, num(a) - num(b));
  if (a instanceof Set && b instanceof Set) return new Set([...a].filter((x) => !b.has(x)));
  return unsupported('-', a, b);
}

export function multiply(a: unknown, b: unknown): unknown {
  failIfUndefined(a, b);
  if (isNumeric(a) && isNumeric(b)) return numberResult(a, b, num(a) * num(b));
  if (isRepeatable(a) && isInt(b)) return repeat(a, num(b as Numeric));
  if (isRepeatable(b) && isInt(a)) return repeat(b, num(a as Numeric));
  if (isRepeatable(a) || isRepeatable(b)) {
    throw typeError(`can't multiply sequence by non-int of type '${typeName(isRepeatable(a) ? b : a)}'`);
  }
  return unsupported('*', a, b);
}

function isInt(v: unknown): boolean {
  return typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v));
}

function isRepeatable(v: unknown): v is string | unknown[] | Markup {
  return typeof v === 'string' || Array.isArray(v) || v instanceof Markup;
}

function repeat(seq: string | unknown[] | Markup, times: number): unknown {
  const n = Math.max(0, times);
  if (typeof seq === 'string') return seq.repeat(n);
  if (seq instanceof Markup) return new Markup(seq.text.repeat(n));
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(...seq);
  return isTuple(seq) ? tuple(out) : out;
}

export function divide(a: unknown, b: unknown): unknown {
  failIfUndefined(a, b);
  if (!isNumeric(a) || !isNumeric(b)) return unsupported('/', a, b);
  if (num(b) === 0) throw zeroDivisionError(isFloat(a) || isFloat(b) ? 'float division by zero' : 'division by zero');
  return pyFloat(num(a) / num(b));
}

export function floorDivide(a: unknown, b: unknown): unknown {
  failIfUndefined(a, b);
  if (!isNumeric(a) || !isNumeric(b)) return unsupported('//', a, b);
  const floats = isFloat(a) || isFloat(b);
  if (num(b) === 0) throw zeroDivisionError(floats ? 'float floor division by zero' : 'integer division or modulo by zero');
  return numberResult(a, b, Math.floor(num(a) / num(b)));
}

export function modulo(a: unknown, b: unknown): unknown {
  if (typeof a === 'string' || a instanceof Markup) return percentFormat(a, b);
  failIfUndefined(a, b);
  if (!isNumeric(a) || !isNumeric(b)) return unsupported('%', a, b);
  const floats = isFloat(a) || isFloat(b);
  const x = num(a);
  const y = num(b);
  if (y === 0) throw zeroDivisionError(floats ? 'float modulo' : 'integer modulo by zero');
  let r = x % y;
  if (r !== 0 && r < 0 !== y < 0) r += y;
  return numberResult(a, b, r);
}

export function power(a: unknown, b: unknown): unknown {
  failIfUndefined(a, b);
  if (!isNumeric(a) || !isNumeric(b)) return unsupported('** or pow()', a, b);
  const x = num(a);
  const y = num(b);
  if (x === 0 && y < 0) throw zeroDivisionError('0.0 cannot be raised to a negative power');
  const n = x ** y;
  if (isFloat(a) || isFloat(b) || y < 0) return pyFloat(n);
  return n;
}

export function negate(a: unknown): unknown {
  if (a instanceof Undefined) a.fail();
  const own = operatorMethod(a, '__neg__');
  if (own) return own.call(a);
  if (!isNumeric(a)) throw typeError(`bad operand type for unary -: '${typeName(a)}'`);
  const n = -num(a);
  return isFloat(a) ? pyFloat(n) : n === 0 ? 0 : n;
}

export function positive(a: unknown): unknown {
  if (a instanceof Undefined) a.fail();
  if (!isNumeric(a)) throw typeError(`bad operand type for unary +: '${typeName(a)}'`);
  return typeof a === 'boolean' ? num(a) : a;
}
