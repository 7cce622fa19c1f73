import { describe, expect, it } from 'vitest';
import { genericTestName, limitName, MAX_NAME_BYTES } from '../../../src/datatests/test-names.js';
import { rewriteTestBlocks } from '../../../src/parse/test-blocks.js';

describe('test names', () => {
  it('are dbt names: test, subject, arguments', () => {
    expect(genericTestName({ testName: 'not_null' }, 'orders', { column_name: 'order_id' })).toBe('not_null_orders_order_id');
    expect(genericTestName({ testName: 'relationships' }, 'orders', { column_name: 'customer_id', to: "ref('customers')", field: 'customer_id' })).toBe(
      'relationships_orders_customer_id__customer_id__ref_customers_',
    );
    expect(genericTestName({ testName: 'row_count' }, 'summary', { min: 3, max: 3 })).toBe('row_count_summary_3__3');
    expect(genericTestName({ testName: 'expression_is_true', namespace: 'dbt_utils' }, 'x', {})).toBe('dbt_utils_expression_is_true_x');
  });

  it('stay within 63 bytes and unique through a hash of the full name', () => {
    const long = (values: string[]) => genericTestName({ testName: 'accepted_values' }, 'clean_users', { column_name: 'age_range', values });
    const a = long(['-18', '18-25', '26-35', '36-50', '50+', 'unknown']);
    const b = long(['-18', '18-25', '26-35', '36-50', '50+', 'other']);
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(a).toMatch(/^accepted_values_clean_users_age_range___18__18_25_.*_[0-9a-f]{10}$/);
    expect(a).not.toBe(b);
    expect(limitName('é'.repeat(40))).toMatch(/_[0-9a-f]{10}$/);
    expect(Buffer.byteLength(limitName('é'.repeat(40)))).toBeLessThanOrEqual(MAX_NAME_BYTES);
  });
});

describe('{% test %} blocks', () => {
  it('become test_<name> macros, keeping lines', () => {
    const source = '{% test is_positive(model, column_name) %}\nselect 1\n{%- endtest %}\n{%- test  other (model) -%}x{% endtest -%}';
    expect(rewriteTestBlocks(source)).toBe(
      '{% macro test_is_positive(model, column_name) %}\nselect 1\n{%- endmacro %}\n{%- macro  test_other (model) -%}x{% endmacro -%}',
    );
    expect(rewriteTestBlocks('{% if x is test %}')).toBe('{% if x is test %}');
  });
});
