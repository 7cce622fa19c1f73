/**
 * A Python dict key as the JavaScript property it is stored under. dicts are
 * plain objects, so keys are strings: an int key 1 is stored as '1' (and found
 * again by 1 or '1'); unhashable keys (list, dict, set) raise TypeError.
 */
import { typeError } from '../errors.js';
import { intRepr, PyFloat } from './py-float.js';
import { isDict, isTuple, Markup } from './py-types.js';
import { pyRepr } from './repr.js';
import { typeName } from './type-name.js';

export function dictKey(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? intRepr(v) : pyRepr(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof PyFloat) return intRepr(v.value);
  if (v instanceof Markup) return v.text;
  if ((Array.isArray(v) && !isTuple(v)) || isDict(v) || v instanceof Set) {
    throw typeError(`unhashable type: '${typeName(v)}'`);
  }
  return pyRepr(v);
}
