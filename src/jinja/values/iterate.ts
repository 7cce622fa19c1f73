/** Python's iter() and len() for the engine's values. */
import { typeError } from '../errors.js';
import { DictView, isDict, Markup, Namespace, PyGenerator, PyRange } from './py-types.js';
import { typeName } from './type-name.js';
import { Undefined } from './undefined.js';

/** iter(v): a dict iterates its keys, a str its characters, Undefined nothing. */
export function pyIter(v: unknown): Iterable<unknown> {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v;
  if (v instanceof Undefined) return [];
  if (typeof v === 'object' && v !== null) {
    if (v instanceof Markup) return v.text;
    if (isDict(v)) return Object.keys(v);
    if (!(v instanceof Namespace) && Symbol.iterator in v) return v as Iterable<unknown>;
  }
  throw typeError(`'${typeName(v)}' object is not iterable`);
}

/** list(v): a fresh array of what iterating v yields (v itself when it is already a list). */
export function toList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return Array.from(v);
  return Array.from(pyIter(v));
}

export function pyLen(v: unknown): number {
  if (typeof v === 'string') return codePointLength(v);
  if (Array.isArray(v)) return v.length;
  if (typeof v === 'object' && v !== null) {
    if (v instanceof Undefined) return 0;
    if (v instanceof Set || v instanceof Map) return v.size;
    if (v instanceof PyRange) return v.length;
    if (v instanceof DictView) return v.items.length;
    if (v instanceof Markup) return codePointLength(v.text);
    if (isDict(v)) return Object.keys(v).length;
    if (!(v instanceof PyGenerator) && typeof (v as { length?: unknown }).length === 'number') {
      return (v as { length: number }).length;
    }
  }
  throw typeError(`object of type '${typeName(v)}' has no len()`);
}

/** len() of a str counts code points, not UTF-16 units. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}
