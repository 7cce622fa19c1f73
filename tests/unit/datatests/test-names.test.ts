import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { genericTestName } from '../../../src/datatests/test-names.js';

describe('test names', () => {
  it('are dbt names: test, subject, then argument values in argument-name order', () => {
    expect(genericTestName({ testName: 'not_null' }, 'orders', { column_name: 'order_id' }).name).toBe('not_null_orders_order_id');
    expect(genericTestName({ testName: 'relationships' }, 'orders', { column_name: 'customer_id', to: "ref('customers')", field: 'customer_id' }).name).toBe(
      'relationships_orders_customer_id__customer_id__ref_customers_',
    );
    expect(genericTestName({ testName: 'row_count' }, 'summary', { min: 3, max: 3 }).name).toBe('row_count_summary_3__3');
    // no arguments: dbt still adds the separator
    expect(genericTestName({ testName: 'expression_is_true', namespace: 'dbt_utils' }, 'x', {}).name).toBe('dbt_utils_expression_is_true_x_');
    // Python's str() of values: True, None; and arguments sorted by name, column_name among them
    expect(genericTestName({ testName: 'is_positive', namespace: 'utils' }, 'currencies', { column_name: 'position', allow_zero: true }).name).toBe(
      'utils_is_positive_currencies_True__position',
    );
    expect(genericTestName({ testName: 'unique', isSource: true }, 'raw_orders', { column_name: 'id' }).name).toBe('source_unique_raw_orders_id');
  });

  it('keep the full name, with an alias of the test and subject cut to 30 characters plus an md5 when it reaches 64, as dbt', () => {
    const values = ['-18', '18-25', '26-35', '36-50', '50+', 'unknown'];
    const { name, alias } = genericTestName({ testName: 'accepted_values' }, 'clean_users', { column_name: 'age_range', values });
    expect(name).toBe('accepted_values_clean_users_age_range___18__18_25__26_35__36_50__50___unknown');
    expect(alias).toBe(`accepted_values_clean_users_${createHash('md5').update(name).digest('hex')}`);
    expect(genericTestName({ testName: 'not_null' }, 'orders', { column_name: 'order_id' }).alias).toBe('not_null_orders_order_id');
  });
});
