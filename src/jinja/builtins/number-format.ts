/**
 * Numbers as Python formats them: fixed (`%.2f`, `{:.2f}`), exponent (`%e`) and
 * general (`%g`) notation, rounding an exact tie of the binary value to even as
 * Python does (JavaScript's toFixed rounds it away from zero: 0.125 → "0.13").
 */

export function formatFixed(x: number, precision: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  if (Math.abs(x) >= 1e21) return BigInt(Math.trunc(x)).toString() + (precision > 0 ? `.${'0'.repeat(precision)}` : '');
  const rounded = x.toFixed(precision);
  const exact = Math.abs(x).toFixed(Math.min(100, precision + 30));
  const cut = exact.length - (Math.min(100, precision + 30) - precision);
  if (!/^50*$/.test(exact.slice(cut))) return withNegativeZero(rounded, x);
  const truncated = exact.slice(0, precision > 0 ? cut : cut - 1);
  const lastDigit = Number(truncated[truncated.length - 1]);
  if (lastDigit % 2 === 1) return withNegativeZero(rounded, x);
  return withNegativeZero((x < 0 ? '-' : '') + truncated, x);
}

/** Python keeps the sign of a negative number rounded to zero ("-0.00"). */
function withNegativeZero(s: string, x: number): string {
  if ((x < 0 || Object.is(x, -0)) && !s.startsWith('-')) return `-${s}`;
  return s;
}

export function formatExponent(x: number, precision: number, upper = false): string {
  if (!Number.isFinite(x)) return upper ? nonFinite(x).toUpperCase() : nonFinite(x);
  let s = x.toExponential(precision);
  const exact = Math.abs(x).toExponential(Math.min(100, precision + 30));
  const [mant, exp] = exact.split('e') as [string, string];
  const tail = mant.replace('.', '').slice(precision + 1);
  if (/^50*$/.test(tail)) {
    const kept = mant.replace('.', '').slice(0, precision + 1);
    if (Number(kept[kept.length - 1]) % 2 === 0) {
      s = `${x < 0 ? '-' : ''}${kept[0]}${precision > 0 ? `.${kept.slice(1)}` : ''}e${exp}`;
    }
  }
  const [m, e] = s.split('e') as [string, string];
  const expNum = Number(e);
  const out = `${withNegativeZero(m, x)}e${expNum < 0 ? '-' : '+'}${String(Math.abs(expNum)).padStart(2, '0')}`;
  return upper ? out.toUpperCase() : out;
}

/** `%g`: exponent notation below 1e-4 or from 10**precision, trailing zeros dropped unless alternate. */
export function formatGeneral(x: number, precision: number, alternate = false, upper = false): string {
  if (!Number.isFinite(x)) return upper ? nonFinite(x).toUpperCase() : nonFinite(x);
  const p = precision === 0 ? 1 : precision;
  if (x === 0) {
    const zero = alternate ? `0.${'0'.repeat(p - 1)}` : '0';
    return Object.is(x, -0) ? `-${zero}` : zero;
  }
  const asExp = formatExponent(x, p - 1);
  const exp = Number(asExp.split('e')[1]);
  let s = exp >= -4 && exp < p ? formatFixed(x, p - 1 - exp) : asExp;
  if (!alternate) s = stripTrailingZeros(s);
  return upper ? s.toUpperCase() : s;
}

function stripTrailingZeros(s: string): string {
  const [m, e] = s.split('e') as [string, string | undefined];
  const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
  return e === undefined ? mant : `${mant}e${e}`;
}

function nonFinite(x: number): string {
  return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
}

/** Python's round(x, ndigits) on a float: correctly rounded, ties to even. */
export function roundHalfEven(x: number, ndigits: number): number {
  if (!Number.isFinite(x)) return x;
  if (ndigits >= 0) return Number(formatFixed(x, Math.min(ndigits, 100)));
  const scale = 10 ** -ndigits;
  const q = x / scale;
  const r = Math.round(q);
  const tie = Math.abs(q - Math.trunc(q)) === 0.5;
  return (tie && r % 2 !== 0 ? r - 1 : r) * scale;
}

/** Digit grouping for `{:,}` and `{:_}`: the integer part of a formatted number. */
export function groupDigits(s: string, separator: string, every = 3): string {
  const sign = s.startsWith('-') ? '-' : '';
  const body = sign ? s.slice(1) : s;
  const dot = body.search(/[.eE]/);
  const intPart = dot === -1 ? body : body.slice(0, dot);
  const rest = dot === -1 ? '' : body.slice(dot);
  let grouped = '';
  for (let i = intPart.length; i > 0; i -= every) {
    grouped = intPart.slice(Math.max(0, i - every), i) + (grouped ? separator + grouped : '');
  }
  return sign + grouped + rest;
}
