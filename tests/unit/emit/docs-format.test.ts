/**
 * Formatting for people: the page's own format.js (a browser script, run here in a
 * vm context) and the descriptions and test labels written at generation time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { siteSourceDir } from '../../../src/emit/docs-assets.js';
import { escapeHtml, markdownToHtml, testLabel } from '../../../src/emit/docs-text.js';

interface Format {
  number(v: unknown, digits?: number): string;
  compact(v: unknown): string;
  percent(v: unknown, digits?: number): string;
  signedPercent(v: unknown, digits?: number): string;
  duration(v: unknown): string;
  elapsed(v: unknown): string;
  month(v: unknown): string;
  monthOfYear(v: unknown): string;
  date(v: unknown): string;
}

function loadFormat(locale: string): Format {
  const context: { TspipeFormat?: { make(locale: string): Format }; Intl: typeof Intl; Date: DateConstructor } = { Intl, Date };
  runInNewContext(readFileSync(join(siteSourceDir(), 'format.js'), 'utf8'), context);
  return context.TspipeFormat!.make(locale);
}

describe('format.js (the page formats numbers with Intl)', () => {
  const en = loadFormat('en-US');
  const fr = loadFormat('fr-FR');

  it('formats counts, shares and changes for people', () => {
    expect(en.number(1464)).toBe('1,464');
    expect(en.number(29.26, 1)).toBe('29.3');
    expect(fr.number(1464).replace(/\s/g, ' ')).toBe('1 464');
    expect(en.compact(15300)).toBe('15.3K');
    expect(en.percent(0.488)).toBe('48.8%');
    expect(en.percent(0.38)).toBe('38%');
    expect(en.signedPercent(0.22)).toBe('+22%');
    expect(en.signedPercent(-0.1754)).toBe('-17.5%');
    expect(en.signedPercent(0)).toBe('0%');
  });

  it('shows missing values as a dash, not NaN or null', () => {
    for (const value of [null, undefined, Number.NaN]) {
      expect(en.number(value)).toBe('–');
      expect(en.percent(value)).toBe('–');
      expect(en.duration(value)).toBe('–');
    }
  });

  it('formats durations and run times', () => {
    expect(en.duration(45)).toBe('45 s');
    expect(en.duration(177.42)).toBe('2 min 57 s');
    expect(en.duration(120)).toBe('2 min');
    expect(en.duration(3900)).toBe('1 h 5 min');
    expect(en.elapsed(0.523)).toBe('0.52 s');
    expect(en.elapsed(75)).toBe('1 min 15 s');
  });

  it('formats months and dates in UTC, so no time zone moves them a day', () => {
    expect(en.month('2024-11-01')).toBe('Nov 2024');
    expect(en.monthOfYear(1)).toBe('Jan');
    expect(en.date('2024-11-10')).toBe('Nov 10, 2024');
    expect(fr.date('2024-11-10')).toBe('10 nov. 2024');
  });
});

describe('descriptions and test labels', () => {
  it('renders a safe subset of Markdown', () => {
    expect(markdownToHtml('Users as of `as_of_date`, **typed**.')).toBe('<p>Users as of <code>as_of_date</code>, <strong>typed</strong>.</p>');
    expect(markdownToHtml('- `active`: an event\n  in the window;\n- `churned`: none')).toBe(
      '<ul><li><code>active</code>: an event in the window;</li><li><code>churned</code>: none</li></ul>',
    );
    expect(markdownToHtml('one\n\ntwo')).toBe('<p>one</p><p>two</p>');
    expect(markdownToHtml('see [dbt](https://docs.getdbt.com)')).toBe('<p>see <a href="https://docs.getdbt.com" rel="noopener">dbt</a></p>');
    expect(markdownToHtml('')).toBe('');
  });

  it('escapes HTML everywhere, code spans included', () => {
    expect(markdownToHtml('<script>alert(1)</script> `<b>`')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; <code>&lt;b&gt;</code></p>');
    expect(markdownToHtml('[x](javascript:alert(1))')).not.toContain('href');
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;');
  });

  it('writes a YAML test declaration on one line', () => {
    expect(testLabel('unique')).toBe('unique');
    expect(testLabel({ accepted_values: { values: ['a', 'b'], quote: false } })).toBe('accepted_values(values: [a, b], quote: false)');
    expect(testLabel({ relationships: { to: "ref('users')", field: 'id' } })).toBe("relationships(to: ref('users'), field: id)");
  });
});
