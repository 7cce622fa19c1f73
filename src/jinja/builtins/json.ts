/**
 * Python's json.dumps(value, sort_keys=True) as the tojson filter calls it:
 * ", " and ": " separators (",", ": " with indent), ASCII-only output, floats
 * as Python prints them; then <, >, & and ' escaped for HTML.
 */
import { typeError } from '../errors.js';
import { floatRepr, intRepr, PyFloat } from '../values/py-float.js';
import { isDict, Markup } from '../values/py-types.js';
import { typeName } from '../values/type-name.js';

export function htmlSafeJson(value: unknown, indent: number | null): string {
  return dumps(value, indent, 0).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/'/g, '\\u0027');
}

function dumps(v: unknown, indent: number | null, depth: number): string {
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') return Number.isInteger(v) ? intRepr(v) : jsonFloat(v);
  if (v instanceof PyFloat) return jsonFloat(v.value);
  if (typeof v === 'string' || v instanceof Markup) return jsonString(String(v));
  const open = (items: string[], left: string, right: string) => {
    if (!items.length) return left + right;
    if (indent === null) return left + items.join(', ') + right;
    const pad = '\n' + ' '.repeat(indent * (depth + 1));
    return `${left}${pad}${items.join(`,${pad}`)}\n${' '.repeat(indent * depth)}${right}`;
  };
  if (Array.isArray(v))
    return open(
      v.map((x) => dumps(x, indent, depth + 1)),
      '[',
      ']',
    );
  if (isDict(v)) {
    const keys = Object.keys(v).sort();
    return open(
      keys.map((k) => `${jsonString(k)}: ${dumps(v[k], indent, depth + 1)}`),
      '{',
      '}',
    );
  }
  throw typeError(`Object of type ${typeName(v)} is not JSON serializable`);
}

function jsonFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return floatRepr(n);
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}
