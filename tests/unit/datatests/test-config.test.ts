import { describe, expect, it } from 'vitest';
import { failureStorage, parseThreshold, readTestConfig, testStatus, validateTestConfig } from '../../../src/datatests/test-config.js';
import { readTestInvocation } from '../../../src/datatests/test-invocation.js';

const status = (failures: number, raw: Record<string, unknown>) => testStatus(failures, readTestConfig(validateTestConfig(raw).config));

describe('test config', () => {
  it('reads dbt thresholds', () => {
    expect(parseThreshold('!= 0')).toEqual({ operator: '!=', value: 0, text: '!= 0' });
    expect(parseThreshold('>10')).toEqual({ operator: '>', value: 10, text: '> 10' });
    expect(parseThreshold(' >= 2.5 ')?.text).toBe('>= 2.5');
    expect(parseThreshold('more than 3')).toBeUndefined();
    expect(parseThreshold(0)?.text).toBe('= 0');
  });

  it('fails on error_if with severity error, else warns on warn_if, else passes', () => {
    expect(status(0, {})).toBe('pass');
    expect(status(1, {})).toBe('fail');
    expect(status(1, { severity: 'WARN' })).toBe('warn');
    expect(status(5, { warn_if: '> 2', error_if: '> 10' })).toBe('warn');
    expect(status(11, { warn_if: '> 2', error_if: '> 10' })).toBe('fail');
    expect(status(11, { severity: 'warn', error_if: '> 10' })).toBe('warn');
    expect(status(2, { warn_if: '> 2', error_if: '> 10' })).toBe('pass');
  });

  it('fills defaults and reports problems', () => {
    const { config, problems } = validateTestConfig({ tags: 'dq', store_failures: true, limit: 5, where: 'x > 1' });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      materialized: 'test',
      severity: 'error',
      warn_if: '!= 0',
      error_if: '!= 0',
      fail_calc: 'count(*)',
      tags: ['dq'],
      store_failures: true,
    });
    expect(readTestConfig(config)).toMatchObject({ where: 'x > 1', limit: 5, storeFailuresAs: 'table' });
    expect(validateTestConfig({ severity: 'fatal', warn_if: 'lots', limit: -1, store_failures: 'yes', where: 3, store_failures_as: 'temp' }).problems).toEqual([
      'severity: "fatal" is not error or warn',
      'warn_if: "lots" is not a condition such as "!= 0" or "> 10"',
      'limit: must be a whole number, 0 or more',
      'where: must be a string',
      'store_failures: must be true or false',
      'store_failures_as: must be one of table, view, ephemeral',
    ]);
  });

  it("keeps failing rows by dbt's precedence: store_failures_as, store_failures, then --store-failures", () => {
    const storage = (raw: Record<string, unknown>, flag: boolean) => failureStorage(readTestConfig(validateTestConfig(raw).config), flag);
    expect([storage({}, false), storage({}, true)]).toEqual([undefined, 'table']);
    expect([storage({ store_failures: false }, true), storage({ store_failures: true }, false)]).toEqual([undefined, 'table']);
    expect(storage({ store_failures: false, store_failures_as: 'view' }, false)).toBe('view');
    expect(storage({ store_failures: true, store_failures_as: 'ephemeral' }, true)).toBeUndefined();
  });
});

describe('test entries in YAML', () => {
  it('reads names, arguments, inline and nested config, namespaces and custom names', () => {
    expect(readTestInvocation('unique')).toEqual({ testName: 'unique', args: {}, config: {}, namespace: undefined, customName: undefined });
    expect(readTestInvocation({ accepted_values: { values: ['a'], quote: false, severity: 'warn', config: { where: 'x' }, name: 'ok_values' } })).toEqual({
      testName: 'accepted_values',
      args: { values: ['a'], quote: false },
      config: { severity: 'warn', where: 'x' },
      customName: 'ok_values',
      namespace: undefined,
    });
    expect(readTestInvocation({ 'dbt_utils.expression_is_true': { arguments: { expression: 'a > 0' } } })).toMatchObject({
      testName: 'expression_is_true',
      namespace: 'dbt_utils',
      args: { expression: 'a > 0' },
    });
    expect(readTestInvocation({ test_name: 'row_count', min: 1 })).toMatchObject({ testName: 'row_count', args: { min: 1 } });
    expect(readTestInvocation({ unique: null, not_null: null })).toHaveProperty('problem');
    expect(readTestInvocation({ unique: [1] })).toHaveProperty('problem');
    expect(readTestInvocation(42)).toHaveProperty('problem');
  });
});
