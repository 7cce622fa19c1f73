/**
 * Python's format(value, spec): `[[fill]align][sign][#][0][width][,|_][.precision][type]`
 * for str, int, float and bool; other objects accept only the empty spec.
 */
import { typeError, valueError } from '../errors.js';
import { floatRepr, isFloat, isNumeric, num } from '../values/py-float.js';
import { Markup } from '../values/py-types.js';
import { pyStr } from '../values/repr.js';
import { typeName } from '../values/type-name.js';
import { formatExponent, formatFixed, formatGeneral, groupDigits } from './number-format.js';

interface Spec {
  fill: string;
  align: string;
  sign: string;
  alternate: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number | undefined;
  type: string;
}

const SPEC = /^(?:([\s\S])?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

function parseSpec(spec: string): Spec {
  const m = SPEC.exec(spec);
  if (!m) throw valueError('Invalid format specifier');
  const [, fill, align, sign, , alternate, zero, width, grouping, precision, type] = m;
  return {
    fill: fill ?? (zero && !align ? '0' : ' '),
    align: align ?? (zero ? '=' : ''),
    sign: sign ?? '',
    alternate: Boolean(alternate),
    zero: Boolean(zero),
    width: width ? Number(width) : 0,
    grouping: grouping ?? '',
    precision: precision === undefined ? undefined : Number(precision),
    type: type ?? '',
  };
}

export function formatValue(value: unknown, spec: string): string {
  if (spec === '') return pyStr(value);
  if (typeof value === 'string' || value instanceof Markup) return formatString(String(value), parseSpec(spec));
  if (isNumeric(value)) return formatNumber(value, parseSpec(spec));
  throw typeError(`unsupported format string passed to ${typeName(value)}.__format__`);
}

function formatString(s: string, spec: Spec): string {
  if (spec.type && spec.type !== 's') throw valueError(`Unknown format code '${spec.type}' for object of type 'str'`);
  if (spec.sign) throw valueError('Sign not allowed in string format specifier');
  if (spec.alternate) throw valueError('Alternate form (#) not allowed in string format specifier');
  if (spec.align === '=') throw valueError("'=' alignment not allowed in string format specifier");
  if (spec.grouping) throw valueError(`Cannot specify '${spec.grouping}' with 's'.`);
  const body = spec.precision === undefined ? s : s.slice(0, spec.precision);
  return align(body, '', spec, '<');
}

function formatNumber(value: Parameters<typeof num>[0], spec: Spec): string {
  const x = num(value);
  const float = isFloat(value);
  let type = spec.type;
  if (!float && 'eEfFgG%'.includes(type) && type) return formatFloat(x, spec, type);
  if (float) {
    if ('bcdoxXn'.includes(type) && type) {
      if (type !== 'n') throw valueError(`Unknown format code '${type}' for object of type 'float'`);
      type = 'g';
    }
    return formatFloat(x, spec, type);
  }
  if (spec.precision !== undefined) throw valueError('Precision not allowed in integer format specifier');
  let digits: string;
  let prefix = '';
  const abs = Math.abs(x);
  switch (type) {
    case 'b':
      digits = abs.toString(2);
      prefix = spec.alternate ? '0b' : '';
      break;
    case 'o':
      digits = abs.toString(8);
      prefix = spec.alternate ? '0o' : '';
      break;
    case 'x':
    case 'X':
      digits = abs.toString(16);
      prefix = spec.alternate ? '0x' : '';
      if (type === 'X') {
        digits = digits.toUpperCase();
        prefix = prefix.toUpperCase();
      }
      break;
    case 'c':
      return align(String.fromCodePoint(x), '', spec, '<');
    default:
      digits = Number.isSafeInteger(abs) ? String(abs) : BigInt(abs).toString();
  }
  if (spec.grouping) digits = groupDigits(digits, spec.grouping, type && 'bxXo'.includes(type) ? 4 : 3);
  return align(digits, signOf(x < 0, spec) + prefix, spec, '>');
}

function formatFloat(x: number, spec: Spec, type: string): string {
  const p = spec.precision;
  let body: string;
  const abs = Math.abs(x);
  switch (type) {
    case 'f':
    case 'F':
      body = formatFixed(abs, p ?? 6);
      if (type === 'F') body = body.toUpperCase();
      break;
    case 'e':
    case 'E':
      body = formatExponent(abs, p ?? 6, type === 'E');
      break;
    case 'g':
    case 'G':
    case 'n':
      body = formatGeneral(abs, p ?? 6, spec.alternate, type === 'G');
      break;
    case '%':
      body = `${formatFixed(abs * 100, p ?? 6)}%`;
      break;
    default:
      body = p === undefined ? floatRepr(abs) : withPoint(formatGeneral(abs, p, spec.alternate));
  }
  if (spec.alternate && !body.includes('.') && /^\d+$/.test(body)) body += '.';
  if (spec.grouping) body = groupDigits(body, spec.grouping);
  const negative = x < 0 || Object.is(x, -0);
  return align(body, signOf(negative, spec), spec, '>');
}

/** The no-type float format keeps a digit after the point when fixed notation is used. */
function withPoint(s: string): string {
  return /^[\d]+$/.test(s) ? `${s}.0` : s;
}

function signOf(negative: boolean, spec: Spec): string {
  if (negative) return '-';
  return spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
}

function align(body: string, sign: string, spec: Spec, defaultAlign: string): string {
  const length = [...sign, ...body].length;
  const padding = Math.max(0, spec.width - length);
  if (!padding) return sign + body;
  const fill = spec.fill;
  switch (spec.align || defaultAlign) {
    case '<':
      return sign + body + fill.repeat(padding);
    case '^': {
      const left = Math.floor(padding / 2);
      return fill.repeat(left) + sign + body + fill.repeat(padding - left);
    }
    case '=':
      return sign + fill.repeat(padding) + body;
    default:
      return fill.repeat(padding) + sign + body;
  }
}
