/**
 * Python's str methods, callable on strings in templates (`'a,b'.split(',')`,
 * `name.upper()`, `'{:>10}'.format(x)`...), with Python's semantics.
 */
import { typeError, valueError } from '../errors.js';
import { isTuple, tuple } from '../values/py-types.js';
import { typeName } from '../values/type-name.js';
import { toList } from '../values/iterate.js';
import { pyFunction, type PyCallable } from '../runtime/py-function.js';
import { methodTable } from './collection-methods.js';
import { capitalize, caseFold, isPySpace, pyLower, pyUpper, stripChars, swapCase, titleCase } from './str-case.js';

type Method = PyCallable<(...args: any[]) => unknown>;

function method(name: string, params: string[], impl: (this: string, ...args: any[]) => unknown): Method {
  return pyFunction({ name, params, raw: true }, impl);
}

function str(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  throw typeError(`${what} must be str, not ${typeName(v)}`);
}

/** Python's start/end arguments of find/count/startswith...: clamped, negative from the end. */
function sliceBounds(s: string, start: unknown, end: unknown): [number, number] {
  const len = s.length;
  const norm = (v: unknown, dflt: number) => {
    if (v === null || v === undefined) return dflt;
    let n = Number(v);
    if (n < 0) n = Math.max(0, n + len);
    return Math.min(n, len);
  };
  return [norm(start, 0), norm(end, len)];
}

function split(s: string, sep: unknown, maxsplit: number, fromRight: boolean): string[] {
  if (sep === null || sep === undefined) return splitWhitespace(s, maxsplit, fromRight);
  const separator = str(sep, 'sep');
  if (separator === '') throw valueError('empty separator');
  const parts = s.split(separator);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  if (fromRight) return [parts.slice(0, parts.length - maxsplit).join(separator), ...parts.slice(parts.length - maxsplit)];
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(separator)];
}

function splitWhitespace(s: string, maxsplit: number, fromRight: boolean): string[] {
  const words: string[] = [];
  const chars = Array.from(s);
  let i = fromRight ? chars.length - 1 : 0;
  const step = fromRight ? -1 : 1;
  const inside = (k: number) => k >= 0 && k < chars.length;
  while (inside(i)) {
    while (inside(i) && isPySpace(chars[i]!)) i += step;
    if (!inside(i)) break;
    if (maxsplit >= 0 && words.length === maxsplit) {
      const rest = fromRight ? chars.slice(0, i + 1) : chars.slice(i);
      words.push(rest.join(''));
      break;
    }
    const start = i;
    while (inside(i) && !isPySpace(chars[i]!)) i += step;
    words.push((fromRight ? chars.slice(i + 1, start + 1) : chars.slice(start, i)).join(''));
  }
  return fromRight ? words.reverse() : words;
}

const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

function splitlines(s: string, keepends: boolean): string[] {
  const lines: string[] = [];
  let last = 0;
  for (const m of s.matchAll(LINE_BREAK)) {
    lines.push(s.slice(last, keepends ? m.index! + m[0].length : m.index));
    last = m.index! + m[0].length;
  }
  if (last < s.length) lines.push(s.slice(last));
  return lines;
}

function affix(s: string, prefix: unknown, start: unknown, end: unknown, atEnd: boolean): boolean {
  const [a, b] = sliceBounds(s, start, end);
  const sub = s.slice(a, b);
  const options = isTuple(prefix) ? prefix : [prefix];
  return options.some((p) => {
    if (typeof p !== 'string') {
      throw typeError(`${atEnd ? 'endswith' : 'startswith'} first arg must be str or a tuple of str, not ${typeName(p)}`);
    }
    return atEnd ? sub.endsWith(p) : sub.startsWith(p);
  });
}

function replace(s: string, old: string, replacement: string, count: number): string {
  if (old === '') {
    const chars = Array.from(s);
    const n = count < 0 ? chars.length + 1 : Math.min(count, chars.length + 1);
    let out = '';
    for (let i = 0; i < n; i++) out += replacement + (chars[i] ?? '');
    return out + chars.slice(n).join('');
  }
  if (count < 0) return s.split(old).join(replacement);
  let out = '';
  let rest = s;
  for (let n = 0; n < count; n++) {
    const i = rest.indexOf(old);
    if (i === -1) break;
    out += rest.slice(0, i) + replacement;
    rest = rest.slice(i + old.length);
  }
  return out + rest;
}

function pad(s: string, width: unknown, fill: unknown, side: 'left' | 'right' | 'center'): string {
  const w = Number(width);
  const f = str(fill, 'fillchar');
  if (f.length !== 1) throw typeError('The fill character must be exactly one character long');
  const missing = w - s.length;
  if (missing <= 0) return s;
  if (side === 'left') return s + f.repeat(missing);
  if (side === 'right') return f.repeat(missing) + s;
  const left = Math.floor(missing / 2) + (missing & w & 1);
  return f.repeat(left) + s + f.repeat(missing - left);
}

function find(s: string, sub: unknown, start: unknown, end: unknown, fromRight: boolean): number {
  const [a, b] = sliceBounds(s, start, end);
  const needle = str(sub, 'must be str');
  if (a > b) return -1;
  const i = fromRight ? s.slice(a, b).lastIndexOf(needle) : s.slice(a, b).indexOf(needle);
  return i === -1 ? -1 : i + a;
}

function count(s: string, sub: unknown, start: unknown, end: unknown): number {
  const [a, b] = sliceBounds(s, start, end);
  if (a > b) return 0;
  const hay = s.slice(a, b);
  const needle = str(sub, 'must be str');
  if (needle === '') return hay.length + 1;
  return hay.split(needle).length - 1;
}

const every = (s: string, re: RegExp) => s.length > 0 && Array.from(s).every((c) => re.test(c));

export const STR_METHODS: Record<string, Method> = methodTable({
  upper: method('upper', [], function () {
    return pyUpper(this);
  }),
  lower: method('lower', [], function () {
    return pyLower(this);
  }),
  casefold: method('casefold', [], function () {
    return caseFold(this);
  }),
  swapcase: method('swapcase', [], function () {
    return swapCase(this);
  }),
  title: method('title', [], function () {
    return titleCase(this);
  }),
  capitalize: method('capitalize', [], function () {
    return capitalize(this);
  }),
  strip: method('strip', ['chars=None'], function (chars) {
    return stripChars(this, chars, true, true);
  }),
  lstrip: method('lstrip', ['chars=None'], function (chars) {
    return stripChars(this, chars, true, false);
  }),
  rstrip: method('rstrip', ['chars=None'], function (chars) {
    return stripChars(this, chars, false, true);
  }),
  split: method('split', ['sep=None', 'maxsplit=-1'], function (sep, maxsplit) {
    return split(this, sep, Number(maxsplit), false);
  }),
  rsplit: method('rsplit', ['sep=None', 'maxsplit=-1'], function (sep, maxsplit) {
    return split(this, sep, Number(maxsplit), true);
  }),
  splitlines: method('splitlines', ['keepends=False'], function (keepends) {
    return splitlines(this, Boolean(keepends));
  }),
  replace: method('replace', ['old', 'new', 'count=-1'], function (old, replacement, n) {
    return replace(this, str(old, 'replace() argument 1'), str(replacement, 'replace() argument 2'), Number(n));
  }),
  startswith: method('startswith', ['prefix', 'start=None', 'end=None'], function (p, a, b) {
    return affix(this, p, a, b, false);
  }),
  endswith: method('endswith', ['suffix', 'start=None', 'end=None'], function (p, a, b) {
    return affix(this, p, a, b, true);
  }),
  join: method('join', ['iterable'], function (iterable) {
    return toList(iterable)
      .map((item, i) => {
        if (typeof item === 'string') return item;
        throw typeError(`sequence item ${i}: expected str instance, ${typeName(item)} found`);
      })
      .join(this);
  }),
  find: method('find', ['sub', 'start=None', 'end=None'], function (sub, a, b) {
    return find(this, sub, a, b, false);
  }),
  rfind: method('rfind', ['sub', 'start=None', 'end=None'], function (sub, a, b) {
    return find(this, sub, a, b, true);
  }),
  index: method('index', ['sub', 'start=None', 'end=None'], function (sub, a, b) {
    const i = find(this, sub, a, b, false);
    if (i === -1) throw valueError('substring not found');
    return i;
  }),
  rindex: method('rindex', ['sub', 'start=None', 'end=None'], function (sub, a, b) {
    const i = find(this, sub, a, b, true);
    if (i === -1) throw valueError('substring not found');
    return i;
  }),
  count: method('count', ['sub', 'start=None', 'end=None'], function (sub, a, b) {
    return count(this, sub, a, b);
  }),
  isdigit: method('isdigit', [], function () {
    return every(this, /\p{Nd}|[\u00b2\u00b3\u00b9]/u);
  }),
  isdecimal: method('isdecimal', [], function () {
    return every(this, /\p{Nd}/u);
  }),
  isnumeric: method('isnumeric', [], function () {
    return every(this, /\p{N}/u);
  }),
  isalpha: method('isalpha', [], function () {
    return every(this, /\p{L}/u);
  }),
  isalnum: method('isalnum', [], function () {
    return every(this, /[\p{L}\p{N}]/u);
  }),
  isspace: method('isspace', [], function () {
    return this.length > 0 && Array.from(this).every(isPySpace);
  }),
  islower: method('islower', [], function () {
    return /\p{Ll}/u.test(this) && !/\p{Lu}|\p{Lt}/u.test(this);
  }),
  isupper: method('isupper', [], function () {
    return /\p{Lu}/u.test(this) && !/\p{Ll}|\p{Lt}/u.test(this);
  }),
  istitle: method('istitle', [], function () {
    return this.length > 0 && titleCase(this) === this && /\p{L}/u.test(this);
  }),
  isidentifier: method('isidentifier', [], function () {
    return /^[\p{ID_Start}_][\p{ID_Continue}]*$/u.test(this);
  }),
  isascii: method('isascii', [], function () {
    return /^[\x00-\x7f]*$/.test(this);
  }),
  zfill: method('zfill', ['width'], function (width) {
    const w = Number(width);
    const sign = /^[+-]/.test(this) ? this[0]! : '';
    const body = sign ? this.slice(1) : this;
    return this.length >= w ? this : sign + body.padStart(w - sign.length, '0');
  }),
  ljust: method('ljust', ['width', "fillchar=' '"], function (w, f) {
    return pad(this, w, f, 'left');
  }),
  rjust: method('rjust', ['width', "fillchar=' '"], function (w, f) {
    return pad(this, w, f, 'right');
  }),
  center: method('center', ['width', "fillchar=' '"], function (w, f) {
    return pad(this, w, f, 'center');
  }),
  partition: method('partition', ['sep'], function (sep) {
    const i = this.indexOf(str(sep, 'sep'));
    return i === -1 ? tuple([this, '', '']) : tuple([this.slice(0, i), sep as string, this.slice(i + (sep as string).length)]);
  }),
  rpartition: method('rpartition', ['sep'], function (sep) {
    const i = this.lastIndexOf(str(sep, 'sep'));
    return i === -1 ? tuple(['', '', this]) : tuple([this.slice(0, i), sep as string, this.slice(i + (sep as string).length)]);
  }),
  removeprefix: method('removeprefix', ['prefix'], function (p) {
    return this.startsWith(str(p, 'prefix')) ? this.slice((p as string).length) : this;
  }),
  removesuffix: method('removesuffix', ['suffix'], function (p) {
    const s = str(p, 'suffix');
    return s && this.endsWith(s) ? this.slice(0, -s.length) : this;
  }),
  expandtabs: method('expandtabs', ['tabsize=8'], function (size) {
    return expandTabs(this, Number(size));
  }),
});

function expandTabs(s: string, size: number): string {
  let out = '';
  let column = 0;
  for (const c of s) {
    if (c === '\t') {
      const n = size > 0 ? size - (column % size) : 0;
      out += ' '.repeat(n);
      column += n;
    } else {
      out += c;
      column = c === '\n' || c === '\r' ? 0 : column + 1;
    }
  }
  return out;
}
