/**
 * Generic test names exactly as dbt makes them (`not_null_orders_order_id`,
 * `dbt_utils_equality_orders_ref_orders_v2_`): the test, the tested node, then every
 * argument's value cleaned to [0-9a-zA-Z_], in argument-name order. The name can be
 * long; its `alias` (the compiled file and the store_failures table) is cut to
 * 30 characters plus an md5 of the full name when the name reaches 64, as dbt does.
 */
import { createHash } from 'node:crypto';
import { pyStr } from '../jinja/index.js';

export const MAX_NAME_BYTES = 63;
const HASH_LENGTH = 10;

export interface GenericTestNaming {
  testName: string;
  namespace?: string;
  /** Source tests are named source_<test>. */
  isSource?: boolean;
}

export function genericTestName(test: GenericTestNaming, subject: string, args: Record<string, unknown>): { name: string; alias: string } {
  const parts: string[] = [];
  for (const key of Object.keys(args).sort()) {
    if (key === 'model') continue;
    const value = args[key];
    const items = Array.isArray(value) ? value : value !== null && typeof value === 'object' ? Object.values(value) : [value];
    parts.push(...items.map((item) => pyStr(item).replace(/[^0-9a-zA-Z_]+/g, '_')));
  }
  let testType = test.isSource ? `source_${test.testName}` : test.testName;
  if (test.namespace) testType = `${test.namespace}_${testType}`;
  const identifier = `${testType}_${subject}`;
  const name = `${identifier}_${parts.join('__')}`;
  const alias = name.length >= 64 ? `${identifier.slice(0, 30)}_${createHash('md5').update(name).digest('hex')}` : name;
  return { name, alias };
}

/** Tells apart the unique ids of two tests that share a name (dbt's 10-character test hash). */
export function shortHash(text: string): string {
  return createHash('md5').update(text).digest('hex').slice(0, HASH_LENGTH);
}
