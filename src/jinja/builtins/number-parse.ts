/** Python's int(str, base) and float(str): what `|int`, `|float` and `int()`-like conversions accept. */

const FLOAT = /^[+-]?(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;
const PREFIX: Record<string, number> = { b: 2, o: 8, x: 16 };

function strip(s: string): string {
  return s.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g, '');
}

/** float(s), or null where Python raises ValueError. */
export function parsePyFloat(s: string): number | null {
  const t = strip(s);
  if (SPECIAL.test(t)) {
    const negative = t.startsWith('-');
    return /nan/i.test(t) ? NaN : negative ? -Infinity : Infinity;
  }
  if (!FLOAT.test(t)) return null;
  return Number(t.replace(/_/g, ''));
}

/** int(s, base), or null where Python raises ValueError. */
export function parsePyInt(s: string, base: number): number | null {
  let t = strip(s);
  let sign = 1;
  if (t.startsWith('+') || t.startsWith('-')) {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  let b = base;
  const prefix = /^0([box])/i.exec(t);
  if (prefix) {
    const prefixBase = PREFIX[prefix[1]!.toLowerCase()]!;
    if (b === 0 || b === prefixBase) {
      b = prefixBase;
      t = t.slice(2);
      if (t.startsWith('_')) t = t.slice(1);
    }
  }
  if (b === 0) {
    if (/^0+(?:_?0)*$/.test(t)) return 0;
    if (t.startsWith('0')) return null;
    b = 10;
  }
  if (!/^[0-9a-z](?:_?[0-9a-z])*$/i.test(t)) return null;
  const digits = t.replace(/_/g, '').toLowerCase();
  let n = 0;
  for (const ch of digits) {
    const d = parseInt(ch, 36);
    if (d >= b) return null;
    n = n * b + d;
  }
  return sign * n;
}
