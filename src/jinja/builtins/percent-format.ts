/**
 * printf-style formatting, `'%s-%05.2f' % (a, b)` and `'%(key)s' % d`, as
 * Python's str % does it (also the `format` filter).
 */
import { keyError, typeError, valueError } from '../errors.js';
import { isNumeric, num } from '../values/py-float.js';
import { isDict, isTuple, Markup } from '../values/py-types.js';
import { pyRepr, pyStr } from '../values/repr.js';
import { typeName } from '../values/type-name.js';
import { formatExponent, formatFixed, formatGeneral } from './number-format.js';

const SPEC = /%(?:\(([^)]*)\))?([#0\- +]*)(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.?)/y;

export function percentFormat(format: string | Markup, values: unknown): string | Markup {
  const text = String(format);
  const args = isTuple(values) ? values : [values];
  const mapping = !isTuple(values) && isDict(values) ? values : null;
  let argIndex = 0;
  let usedMapping = false;
  const nextArg = (): unknown => {
    if (argIndex >= args.length) throw typeError('not enough arguments for format string');
    return args[argIndex++];
  };
  let out = '';
  let i = 0;
  while (i < text.length) {
    const pct = text.indexOf('%', i);
    if (pct === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, pct);
    SPEC.lastIndex = pct;
    const m = SPEC.exec(text)!;
    const [whole, key, flags = '', widthText, precisionText, conversion] = m;
    i = pct + whole.length;
    if (conversion === '') throw valueError('incomplete format');
    if (conversion === '%' && key === undefined && !flags && !widthText && precisionText === undefined) {
      out += '%';
      continue;
    }
    let value: unknown;
    if (key !== undefined) {
      if (!mapping) throw typeError('format requires a mapping');
      usedMapping = true;
      if (!Object.hasOwn(mapping, key)) throw keyError(pyRepr(key));
      value = mapping[key];
    }
    const width = widthText === '*' ? Number(nextArg()) : widthText ? Number(widthText) : 0;
    const precision = precisionText === '*' ? Number(nextArg()) : precisionText === undefined ? undefined : Number(precisionText || 0);
    if (key === undefined && conversion !== '%') value = nextArg();
    const body = convert(conversion!, value, flags, precision, pct, format instanceof Markup);
    out += pad(body, width, flags, conversion!);
  }
  if (!usedMapping && !mapping && argIndex < args.length) {
    throw typeError('not all arguments converted during string formatting');
  }
  return format instanceof Markup ? new Markup(out) : out;
}

function convert(conversion: string, value: unknown, flags: string, precision: number | undefined, at: number, escapeHtml: boolean): string {
  switch (conversion) {
    case 's':
    case 'r':
    case 'a': {
      let s = conversion === 's' ? pyStr(value) : pyRepr(value);
      if (escapeHtml && !(value instanceof Markup)) s = s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
      return precision === undefined ? s : s.slice(0, precision);
    }
    case 'd':
    case 'i':
    case 'u':
      return sign(Math.trunc(realNumber(conversion, value)).toString(), flags);
    case 'x':
    case 'X':
    case 'o': {
      const n = integer(conversion, value);
      const base = conversion === 'o' ? 8 : 16;
      let digits = Math.abs(n).toString(base);
      if (conversion === 'X') digits = digits.toUpperCase();
      if (flags.includes('#')) digits = (conversion === 'o' ? '0o' : conversion === 'x' ? '0x' : '0X') + digits;
      return sign((n < 0 ? '-' : '') + digits, flags);
    }
    case 'e':
    case 'E':
      return sign(formatExponent(realNumber(conversion, value), precision ?? 6, conversion === 'E'), flags);
    case 'f':
    case 'F': {
      const s = formatFixed(realNumber(conversion, value), precision ?? 6);
      return sign(conversion === 'F' ? s.toUpperCase() : s, flags);
    }
    case 'g':
    case 'G':
      return sign(formatGeneral(realNumber(conversion, value), precision ?? 6, flags.includes('#'), conversion === 'G'), flags);
    case 'c':
      if (typeof value === 'string' && value.length === 1) return value;
      if (typeof value === 'number' && Number.isInteger(value)) return String.fromCodePoint(value);
      throw typeError('%c requires an int or a unicode character, not ' + typeName(value));
    case '%':
      return '%';
    default: {
      const code = conversion.codePointAt(0)!;
      throw valueError(`unsupported format character '${conversion}' (0x${code.toString(16)}) at index ${at + 1}`);
    }
  }
}

function realNumber(conversion: string, v: unknown): number {
  if (isNumeric(v)) return num(v);
  throw typeError(`%${conversion} format: a real number is required, not ${typeName(v)}`);
}

function integer(conversion: string, v: unknown): number {
  if (typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v))) return num(v);
  throw typeError(`%${conversion} format: an integer is required, not ${typeName(v)}`);
}

function sign(s: string, flags: string): string {
  if (s.startsWith('-')) return s;
  if (flags.includes('+')) return `+${s}`;
  if (flags.includes(' ')) return ` ${s}`;
  return s;
}

function pad(s: string, width: number, flags: string, conversion: string): string {
  if (s.length >= width) return s;
  if (flags.includes('-')) return s.padEnd(width);
  if (flags.includes('0') && 'diuxXoeEfFgG'.includes(conversion)) {
    const signChars = /^[-+ ]/.test(s) ? 1 : 0;
    const prefix = /^[-+ ]?0[xXo]/.test(s) ? signChars + 2 : signChars;
    return s.slice(0, prefix) + s.slice(prefix).padStart(width - prefix, '0');
  }
  return s.padStart(width);
}
