/**
 * Python's pprint.pformat (width 80, dict keys sorted) for the pprint filter:
 * the repr when it fits, else one item per line, indented under the bracket.
 * Long strings are not split across lines as Python does.
 */
import { pyCompareForSort } from '../values/compare.js';
import { isDict, isTuple } from '../values/py-types.js';
import { pyRepr, strRepr } from '../values/repr.js';

const WIDTH = 80;

export function pformat(value: unknown): string {
  return format(value, 0, 0);
}

function sortedKeys(d: Record<string, unknown>): string[] {
  return Object.keys(d).sort((a, b) => pyCompareForSort(a, b));
}

/** repr() with dict keys sorted, as pprint prints leaves. */
function sortedRepr(v: unknown): string {
  if (Array.isArray(v)) {
    const items = v.map(sortedRepr);
    if (!isTuple(v)) return `[${items.join(', ')}]`;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (isDict(v))
    return `{${sortedKeys(v)
      .map((k) => `${strRepr(k)}: ${sortedRepr(v[k])}`)
      .join(', ')}}`;
  return pyRepr(v);
}

function format(v: unknown, indent: number, allowance: number): string {
  const rep = sortedRepr(v);
  if (rep.length <= WIDTH - indent - allowance) return rep;
  if (isDict(v)) {
    const keys = sortedKeys(v);
    if (!keys.length) return rep;
    const inner = indent + 1;
    const parts = keys.map((k, i) => {
      const key = strRepr(k);
      const last = i === keys.length - 1;
      return `${key}: ${format(v[k], inner + key.length + 2, last ? allowance + 1 : 1)}`;
    });
    return `{${parts.join(`,\n${' '.repeat(inner)}`)}}`;
  }
  if (Array.isArray(v) && v.length) {
    const [open, close] = isTuple(v) ? ['(', v.length === 1 ? ',)' : ')'] : ['[', ']'];
    const inner = indent + 1;
    const parts = v.map((item, i) => format(item, inner, i === v.length - 1 ? allowance + close.length : 1));
    return `${open}${parts.join(`,\n${' '.repeat(inner)}`)}${close}`;
  }
  return rep;
}
