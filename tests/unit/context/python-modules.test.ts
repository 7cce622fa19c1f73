/** modules.datetime / pytz / re as dbt packages use them, rendered by the engine. */
import { describe, expect, it } from 'vitest';
import { Environment } from '../../../src/jinja/index.js';
import { pythonModules } from '../../../src/context/modules/index.js';

const render = (source: string) => new Environment().fromString(source, 'test.sql').render({ modules: pythonModules });

describe('modules.datetime', () => {
  it('does date and timedelta arithmetic as Python does', () => {
    const source = [
      '{% set d = modules.datetime.date(2024, 2, 28) %}',
      '{{ d + modules.datetime.timedelta(days=2) }}|',
      '{{ (modules.datetime.date(2024, 3, 1) - d).days }}|',
      '{{ modules.datetime.timedelta(days=1) + d }}|',
      '{{ -modules.datetime.timedelta(hours=1) }}',
    ].join('');
    expect(render(source)).toBe('2024-03-01|2|2024-02-29|-1 day, 23:00:00');
  });

  it('subtracts datetimes into a timedelta (what dbt-expectations computes)', () => {
    const source = '{% set dt = modules.datetime.datetime %}{{ (dt(2024, 1, 2, 6) - dt(2024, 1, 1)).total_seconds() }}';
    expect(render(source)).toBe('108000.0');
  });

  it('compares dates, datetimes and timedeltas by value; a date and a datetime do not order', () => {
    const source = [
      '{% set date = modules.datetime.date %}',
      '{{ date(2024, 1, 1) < date(2024, 1, 2) }} {{ date(2024, 1, 1) == date(2024, 1, 1) }} ',
      '{{ modules.datetime.timedelta(days=1) > modules.datetime.timedelta(hours=23) }} ',
      '{{ [date(2024, 5, 1), date(2023, 1, 1)] | min }}',
    ].join('');
    expect(render(source)).toBe('True True True 2023-01-01');
    expect(() => render('{{ modules.datetime.date(2024, 1, 1) < modules.datetime.datetime(2024, 1, 1) }}')).toThrow("'<' not supported between instances of");
  });

  it('formats and parses with strftime and strptime', () => {
    expect(render("{{ modules.datetime.datetime.strptime('2024-03-05 07:08', '%Y-%m-%d %H:%M').strftime('%d/%m/%y %I%p') }}")).toBe('05/03/24 07AM');
  });
});

describe('modules.re', () => {
  it("reads Python's leading inline flags, as codegen's (?i)(?s) patterns use them", () => {
    expect(render("{{ modules.re.search('(?i)(?s)(^.*\\\\s*|\\\\s+|,)with\\\\s', 'SELECT 1\\nWITH x as (') is not none }}")).toBe('True');
    expect(render("{{ modules.re.sub('(?i)^select', 'pick', 'SELECT a') }}")).toBe('pick a');
    expect(render("{{ modules.re.match('(?x) a  b # spaced', 'ab') is not none }}")).toBe('True');
  });
});

describe('modules.re syntax Python takes', () => {
  it('reads a literal brace and a needless escape as Python does', () => {
    expect(render("{{ modules.re.sub('({{\\\\s*ref)', '<ref>', 'from {{ ref(1) }}') }}")).toBe('from <ref>(1) }}');
    expect(render("{{ modules.re.findall('\\\\\\'(\\\\w+)\\\\\\'', \"a 'b' c\") }}")).toBe("['b']");
  });
});
