/**
 * Python's str() and repr() for the engine's values: what `{{ x }}` prints.
 * `{{ [1, 'a', None] }}` gives `[1, 'a', None]`, `{{ 2.0 }}` gives `2.0`. Objects
 * of the embedding program that define their own toString() print with it (a
 * relation prints as its SQL name).
 */
import { floatRepr, intRepr, PyFloat } from './py-float.js';
import { DictView, isDict, isTuple, Markup, Namespace, PyGenerator, PyRange } from './py-types.js';
import { PY_REPR } from './protocol.js';
import { MACRO } from './type-name.js';
import { Undefined } from './undefined.js';

export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Undefined) return '';
  if (v instanceof Markup) return v.text;
  return pyRepr(v);
}

export function pyRepr(v: unknown, seen?: Set<unknown>): string {
  switch (typeof v) {
    case 'string':
      return strRepr(v);
    case 'number':
      return Number.isInteger(v) ? intRepr(v) : floatRepr(v);
    case 'boolean':
      return v ? 'True' : 'False';
    case 'undefined':
      return 'None';
    case 'function':
      return functionRepr(v);
    case 'bigint':
      return v.toString();
    case 'symbol':
      return v.toString();
    default:
      break;
  }
  if (v === null) return 'None';
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (v instanceof Undefined) return 'Undefined';
  if (v instanceof Markup) return `Markup(${strRepr(v.text)})`;
  const obj = v as Record<PropertyKey, unknown>;
  if (typeof obj[PY_REPR] === 'function') return (obj[PY_REPR] as () => string)();
  if (seen?.has(v)) return Array.isArray(v) ? '[...]' : '{...}';
  const inner = new Set(seen).add(v);
  const r = (x: unknown) => pyRepr(x, inner);
  if (Array.isArray(v)) {
    if (!isTuple(v)) return `[${v.map(r).join(', ')}]`;
    return v.length === 1 ? `(${r(v[0])},)` : `(${v.map(r).join(', ')})`;
  }
  if (v instanceof Set) return v.size ? `{${[...v].map(r).join(', ')}}` : 'set()';
  if (v instanceof PyRange) return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
  if (v instanceof DictView) return `${v.kind}([${v.items.map(r).join(', ')}])`;
  if (v instanceof PyGenerator) return `<${v.label} object>`;
  if (v instanceof Namespace) return `<Namespace ${dictRepr(v.attrs, r)}>`;
  if (isDict(v)) return dictRepr(v, r);
  if (hasOwnToString(v as object)) return String(v);
  return dictRepr(v as Record<string, unknown>, r);
}

function dictRepr(d: Record<string, unknown>, r: (x: unknown) => string): string {
  const parts: string[] = [];
  for (const key of Object.keys(d)) parts.push(`${strRepr(key)}: ${r(d[key])}`);
  return `{${parts.join(', ')}}`;
}

function functionRepr(f: Function): string {
  const name = (f as { macroName?: string }).macroName ?? f.name;
  if (MACRO in f) return `<Macro ${strRepr(name)}>`;
  return name ? `<function ${name}>` : '<function>';
}

function hasOwnToString(v: object): boolean {
  const own = (v as { toString?: unknown }).toString;
  return typeof own === 'function' && own !== Object.prototype.toString;
}

/** Characters Python's repr() escapes: control, format, separator and unassigned code points. */
const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

/** Python's repr() of a str: single quotes unless it holds ' and no ", escapes for the rest. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) out += codePointEscape(ch.codePointAt(0)!);
    else out += ch;
  }
  return out + quote;
}

function codePointEscape(cp: number): string {
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}
