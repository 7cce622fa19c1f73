/** Filters from Jinja2's HTML side: escape, safe, striptags, urlencode, urlize, xmlattr, tojson, pprint. */
import { valueError } from '../errors.js';
import { escapeText } from '../values/arithmetic.js';
import { pyTruthy } from '../values/compare.js';
import { pyIter, toList } from '../values/iterate.js';
import { isDict, Markup } from '../values/py-types.js';
import { pyRepr, pyStr } from '../values/repr.js';
import { Undefined } from '../values/undefined.js';
import { filter, type Filter } from './filter-support.js';
import { unescapeHtml } from './html-entities.js';
import { htmlSafeJson } from './json.js';
import { pformat } from './pprint.js';
import { urlize } from './urlize.js';

const ALWAYS_SAFE = /[A-Za-z0-9_.\-~]/;

/** urllib.parse.quote of the UTF-8 bytes; `/` kept unless forQuery, where a space is `+`. */
export function urlQuote(v: unknown, forQuery: boolean): string {
  const text = pyStr(v);
  let out = '';
  for (const byte of new TextEncoder().encode(text)) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x80 && (ALWAYS_SAFE.test(ch) || (!forQuery && ch === '/'))) out += ch;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return forQuery ? out.replace(/%20/g, '+') : out;
}

/** Markup.striptags(): comments and tags removed, whitespace collapsed, entities decoded. */
function stripTags(value: string): string {
  let text = value;
  const parts: string[] = [];
  let pos = 0;
  for (let start = text.indexOf('<', pos); start !== -1; start = text.indexOf('<', pos)) {
    const isComment = text.startsWith('<!--', start);
    const end = isComment ? text.indexOf('-->', start + 4) : text.indexOf('>', start);
    if (end === -1) break;
    parts.push(text.slice(pos, start));
    pos = end + (isComment ? 3 : 1);
  }
  if (pos > 0) {
    parts.push(text.slice(pos));
    text = parts.join('');
  }
  return unescapeHtml(
    text
      .split(/[\s\x1c-\x1f\x85]+/)
      .filter((w) => w)
      .join(' '),
  );
}

export const HTML_FILTERS: Record<string, Filter> = {
  escape: filter('escape', ['s'], (s) => new Markup(escapeText(s))),
  e: filter('escape', ['s'], (s) => new Markup(escapeText(s))),
  forceescape: filter('do_forceescape', ['value'], (value) => new Markup(escapeText(pyStr(value)))),
  safe: filter('do_mark_safe', ['value'], (value) => (value instanceof Markup ? value : new Markup(pyStr(value)))),
  striptags: filter('do_striptags', ['value'], (value) => stripTags(pyStr(value))),
  urlencode: filter('do_urlencode', ['value'], (value) => {
    if (typeof value === 'string' || value instanceof Markup || value === null || typeof value !== 'object') return urlQuote(value, false);
    const pairs = isDict(value) ? Object.keys(value).map((k) => [k, value[k]]) : [...pyIter(value)].map(toList);
    return pairs.map(([k, v]) => `${urlQuote(k, true)}=${urlQuote(v, true)}`).join('&');
  }),
  urlize: filter(
    'do_urlize',
    ['value', 'trim_url_limit=None', 'nofollow=False', 'target=None', 'rel=None', 'extra_schemes=None'],
    (value, limit, nofollow, target, rel, schemes) => {
      const relParts = new Set((rel === null ? '' : pyStr(rel)).split(/\s+/).filter((r) => r));
      if (pyTruthy(nofollow)) relParts.add('nofollow');
      relParts.add('noopener');
      const extra = schemes === null ? [] : toList(schemes).map((s) => pyStr(s));
      for (const scheme of extra) {
        if (!/^[\p{L}\p{N}_.+-]{2,}:\/{0,2}$/u.test(scheme)) throw valueError(`${pyRepr(scheme)} is not a valid URI scheme prefix.`);
      }
      return urlize(pyStr(value), limit === null ? null : Number(limit), [...relParts].sort().join(' ') || null, target === null ? null : pyStr(target), extra);
    },
  ),
  xmlattr: filter('do_xmlattr', ['d', 'autospace=True'], (d, autospace) => {
    const items: string[] = [];
    for (const key of Object.keys(d as Record<string, unknown>)) {
      const v = (d as Record<string, unknown>)[key];
      if (v === null || v instanceof Undefined) continue;
      if (/[\s/>=]/.test(key)) throw valueError(`Invalid character in attribute name: ${pyRepr(key)}`);
      items.push(`${escapeText(key)}="${escapeText(v)}"`);
    }
    const rv = items.join(' ');
    return pyTruthy(autospace) && rv ? ` ${rv}` : rv;
  }),
  tojson: filter('do_tojson', ['value', 'indent=None'], (value, indent) => new Markup(htmlSafeJson(value, indent === null ? null : Number(indent)))),
  pprint: filter('do_pprint', ['value'], (value) => pformat(value)),
};
