/**
 * What a plain JavaScript function receives for a Python value: a number for a
 * float, an array for a generator, range or dict view. Only the arguments
 * themselves are converted (not the insides of lists and dicts).
 */
import { PyFloat } from '../values/py-float.js';
import { DictView, PyGenerator, PyRange } from '../values/py-types.js';

export function unboxArgument(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof PyFloat) return v.value;
  if (v instanceof PyGenerator || v instanceof PyRange) return Array.from(v);
  if (v instanceof DictView) return v.items.slice();
  return v;
}
