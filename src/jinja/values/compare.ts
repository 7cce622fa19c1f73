/** Python's truthiness, `==` and ordering (`<` ...) for the engine's values. */
import { typeError } from '../errors.js';
import { isNumeric, num, PyFloat } from './py-float.js';
import { DictView, isDict, isTuple, Markup, PyRange } from './py-types.js';
import { callOperatorMethods, NOT_IMPLEMENTED } from './protocol.js';
import { typeName } from './type-name.js';
import { Undefined } from './undefined.js';

/** bool(v): empty strings and containers, 0, None and Undefined are false. */
export function pyTruthy(v: unknown): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0;
    case 'undefined':
      return false;
    case 'object':
      return v !== null && objectTruthy(v);
    default:
      return true;
  }
}

function objectTruthy(v: object): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Undefined) return false;
  if (v instanceof PyFloat) return v.value !== 0;
  if (v instanceof Set || v instanceof Map) return v.size > 0;
  if (v instanceof PyRange) return v.length > 0;
  if (v instanceof DictView) return v.items.length > 0;
  if (v instanceof Markup) return v.text.length > 0;
  if (isDict(v)) {
    for (const key in v) if (Object.hasOwn(v, key)) return true;
    return false;
  }
  return true;
}

/** Python's `==`: numbers across int/float/bool, deep for lists, tuples, dicts and sets. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNumeric(a)) return isNumeric(b) && num(a) === num(b);
  if (typeof a === 'string' || a instanceof Markup) {
    return (typeof b === 'string' || b instanceof Markup) && String(a) === String(b);
  }
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Undefined) return b instanceof Undefined && a.constructor === b.constructor;
  if (Array.isArray(a)) return Array.isArray(b) && isTuple(a) === isTuple(b) && sequenceEquals(a, b);
  if (a instanceof PyRange) return b instanceof PyRange && sequenceEquals([...a], [...b]);
  if (a instanceof Set) return b instanceof Set && a.size === b.size && [...a].every((x) => setHas(b, x));
  if (isDict(a)) return isDict(b) && dictEquals(a, b);
  const own = callOperatorMethods('__eq__', '__eq__', a, b);
  if (own !== NOT_IMPLEMENTED) return pyTruthy(own);
  if (a instanceof DictView && b instanceof DictView && a.kind === b.kind && a.kind !== 'dict_values') {
    return a.items.length === b.items.length && a.items.every((x) => b.items.some((y) => pyEquals(x, y)));
  }
  return false;
}

function sequenceEquals(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!pyEquals(a[i], b[i])) return false;
  return true;
}

function dictEquals(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]));
}

/** Set membership with Python equality (1 == 1.0 == True). */
export function setHas(set: Set<unknown>, x: unknown): boolean {
  if (set.has(x)) return true;
  if (typeof x === 'string' || x === null) return false;
  for (const item of set) if (pyEquals(item, x)) return true;
  return false;
}

export type Ordering = 'lt' | 'lteq' | 'gt' | 'gteq';
const SYMBOLS: Record<Ordering, string> = { lt: '<', lteq: '<=', gt: '>', gteq: '>=' };
/** Python's rich comparisons: `a < b` asks `a.__lt__(b)`, then `b.__gt__(a)`. */
const COMPARISON_METHODS: Record<Ordering, [string, string]> = {
  lt: ['__lt__', '__gt__'],
  lteq: ['__le__', '__ge__'],
  gt: ['__gt__', '__lt__'],
  gteq: ['__ge__', '__le__'],
};

/** Python's `<`, `<=`, `>`, `>=`; TypeError between types that do not order. */
export function pyCompare(op: Ordering, a: unknown, b: unknown): boolean {
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
  const c = order(a, b);
  if (c === undefined) {
    const [method, reflected] = COMPARISON_METHODS[op];
    const own = callOperatorMethods(method, reflected, a, b);
    if (own !== NOT_IMPLEMENTED) return pyTruthy(own);
    throw typeError(`'${SYMBOLS[op]}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
  }
  if (c === 'unordered') return false;
  switch (op) {
    case 'lt':
      return c < 0;
    case 'lteq':
      return c <= 0;
    case 'gt':
      return c > 0;
    default:
      return c >= 0;
  }
}

/** -1/0/1, 'unordered' (NaN, or sets neither inside the other), undefined when the types do not order. */
function order(a: unknown, b: unknown): number | 'unordered' | undefined {
  if (isNumeric(a) && isNumeric(b)) {
    const x = num(a);
    const y = num(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return 'unordered';
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if ((typeof a === 'string' || a instanceof Markup) && (typeof b === 'string' || b instanceof Markup)) {
    const x = String(a);
    const y = String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) return sequenceOrder(a, b);
  if (a instanceof Set && b instanceof Set) {
    const aInB = [...a].every((x) => setHas(b, x));
    const bInA = [...b].every((x) => setHas(a, x));
    if (aInB && bInA) return 0;
    return aInB ? -1 : bInA ? 1 : 'unordered';
  }
  return undefined;
}

function sequenceOrder(a: unknown[], b: unknown[]): number | 'unordered' | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (pyEquals(a[i], b[i])) continue;
    return pyCompare('lt', a[i], b[i]) ? -1 : 1;
  }
  return a.length - b.length < 0 ? -1 : a.length > b.length ? 1 : 0;
}

/** A total order for sorting (sort, dictsort, min, max...); TypeError like Python's sorted(). */
export function pyCompareForSort(a: unknown, b: unknown): number {
  if (pyCompare('lt', a, b)) return -1;
  if (pyCompare('lt', b, a)) return 1;
  return 0;
}
