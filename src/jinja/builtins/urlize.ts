/**
 * Jinja2's urlize: links for http(s):// and www. addresses, bare domains with
 * a common top-level domain, and e-mail addresses; trailing punctuation and
 * unbalanced brackets stay outside the link. The text is escaped first.
 */
import { escapeText } from '../values/arithmetic.js';

/** Python's \w in a character class (Unicode letters, digits, underscore). */
const WORD = '\\p{L}\\p{N}_';
const HTTP = new RegExp(
  `^((https?://|www\\.)(([${WORD}%-]+\\.)+)?([a-z]{2,63}|xn--[${WORD}%]{2,59})` +
    `|([${WORD}%-]{2,63}\\.)+(com|net|int|edu|gov|org|info|mil)` +
    `|(https?://)((\\d{1,3}(\\.\\d{1,3}){3})|(\\[([\\da-f]{0,4}:){2}([\\da-f]{0,4}:?){1,6}\\])))` +
    `(?::\\d{1,5})?(?:[/?#]\\S*)?$`,
  'iu',
);
const EMAIL = new RegExp(`^\\S+@[${WORD}][${WORD}.-]*\\.[${WORD}]+$`, 'u');

export function urlize(text: string, trimLimit: number | null, rel: string | null, target: string | null, extraSchemes: string[]): string {
  const trim = (x: string) => (trimLimit !== null && x.length > trimLimit ? `${x.slice(0, trimLimit)}...` : x);
  const words = escapeText(text).split(/(\s+)/);
  const relAttr = rel ? ` rel="${escapeText(rel)}"` : '';
  const targetAttr = target ? ` target="${escapeText(target)}"` : '';
  return words
    .map((word) => {
      let head = '';
      let middle = word;
      let tail = '';
      const lead = /^([(<]|&lt;)+/.exec(middle);
      if (lead) {
        head = lead[0];
        middle = middle.slice(head.length);
      }
      if (/[)>.,\n]$|&gt;$/.test(middle)) {
        const trail = /([)>.,\n]|&gt;)+$/.exec(middle);
        if (trail) {
          tail = trail[0];
          middle = middle.slice(0, trail.index);
        }
      }
      for (const [start, end] of [
        ['(', ')'],
        ['<', '>'],
        ['&lt;', '&gt;'],
      ] as const) {
        const starts = middle.split(start).length - 1;
        if (starts <= middle.split(end).length - 1) continue;
        const moves = Math.min(starts, tail.split(end).length - 1);
        for (let i = 0; i < moves; i++) {
          const endIndex = tail.indexOf(end) + end.length;
          middle += tail.slice(0, endIndex);
          tail = tail.slice(endIndex);
        }
      }
      if (HTTP.test(middle)) {
        const href = middle.startsWith('https://') || middle.startsWith('http://') ? middle : `https://${middle}`;
        middle = `<a href="${href}"${relAttr}${targetAttr}>${trim(middle)}</a>`;
      } else if (middle.startsWith('mailto:') && EMAIL.test(middle.slice(7))) {
        middle = `<a href="${middle}">${middle.slice(7)}</a>`;
      } else if (middle.includes('@') && !middle.startsWith('www.') && !middle.startsWith('@') && !middle.includes(':') && EMAIL.test(middle)) {
        middle = `<a href="mailto:${middle}">${middle}</a>`;
      } else {
        for (const scheme of extraSchemes) {
          if (middle !== scheme && middle.startsWith(scheme)) middle = `<a href="${middle}"${relAttr}${targetAttr}>${middle}</a>`;
        }
      }
      return `${head}${middle}${tail}`;
    })
    .join('');
}
