/** Python's `x in y`: substring for str, equality for sequences, keys for dicts. */
import { typeError } from '../errors.js';
import { pyEquals, setHas } from './compare.js';
import { dictKey } from './dict-key.js';
import { isClassInstance, lookupName, MISSING } from './lookup.js';
import { isNumeric, num } from './py-float.js';
import { DictView, isDict, Markup, PyRange } from './py-types.js';
import { typeName } from './type-name.js';
import { Undefined } from './undefined.js';

export function pyContains(item: unknown, container: unknown): boolean {
  if (typeof container === 'string' || container instanceof Markup) {
    if (typeof item !== 'string' && !(item instanceof Markup)) {
      throw typeError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    }
    return String(container).includes(String(item));
  }
  if (Array.isArray(container)) {
    if (typeof item === 'string') return container.includes(item);
    for (const x of container) if (pyEquals(x, item)) return true;
    return false;
  }
  if (typeof container === 'object' && container !== null) {
    if (container instanceof Undefined) return false;
    if (container instanceof Set) return setHas(container, item);
    if (isDict(container)) return Object.hasOwn(container, dictKey(item));
    if (container instanceof PyRange) return rangeHas(container, item);
    if (container instanceof DictView) return container.items.some((x) => pyEquals(x, item));
    if (Symbol.iterator in container) {
      for (const x of container as Iterable<unknown>) if (pyEquals(x, item)) return true;
      return false;
    }
    // A chain of plain objects (a namespace made with Object.create) works as a mapping.
    if (!isClassInstance(container) && typeof item === 'string') return lookupName(container, item) !== MISSING;
  }
  throw typeError(`argument of type '${typeName(container)}' is not iterable`);
}

function rangeHas(r: PyRange, item: unknown): boolean {
  if (!isNumeric(item)) return false;
  const n = num(item);
  if (!Number.isInteger(n)) return [...r].includes(n);
  const offset = n - r.start;
  return offset % r.step === 0 && offset / r.step >= 0 && offset / r.step < r.length;
}
