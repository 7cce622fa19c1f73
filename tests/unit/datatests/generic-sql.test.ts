import { describe, expect, it } from 'vitest';
import { GENERIC_TESTS } from '../../../src/datatests/index.js';
import { sqlLiteral } from '../../../src/datatests/sql-literal.js';
import { genericTestSql } from '../../../src/datatests/generic-tests.js';

const sql = (name: string, args: Record<string, unknown> = {}, column?: string) =>
  genericTestSql(name, GENERIC_TESTS[name]!, { model: '"s"."users"', column, args });

describe('generic test SQL', () => {
  it('not_null and unique select the failing rows, identifiers quoted', () => {
    expect(sql('not_null', {}, 'user_id')).toBe('select *\nfrom "s"."users"\nwhere "user_id" is null');
    expect(sql('unique', {}, 'we"ird')).toBe(
      'select "we""ird" as unique_field, count(*) as n_records\nfrom "s"."users"\nwhere "we""ird" is not null\ngroup by "we""ird"\nhaving count(*) > 1',
    );
  });

  it('accepted_values quotes values as literals, or not with quote: false', () => {
    expect(sql('accepted_values', { values: ["O'Brien", 'a'] }, 'name')).toContain(`where value_field not in ('O''Brien', 'a')`);
    expect(sql('accepted_values', { values: [1, 2.5, '3'], quote: false }, 'n')).toContain('where value_field not in (1, 2.5, 3)');
    expect(sql('accepted_values', { values: [1, true] }, 'n')).toContain(`not in ('1', 'true')`);
    expect(() => sql('accepted_values', { values: ['1; drop table x'], quote: false }, 'n')).toThrow(/not a number or boolean/);
  });

  it('relationships left-joins the parent on the field', () => {
    expect(sql('relationships', { to: '"s"."countries"', field: 'id' }, 'country_id')).toBe(
      [
        'with child as (',
        '    select "country_id" as from_field',
        '    from "s"."users"',
        '    where "country_id" is not null',
        '),',
        'parent as (',
        '    select "id" as to_field',
        '    from "s"."countries"',
        ')',
        'select child.from_field',
        'from child',
        'left join parent on child.from_field = parent.to_field',
        'where parent.to_field is null',
      ].join('\n'),
    );
  });

  it('expression_is_true: whole expressions as written, operators applied to the column', () => {
    expect(sql('expression_is_true', { expression: 'a is null or a >= 0' }, 'a')).toBe('select *\nfrom "s"."users"\nwhere not (a is null or a >= 0)');
    expect(sql('expression_is_true', { expression: '>= 0' }, 'a')).toBe('select *\nfrom "s"."users"\nwhere not ("a" >= 0)');
    expect(sql('expression_is_true', { expression: 'is not null' }, 'a')).toContain('where not ("a" is not null)');
    expect(sql('expression_is_true', { expression: '(x = 1) = (y = 2)' })).toContain('where not ((x = 1) = (y = 2))');
  });

  it('unique_combination_of_columns, row_count and equal_row_count', () => {
    expect(sql('unique_combination_of_columns', { combination_of_columns: ['a', 'b'] })).toBe(
      'select "a", "b", count(*) as n_records\nfrom "s"."users"\ngroup by "a", "b"\nhaving count(*) > 1',
    );
    expect(sql('row_count', { min: 3, max: 3 })).toBe('select count(*) as row_count\nfrom "s"."users"\nhaving count(*) < 3 or count(*) > 3');
    expect(sql('row_count', { min: 1 })).toContain('having count(*) < 1');
    expect(sql('equal_row_count', { compare_model: '"s"."other"', compare_expression: 'sum(users)' })).toBe(
      [
        'with a as (select sum(users) as model_value from "s"."users"),',
        'b as (select count(*) as compare_value from "s"."other")',
        'select a.model_value, b.compare_value',
        'from a cross join b',
        'where a.model_value is distinct from b.compare_value',
      ].join('\n'),
    );
  });

  it('checks arguments at parse time', () => {
    expect(GENERIC_TESTS.accepted_values!.check({})).toEqual(['values: list the accepted values']);
    expect(GENERIC_TESTS.relationships!.check({ to: 'x' })).toEqual(['field: name the column of the parent']);
    expect(GENERIC_TESTS.row_count!.check({})).toEqual(['give min:, max: or both']);
    expect(GENERIC_TESTS.row_count!.check({ min: 1.5 })).toEqual(['min: must be a whole number']);
    expect(GENERIC_TESTS.unique_combination_of_columns!.check({ combination_of_columns: 'a' })).toHaveLength(1);
    expect(() => sql('not_null')).toThrow(/needs a column/);
  });

  it('sqlLiteral is the one quoting function', () => {
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral(null)).toBe('null');
    expect(sqlLiteral(false, false)).toBe('false');
    expect(() => sqlLiteral('a\0b')).toThrow(/NUL/);
  });
});
