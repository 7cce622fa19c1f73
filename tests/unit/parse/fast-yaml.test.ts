/**
 * The fast YAML path must read exactly what the `yaml` package reads: the same
 * value (key order included) and the same line for every path, on a corpus of
 * schema files and on generated documents; anything else must be left to `yaml`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../../../src/config/yaml-file.js';
import { parseFastYaml } from '../../../src/parse/fast-yaml.js';

/** Every path into a value, plus a missing child of each collection. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const result = [prefix, [...prefix, 'missing'], [...prefix, 99]];
  if (Array.isArray(value)) value.forEach((v, i) => result.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) result.push(...paths(v, [...prefix, k]));
  return result;
}

function expectSame(text: string): boolean {
  const fast = parseFastYaml(text, 'models/schema.yml');
  if (!fast) return false;
  const slow = parseYamlText(text, 'models/schema.yml');
  expect(fast.value, text).toEqual(slow.value);
  expect(JSON.stringify(fast.value), text).toBe(JSON.stringify(slow.value));
  for (const path of paths(slow.value)) expect(fast.lineOf(path), `${JSON.stringify(path)} in\n${text}`).toBe(slow.lineOf(path));
  return true;
}

const FAST = [
  '',
  '# only a comment\n\n',
  'version: 2\n',
  'version: 2\n\nmodels:\n  - name: orders\n    description: All orders # trailing comment\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n      - name: status\n        tests:\n          - accepted_values:\n              values: [\'placed\', "shipped", returned]\n',
  'models:\n- name: a\n  config:\n    materialized: table\n    tags: [x, y]\n    +schema: clean\n- name: b\n  description:\n',
  'sources:\n  - name: raw\n    schema: landing\n    tables:\n      - name: events\n        identifier: events_v2\n        loader: copy\n        columns: []\n      - name: users\n        meta: {owner: data, tier: 1}\n',
  'a:\n  - x\n  -\n    name: deep\n    more: 1\n  -\n',
  'a:\n-\n- b\n- c: 1\n  d: 2\n',
  'literal: |\n  line one\n    indented\n\n  # not a comment\n  last\nfolded: >\n  one\n  two\n\n  three\n\n\n  four\nstrip: |-\n  x\n  y\n\n\nkeep_going: 1\n',
  'desc: >-\n    folded and\n    stripped\nnext: x\n',
  "values:\n  int: 12\n  neg: -3\n  plus: +4\n  octal: 0o17\n  hex: 0x1F\n  float: 1.50\n  dot: .5\n  trail: 1.\n  exp: 1e3\n  inf: -.inf\n  b1: true\n  b2: False\n  n1: null\n  n2: ~\n  n3: NULL\n  s1: yes\n  s2: 2024-01-01\n  s3: 1_000\n  s4: nULL\n  s5: 'it''s'\n  s6: \"double 'q'\"\n  s7: a:b\n  s8: a#b\n  s9: http://x.com/a?b=c\n  s10: -foo\n  s11: ''\n  s12: \"\"\n",
  'nested:\n  deeper:\n    deepest:\n      - [1, [2, 3], {a: b}]\n      - {}\n      - []\n',
  'models:\n  - name: x\n    columns:\n    - name: a\n      tests:\n      - unique\n    - name: b\n',
];

const NOT_FAST = [
  'a: &anchor 1\nb: *anchor\n',
  'a: !tag x\n',
  'a: b\n  continued\n',
  "a: 'multi\n  line'\n",
  'a: "esc\\n"\n',
  'a: 1\na: 2\n',
  '---\na: 1\n',
  'a:\tb\n',
  'a: 1\r\nb: 2\r\n',
  '? complex\n: key\n',
  '1: number key\n',
  'true: bool key\n',
  'a: [1, 2,]\n',
  'a: [1,\n  2]\n',
  'a: b: c\n',
  'a: |+\n  keep\n',
  'a: |2\n   x\n',
  'a: >\n  x\n    more indented\n',
  'a: |\n\n  leading blank\n',
  '  indented: root\n',
  'just a scalar\n',
  'a: - b\n',
  '- - nested\n',
  '__proto__: x\n',
  'a: {__proto__: 1}\n',
  'a: "x" trailing\n',
  '"quoted key": 1\n',
  'a:\n  b: 1\n c: 2\n',
  'a: 1\n   b: 2\n',
];

describe('fast YAML path', () => {
  it.each(FAST)('reads %j as yaml does', (text) => {
    expect(expectSame(text)).toBe(true);
  });

  it.each(NOT_FAST)('leaves %j to yaml', (text) => {
    expect(parseFastYaml(text, 'x.yml')).toBeUndefined();
  });

  it('reads the project fixtures as yaml does', () => {
    for (const file of ['tests/fixtures/shop_dbt/models/schema.yml', 'models/clean/schema.yml', 'models/kpi/schema.yml', 'models/raw/schema.yml']) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      expectSame(text);
    }
  });

  it('agrees with yaml on generated documents', () => {
    let seed = 11;
    const random = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * n);
    const scalars = ['x', 'two words', '12', '-1', '1.5', 'true', 'null', '~', "'q''s'", '"dq"', 'a:b', '[1, b]', '{k: v}', '', '# c', 'yes', '0x1A'];
    const build = (depth: number, indent: string): string => {
      const lines: string[] = [];
      const n = 1 + random(3);
      const asList = random(2) === 0;
      for (let i = 0; i < n; i++) {
        const lead = asList ? `${indent}- ` : `${indent}k${i}: `;
        const kind = depth > 2 ? 0 : random(5);
        if (kind === 0) lines.push(`${lead}${scalars[random(scalars.length)]}`.replace(/ +$/, ''));
        else if (kind === 1) lines.push(`${lead}|${random(2) ? '-' : ''}`, `${indent}  text ${i}`, `${indent}  more`);
        else if (asList && kind === 2) lines.push(`${indent}- m: ${i}`, `${indent}  n: [a]`);
        else lines.push(lead.trimEnd(), build(depth + 1, `${indent}  `));
        if (random(4) === 0) lines.push('', `${indent}# comment`);
      }
      return lines.join('\n');
    };
    let fast = 0;
    for (let i = 0; i < 300; i++) if (expectSame(`${build(0, '')}\n`)) fast++;
    expect(fast).toBeGreaterThan(150);
  });
});
