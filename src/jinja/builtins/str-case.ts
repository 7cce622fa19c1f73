/** Python's notion of whitespace and letter case, where it differs from JavaScript's. */
import { typeError } from '../errors.js';
import { typeName } from '../values/type-name.js';

/** str.isspace(): JavaScript's \s plus \x1c-\x1f and \x85, without the BOM. */
const PY_SPACE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

export function isPySpace(c: string): boolean {
  return PY_SPACE.test(c);
}

export function pyUpper(s: string): string {
  return s.toUpperCase();
}

export function pyLower(s: string): string {
  return s.toLowerCase();
}

const FOLDS: Record<string, string> = { ß: 'ss', ẞ: 'ss', ς: 'σ', ﬀ: 'ff', ﬁ: 'fi', ﬂ: 'fl', ﬃ: 'ffi', ﬄ: 'ffl', ﬅ: 'st', ﬆ: 'st' };

/** str.casefold(): lower case plus the foldings that lower() does not do (ß → ss). */
export function caseFold(s: string): string {
  return s.toLowerCase().replace(/[ßẞςﬀ-ﬆ]/g, (c) => FOLDS[c] ?? c);
}

/** strip/lstrip/rstrip: whitespace by default, else any of `chars`. */
export function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  let isStripped: (c: string) => boolean;
  if (chars === null || chars === undefined) isStripped = isPySpace;
  else if (typeof chars === 'string') isStripped = (c) => chars.includes(c);
  else throw typeError(`strip arg must be None or str, not ${typeName(chars)}`);
  let start = 0;
  let end = s.length;
  while (left && start < end && isStripped(s[start]!)) start++;
  while (right && end > start && isStripped(s[end - 1]!)) end--;
  return s.slice(start, end);
}

const CASED = /[\p{Lu}\p{Ll}\p{Lt}]/u;

/** str.title(): a cased character after an uncased one is upper case, the others lower. */
export function titleCase(s: string): string {
  let out = '';
  let previousCased = false;
  for (const c of s) {
    const cased = CASED.test(c);
    out += cased ? (previousCased ? c.toLowerCase() : c.toUpperCase()) : c;
    previousCased = cased;
  }
  return out;
}

export function capitalize(s: string): string {
  const first = s.codePointAt(0);
  if (first === undefined) return s;
  const head = String.fromCodePoint(first);
  return head.toUpperCase() + s.slice(head.length).toLowerCase();
}

export function swapCase(s: string): string {
  let out = '';
  for (const c of s) out += c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
  return out;
}
