/** Filters on numbers, and `default`: abs, int, float, round, filesizeformat. */
import { filterArgumentError, overflowError, typeError, valueError } from '../errors.js';
import { pyTruthy } from '../values/compare.js';
import { isFloat, isNumeric, num, pyFloat } from '../values/py-float.js';
import { typeName } from '../values/type-name.js';
import { Undefined } from '../values/undefined.js';
import { filter, type Filter } from './filter-support.js';
import { formatFixed, roundHalfEven } from './number-format.js';
import { parsePyFloat, parsePyInt } from './number-parse.js';

/** Python's float(v); null where it raises TypeError/ValueError. Undefined raises UndefinedError. */
export function toPyFloat(v: unknown): number | null {
  if (v instanceof Undefined) v.fail();
  if (isNumeric(v)) return num(v);
  if (typeof v === 'string') return parsePyFloat(v);
  return null;
}

function toPyInt(v: unknown, base: number): number | null {
  if (v instanceof Undefined) v.fail();
  if (typeof v === 'string') {
    const parsed = parsePyInt(v, base);
    if (parsed !== null) return parsed;
  } else if (isNumeric(v)) {
    const n = num(v);
    if (!Number.isFinite(n)) throw overflowError('cannot convert float infinity to integer');
    return Math.trunc(n);
  }
  const f = toPyFloat(v);
  return f === null || !Number.isFinite(f) ? null : Math.trunc(f);
}

export const NUMBER_FILTERS: Record<string, Filter> = {
  abs: filter('abs', ['x'], (x) => {
    if (x instanceof Undefined) x.fail();
    if (!isNumeric(x)) throw typeError(`bad operand type for abs(): '${typeName(x)}'`);
    const n = Math.abs(num(x));
    return isFloat(x) ? pyFloat(n) : n;
  }),
  int: filter('do_int', ['value', 'default=0', 'base=10'], (value, dflt, base) => {
    const n = toPyInt(value, Number(base));
    return n === null ? dflt : n === 0 ? 0 : n;
  }),
  float: filter('do_float', ['value', 'default=0.0'], (value, dflt) => {
    const n = toPyFloat(value);
    return n === null ? dflt : pyFloat(n);
  }),
  round: filter('do_round', ['value', 'precision=0', "method='common'"], (value, precision, method) => {
    if (method !== 'common' && method !== 'ceil' && method !== 'floor') {
      throw filterArgumentError('method must be common, ceil or floor');
    }
    if (value instanceof Undefined) value.fail();
    if (!isNumeric(value)) throw typeError(`type ${typeName(value)} doesn't define __round__ method`);
    if (typeof precision !== 'number' || !Number.isInteger(precision)) {
      throw typeError(`'${typeName(precision)}' object cannot be interpreted as an integer`);
    }
    const x = num(value);
    if (method === 'common') {
      if (!isFloat(value)) return precision >= 0 ? x : roundHalfEven(x, precision);
      return pyFloat(roundHalfEven(x, precision));
    }
    const scale = 10 ** precision;
    return pyFloat((method === 'ceil' ? Math.ceil(x * scale) : Math.floor(x * scale)) / scale);
  }),
  filesizeformat: filter('do_filesizeformat', ['value', 'binary=False'], (value, binary) => {
    const bytes = toPyFloat(value);
    if (bytes === null) throw valueError(`could not convert string to float: ${JSON.stringify(value)}`);
    const base = pyTruthy(binary) ? 1024 : 1000;
    const prefixes = pyTruthy(binary) ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
    if (bytes === 1) return '1 Byte';
    if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
    let unit = base;
    let prefix = prefixes[0]!;
    for (let i = 0; i < prefixes.length; i++) {
      unit = base ** (i + 2);
      prefix = prefixes[i]!;
      if (bytes < unit) break;
    }
    return `${formatFixed((base * bytes) / unit, 1)} ${prefix}`;
  }),
  default: defaultFilter(),
  d: defaultFilter(),
};

function defaultFilter(): Filter {
  return filter('do_default', ['value', "default_value=''", 'boolean=False'], (value, dflt, boolean) =>
    value instanceof Undefined || (pyTruthy(boolean) && !pyTruthy(value)) ? dflt : value,
  );
}
