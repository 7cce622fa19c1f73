/** Jinja2's builtin tests (`x is defined`, `n is divisibleby 3`, `x is in list`...). */
import { modulo } from '../values/arithmetic.js';
import { pyCompare, pyEquals } from '../values/compare.js';
import { pyContains } from '../values/contains.js';
import { pyIter, pyLen } from '../values/iterate.js';
import { PY_CALL } from '../values/protocol.js';
import { isFloat, isNumeric } from '../values/py-float.js';
import { DictView, isDict, Markup, Namespace, PyRange } from '../values/py-types.js';
import { pyStr } from '../values/repr.js';
import { Undefined } from '../values/undefined.js';
import { filter, type Filter } from './filter-support.js';
import { STR_METHODS } from './str-methods.js';

const test = filter;

function isSequence(v: unknown): boolean {
  if (typeof v === 'string' || Array.isArray(v) || isDict(v) || v instanceof PyRange || v instanceof Markup) return true;
  if (v instanceof Undefined) return false;
  try {
    pyLen(v);
  } catch {
    return false;
  }
  return !(v instanceof Set) && !(v instanceof DictView);
}

function isIterable(v: unknown): boolean {
  if (v instanceof Namespace) return false;
  try {
    pyIter(v);
    return true;
  } catch {
    return false;
  }
}

function isCallable(v: unknown): boolean {
  return typeof v === 'function' || (typeof v === 'object' && v !== null && PY_CALL in v);
}

export function makeTests(): Record<string, Filter> {
  const eq = test('eq', ['a', 'b'], (a, b) => pyEquals(a, b));
  const ne = test('ne', ['a', 'b'], (a, b) => !pyEquals(a, b));
  const gt = test('gt', ['a', 'b'], (a, b) => pyCompare('gt', a, b));
  const ge = test('ge', ['a', 'b'], (a, b) => pyCompare('gteq', a, b));
  const lt = test('lt', ['a', 'b'], (a, b) => pyCompare('lt', a, b));
  const le = test('le', ['a', 'b'], (a, b) => pyCompare('lteq', a, b));
  const tests: Record<string, Filter> = {
    odd: test('test_odd', ['value'], (v) => pyEquals(modulo(v, 2), 1)),
    even: test('test_even', ['value'], (v) => pyEquals(modulo(v, 2), 0)),
    divisibleby: test('test_divisibleby', ['value', 'num'], (v, n) => pyEquals(modulo(v, n), 0)),
    defined: test('test_defined', ['value'], (v) => !(v instanceof Undefined)),
    undefined: test('test_undefined', ['value'], (v) => v instanceof Undefined),
    none: test('test_none', ['value'], (v) => v === null),
    boolean: test('test_boolean', ['value'], (v) => typeof v === 'boolean'),
    false: test('test_false', ['value'], (v) => v === false),
    true: test('test_true', ['value'], (v) => v === true),
    integer: test('test_integer', ['value'], (v) => typeof v === 'number' && Number.isInteger(v)),
    float: test('test_float', ['value'], (v) => isFloat(v)),
    number: test('test_number', ['value'], (v) => isNumeric(v)),
    string: test('test_string', ['value'], (v) => typeof v === 'string' || v instanceof Markup),
    mapping: test('test_mapping', ['value'], (v) => isDict(v)),
    sequence: test('test_sequence', ['value'], isSequence),
    iterable: test('test_iterable', ['value'], isIterable),
    callable: test('callable', ['obj'], isCallable),
    sameas: test('test_sameas', ['value', 'other'], (v, other) => v === other || (v === undefined && other === null)),
    escaped: test('test_escaped', ['value'], (v) => v instanceof Markup),
    in: test('test_in', ['value', 'seq'], (v, seq) => pyContains(v, seq)),
    lower: test('test_lower', ['value'], (v) => STR_METHODS.islower!.call(pyStr(v))),
    upper: test('test_upper', ['value'], (v) => STR_METHODS.isupper!.call(pyStr(v))),
    '==': eq,
    eq,
    equalto: eq,
    '!=': ne,
    ne,
    '>': gt,
    gt,
    greaterthan: gt,
    '>=': ge,
    ge,
    '<': lt,
    lt,
    lessthan: lt,
    '<=': le,
    le,
  };
  tests.filter = test('test_filter', ['value'], function (v) {
    return typeof v === 'string' && Object.hasOwn(this.filters, v);
  });
  tests.test = test('test_test', ['value'], function (v) {
    return typeof v === 'string' && Object.hasOwn(this.tests, v);
  });
  return tests;
}
