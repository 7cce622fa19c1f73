/** Filters on text: case, trim, replace, truncate, indent, center, format, wordcount, wordwrap, string. */
import { filterArgumentError, PyError, typeError } from '../errors.js';
import { pyTruthy } from '../values/compare.js';
import { add } from '../values/arithmetic.js';
import { pyLen } from '../values/iterate.js';
import { Markup, tuple } from '../values/py-types.js';
import { pyStr } from '../values/repr.js';
import { capitalize, stripChars } from './str-case.js';
import { STR_METHODS } from './str-methods.js';
import { percentFormat } from './percent-format.js';
import { filter, softStr, type Filter } from './filter-support.js';
import { wrapText } from './text-wrap.js';

const WORD_BEGINNING = /([-\s({[<]+)/u;

function callStr(name: string, s: string, ...args: unknown[]): unknown {
  return STR_METHODS[name]!.call(s, ...args);
}

export const TEXT_FILTERS: Record<string, Filter> = {
  upper: filter('do_upper', ['s'], (s) => softStr(s).toUpperCase()),
  lower: filter('do_lower', ['s'], (s) => softStr(s).toLowerCase()),
  capitalize: filter('do_capitalize', ['s'], (s) => capitalize(softStr(s))),
  title: filter('do_title', ['s'], (s) =>
    softStr(s)
      .split(WORD_BEGINNING)
      .filter((item) => item)
      .map((item) => item[0]!.toUpperCase() + item.slice(1).toLowerCase())
      .join(''),
  ),
  trim: filter('do_trim', ['value', 'chars=None'], (value, chars) => stripChars(softStr(value), chars, true, true)),
  center: filter('do_center', ['value', 'width=80'], (value, width) => callStr('center', softStr(value), width)),
  replace: filter('do_replace', ['s', 'old', 'new', 'count=None'], (s, old, replacement, count) =>
    callStr('replace', pyStr(s), pyStr(old), pyStr(replacement), count ?? -1),
  ),
  string: filter('soft_str', ['s'], (s) => (s instanceof Markup ? s : pyStr(s))),
  wordcount: filter('do_wordcount', ['s'], (s) => (softStr(s).match(/[\p{L}\p{N}_]+/gu) ?? []).length),
  format: filter('do_format', ['value', '*args', '**kwargs'], (value, args: unknown[], kwargs: Record<string, unknown>) => {
    const hasKwargs = Object.keys(kwargs).length > 0;
    if (args.length && hasKwargs) throw filterArgumentError("can't handle positional and keyword arguments at the same time");
    return percentFormat(softStr(value), hasKwargs ? kwargs : tuple(args));
  }),
  truncate: filter('do_truncate', ['s', 'length=255', 'killwords=False', "end='...'", 'leeway=None'], (s, length, killwords, end, leeway) => {
    const lee = leeway === null ? 5 : Number(leeway);
    const text = s as string;
    const endText = pyStr(end);
    if (Number(length) < endText.length) throw new PyError('AssertionError', `expected length >= ${endText.length}, got ${length}`);
    if (lee < 0) throw new PyError('AssertionError', `expected leeway >= 0, got ${lee}`);
    if (pyLen(text) <= Number(length) + lee) return s;
    const head = Array.from(pyStr(text))
      .slice(0, Number(length) - endText.length)
      .join('');
    if (pyTruthy(killwords)) return head + endText;
    const space = head.lastIndexOf(' ');
    return (space === -1 ? head : head.slice(0, space)) + endText;
  }),
  indent: filter('do_indent', ['s', 'width=4', 'first=False', 'blank=False'], (s, width, first, blank) => {
    const indention = typeof width === 'string' ? width : ' '.repeat(Number(width));
    if (typeof s !== 'string' && !(s instanceof Markup)) add(s, '\n');
    const text = `${softStr(s)}\n`;
    const lines = callStr('splitlines', text) as string[];
    let rv: string;
    if (pyTruthy(blank)) rv = lines.join(`\n${indention}`);
    else {
      rv = lines.shift() ?? '';
      if (lines.length) rv += `\n${lines.map((line) => (line ? indention + line : line)).join('\n')}`;
    }
    return pyTruthy(first) ? indention + rv : rv;
  }),
  wordwrap: filter(
    'do_wordwrap',
    ['s', 'width=79', 'break_long_words=True', 'wrapstring=None', 'break_on_hyphens=True'],
    (s, width, breakLong, wrapstring, hyphens) => {
      if (typeof s !== 'string') throw typeError(`'${typeof s}' object has no attribute 'splitlines'`);
      const sep = wrapstring === null ? '\n' : pyStr(wrapstring);
      const paragraphs = callStr('splitlines', s) as string[];
      return paragraphs.map((line) => wrapText(line, Number(width), pyTruthy(breakLong), pyTruthy(hyphens)).join(sep)).join(sep);
    },
  ),
};
